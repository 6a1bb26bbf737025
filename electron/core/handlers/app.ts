import fs from 'node:fs';
import type { Handlers } from '../../../shared/contract';
import type { CoreContext, DomainHandlers } from '../context';
import { importPaths } from '../importers';

export function appHandlers(ctx: CoreContext): DomainHandlers<'app.info' | 'app.loadDemo' | 'agents.list'> {
  return {
    async 'app.info'() {
      const { store } = ctx;
      const sessions = store.sessions;
      return {
        version: ctx.version,
        storeDir: store.dir,
        host: ctx.host,
        counts: {
          sessions: sessions.length,
          events: sessions.reduce((n, s) => n + s.eventCount, 0),
          lessons: store.data.lessons.filter((l) => l.status !== 'retired').length,
          agents: store.data.agents.length,
          dreams: store.data.dreams.length,
        },
        empty: sessions.length === 0 && store.data.lessons.length === 0,
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
