import type { CoreContext, DomainHandlers } from '../context';

export function schedulerHandlers(ctx: CoreContext): DomainHandlers<'scheduler.status' | 'scheduler.runs' | 'scheduler.cancel'> {
  return {
    async 'scheduler.status'() {
      return ctx.scheduler.status();
    },
    async 'scheduler.runs'({ limit }) {
      return ctx.scheduler.runs(limit);
    },
    async 'scheduler.cancel'() {
      return { cancelled: ctx.scheduler.cancel() };
    },
  };
}
