import type { CoreContext, DomainHandlers } from '../context';
import { progressReport } from '../progress/load';
import { resolveAgents } from '../seeding/seed';

export function progressHandlers(ctx: CoreContext): DomainHandlers<'progress.get'> {
  return {
    async 'progress.get'({ agents }) {
      const ids = agents?.length ? resolveAgents(agents, ctx.store.data.agents) : undefined;
      return progressReport(ctx.store, { agents: ids });
    },
  };
}
