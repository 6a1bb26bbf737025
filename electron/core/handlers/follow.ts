import type { FollowList, StoreStatus } from '../../../shared/contract/follow';
import type { CoreContext, DomainHandlers } from '../context';
import { addSources, findSource, importFollowed } from '../follow/sources';

export function followHandlers(ctx: CoreContext): DomainHandlers<'follow.list' | 'follow.add' | 'follow.set' | 'follow.remove' | 'follow.import' | 'app.status'> {
  const list = (): FollowList => ({ sources: ctx.store.data.follow, watching: ctx.follower.active });
  /** Changes the list, saves it and tells the watcher (and the UIs) through the 'follow' topic. */
  const change = async (fn: () => void): Promise<FollowList> => {
    await ctx.exclusive(async () => {
      fn();
      await ctx.store.writeMain();
    });
    ctx.notify('follow');
    return list();
  };
  return {
    async 'follow.list'() {
      return list();
    },
    async 'follow.add'({ paths, tool, label }) {
      return change(() => void addSources(ctx.store, paths, { tool, label }));
    },
    async 'follow.set'({ path, enabled }) {
      return change(() => void (findSource(ctx.store, path).enabled = enabled));
    },
    async 'follow.remove'({ path }) {
      return change(() => {
        const s = findSource(ctx.store, path);
        ctx.store.data.follow.splice(ctx.store.data.follow.indexOf(s), 1);
      });
    },
    async 'follow.import'({ paths }) {
      const result = await ctx.exclusive(() => importFollowed(ctx.store, paths));
      ctx.notify('sessions');
      ctx.notify('follow');
      return result;
    },
    async 'app.status'(): Promise<StoreStatus> {
      const { store } = ctx;
      const { count: total, events, newest, perAgent } = store.index.stats();
      const lessons = store.data.lessons;
      const count = (st: string) => lessons.filter((l) => l.status === st).length;
      const last = store.data.dreams.findLast((d) => d.status !== 'undone') ?? null;
      const { schedule } = store.data.settings;
      const undreamt = store.index.undreamtCount;
      return {
        storeDir: store.dir,
        sessions: { count: total, events, undreamt, newest },
        agents: store.data.agents.map((a) => ({ id: a.id, name: a.name, tool: a.tool, sessions: perAgent.get(a.id) ?? 0 })),
        lessons: { active: count('active'), candidate: count('candidate'), retired: count('retired'), pinned: lessons.filter((l) => l.pinned).length },
        followed: store.data.follow,
        watching: ctx.follower.active,
        lastDream: last && { id: last.id, finishedAt: last.finishedAt, status: last.status, changes: last.changes.length },
        nextDream: {
          scheduledAt: schedule.cron ? store.data.scheduler.nextDueAt : null,
          afterNewSessions: schedule.afterNewSessions,
          sessionsToGo: schedule.afterNewSessions > 0 ? Math.max(0, schedule.afterNewSessions - undreamt) : null,
          whenIdle: schedule.whenIdle,
        },
      };
    },
  };
}
