import type { CoreContext, DomainHandlers } from '../context';
import { importPaths } from '../importers';

export function importHandlers(ctx: CoreContext): DomainHandlers<'import.paths'> {
  return {
    async 'import.paths'({ paths, agent }) {
      const result = await ctx.exclusive(() => importPaths(ctx.store, paths, { agent }));
      ctx.notify('sessions');
      return result;
    },
  };
}
