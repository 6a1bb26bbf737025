import type { CoreContext } from '../context';

/**
 * Returns `mutate(fn)`: runs `fn` in the writer queue, saves the main document, then tells the UIs
 * the lessons changed. Every edit of lessons (by hand or by undoing a dream) goes through it, so an
 * edit is on disk before anyone is told about it.
 */
export function lessonMutation(ctx: CoreContext) {
  return async <T>(fn: () => T): Promise<T> => {
    const out = await ctx.exclusive(async () => {
      const r = fn();
      await ctx.store.writeMain();
      return r;
    });
    ctx.notify('lessons');
    return out;
  };
}
