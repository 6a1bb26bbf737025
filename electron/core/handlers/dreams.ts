import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../shared/contract/define';
import type { Dream } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { applyChanges } from '../dreaming/changes';
import { runDreamInWorker } from '../dreaming/runner';
import type { DreamInput } from '../dreaming/types';
import { withEngine } from './claude';

export function dreamHandlers(ctx: CoreContext): DomainHandlers<'dreams.run' | 'dreams.list' | 'dreams.get'> {
  return {
    async 'dreams.run'({ engine, full }) {
      const dream = await ctx.exclusive(async () => {
        const { store } = ctx;
        const started = Date.now();
        const settings = store.data.settings;
        const input: DreamInput = {
          storeDir: store.dir,
          full,
          // Support counts need every session's signals until patterns are indexed incrementally.
          sessionIds: store.sessions.map((s) => s.id),
          lessons: store.data.lessons,
          tombstones: store.data.tombstones,
          settings,
          now: new Date().toISOString(),
          agentNames: Object.fromEntries(store.data.agents.map((a) => [a.id, a.name])),
        };
        const { output, usage } = await withEngine(ctx, engine ?? settings.engine, input, await runDreamInWorker(ctx.worker, input));
        const review = settings.reviewMode && output.changes.length > 0;
        const dream: Dream = {
          id: `d-${input.now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`,
          startedAt: input.now,
          finishedAt: new Date().toISOString(),
          engine: engine ?? settings.engine,
          full,
          status: output.changes.length === 0 ? 'empty' : review ? 'pending' : 'applied',
          changes: output.changes.map((c) => ({ ...c, decision: review ? 'pending' : 'applied' })),
          stats: { ...output.stats, durationMs: Date.now() - started },
          ...(output.message ? { message: output.message } : {}),
          ...(usage ? { usage } : {}),
        };
        if (!review) store.data.lessons = applyChanges(store.data.lessons, dream.changes);
        store.data.dreams.push(dream);
        for (const s of store.sessions) s.dreamt = true;
        await store.writeMain();
        await store.writeIndex();
        return dream;
      });
      ctx.notify('lessons');
      return dream;
    },
    async 'dreams.list'() {
      return [...ctx.store.data.dreams].reverse();
    },
    async 'dreams.get'({ id }) {
      const dream = ctx.store.data.dreams.find((d) => d.id === id);
      if (!dream) throw new ContractError('not-found', `No dream with id ${id}`);
      return dream;
    },
  };
}
