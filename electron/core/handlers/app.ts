import fs from 'node:fs';
import type { Handlers } from '../../../shared/contract';
import type { CoreContext, DomainHandlers } from '../context';
import { importPaths } from '../importers';

export function appHandlers(ctx: CoreContext): DomainHandlers<'app.info' | 'app.loadDemo' | 'agents.list'> {
  return {
    async 'app.info'() {
      const { store } = ctx;
      // Counts only: at 100,000 sessions holding every summary for them was 140 MB of the app's memory.
      const sessions = store.index.stats();
      return {
        version: ctx.version,
        storeDir: store.dir,
        host: ctx.host,
        counts: {
          sessions: sessions.count,
          events: sessions.events,
          lessons: store.data.lessons.filter((l) => l.status !== 'retired').length,
          agents: store.data.agents.length,
          dreams: store.dreamCount,
          // One tombstone per key a lesson owned: counted per lesson (its title and when it went).
          heldBack: new Set(store.data.tombstones.map((t) => `${t.title}\u0000${t.deletedAt}`)).size,
        },
        empty: sessions.count === 0 && store.data.lessons.length === 0,
        demoAvailable: !!ctx.demoDir && fs.existsSync(ctx.demoDir),
        notices: store.notices,
      };
    },
    async 'app.loadDemo'() {
      if (!ctx.demoDir || !fs.existsSync(ctx.demoDir)) throw new Error('No demo data is bundled with this build.');
      const result = await ctx.exclusive(() => importPaths(ctx.store, [ctx.demoDir!]));
      ctx.notify('sessions');
      return result;
    },
    async 'agents.list'() {
      return ctx.store.data.agents;
    },
  } satisfies Partial<Handlers>;
}
