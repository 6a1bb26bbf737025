import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../../shared/contract/define';
import type { Dream } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { applyChanges } from '../dreaming/changes';
import { INDEX_FILE } from '../dreaming/observations';
import { spillFilesOf } from '../dreaming/observations-spill';
import { reviewDream, undoDream } from '../dreaming/review';
import { startDreamInWorker, warmDreamWorker, type DreamRun } from '../dreaming/runner';
import { tombstonesFor, withTombstones } from '../dreaming/tombstones';
import type { DreamInput } from '../dreaming/types';
import { withEngine } from './claude';
import { dreamInput } from './dream-input';
import { lessonMutation } from './mutate';
import { trace } from '../trace';

export function findDream(ctx: CoreContext, id: string): Dream {
  const dream = ctx.store.data.dreams.find((d) => d.id === id);
  if (!dream) throw new ContractError('not-found', `No dream with id ${id} (see \`reverie dreams\`).`);
  return dream;
}

/** Marks the sessions in `ids` as dreamt over (in memory); `undo` puts back the ones it changed. */
function markDreamt(store: CoreContext['store'], ids: readonly string[]): { count: number; undo: () => void } {
  const flipped = store.index.setDreamt(ids, true);
  return { count: flipped.length, undo: () => void store.index.setDreamt(flipped, false) };
}

export function dreamHandlers(ctx: CoreContext): DomainHandlers<'dreams.run' | 'dreams.list' | 'dreams.get' | 'dreams.undo' | 'dreams.review'> {
  const mutate = lessonMutation(ctx);
  return {
    async 'dreams.run'({ engine, full }) {
      const dream = await ctx.exclusive(async () => {
        const { store } = ctx;
        const started = Date.now();
        const settings = store.data.settings;
        // The history's digest (kept in reverie.json): a dream reads none of the dreams before it.
        if (store.dreamDigest.pending.length)
          throw new ContractError('conflict', 'A dream is still waiting for review: accept or reject its changes first (`reverie dream review <id>`).');
        const indexFile = path.join(store.dir, INDEX_FILE);
        // Without an index (a store from before it existed, or a deleted file) only a full dream is honest.
        const readAll = full || !fs.existsSync(indexFile);
        trace('dream: start');
        // An incremental dream's worker reads the observation index while the session index loads (dreamInput):
        // the one started with the core, if any (its read began before the store opened).
        const ahead = ctx.dreamAhead;
        ctx.dreamAhead = undefined;
        if (readAll) ahead?.stop();
        const warm = readAll ? undefined : (ahead ?? warmDreamWorker(ctx.worker, store.dir));
        const now = new Date().toISOString();
        const id = `d-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
        let input: DreamInput;
        try {
          input = dreamInput(store, readAll, now, path.join(store.dir, `${INDEX_FILE}.${id}.tmp`));
        } catch (err) {
          warm?.stop();
          throw err;
        }
        // The worker gets its input now. The session index that marks the sessions it reads as dreamt
        // over is written meanwhile, and replaces the old one only once the dream is recorded and the
        // observation index is in place: a crash or a failure before leaves them not dreamt over, and
        // the next dream folds them in again (idempotent).
        trace('dream: input ready');
        const starting = startDreamInWorker(ctx.worker, input, undefined, warm);
        starting.catch(() => {}); // awaited below
        const marked = markDreamt(store, input.sessionIds);
        let record!: { done: () => void; failed: (err: unknown) => void };
        const recorded = new Promise<void>((done, failed) => (record = { done, failed }));
        const committed = store.writeIndex(async () => {
          await recorded;
          await (await starting).indexWritten;
          if (fs.existsSync(input.indexOut!)) fs.renameSync(input.indexOut!, indexFile);
        });
        committed.catch(() => {}); // awaited below
        let run: DreamRun | undefined;
        try {
          run = await starting;
          trace('dream: result in');
          const chosen = engine ?? settings.engine;
          // The Claude engine reads the new observation index (claude/refine.ts): it waits for it.
          if (chosen === 'claude') await run.indexWritten;
          const { output, usage, engine: ran, commit } = await withEngine(ctx, chosen, input, run.output);
          const review = settings.reviewMode && output.changes.length > 0;
          const dream: Dream = {
            id,
            startedAt: input.now,
            finishedAt: new Date().toISOString(),
            // The engine that produced the changes; when Claude did not run, the message says why.
            engine: ran,
            full: readAll,
            status: output.changes.length === 0 ? 'empty' : review ? 'pending' : 'applied',
            changes: output.changes.map((c) => ({ ...c, decision: review ? 'pending' : 'applied' })),
            stats: { ...output.stats, durationMs: Date.now() - started },
            ...(output.message ? { message: output.message } : review ? { message: 'Review mode: nothing is applied until you accept changes.' } : {}),
            ...(usage ? { usage } : {}),
          };
          if (!review) store.data.lessons = applyChanges(store.data.lessons, dream.changes);
          store.addDream(dream);
          await store.writeMain();
          trace('dream: recorded');
          // The Claude engine's ledger (sessions read, answers, pending batches) follows the recorded dream.
          commit();
          // The observations are facts about sessions, not lessons: they advance even in review.
          record.done();
          await committed;
          trace('dream: committed');
          // A damaged observation index was rebuilt from every session: they are all in it now.
          if (output.stats.sessionsRead > input.sessionIds.length && markDreamt(store, input.allSessionIds ?? []).count > 0) await store.writeIndex();
          return dream;
        } catch (err) {
          record.failed(err);
          await committed.catch(() => {});
          marked.undo();
          throw err;
        } finally {
          // A dream that failed after its result: let the worker finish its file before it is removed.
          await run?.indexWritten.catch(() => {});
          for (const f of [input.indexOut!, ...spillFilesOf(input.indexOut!)]) fs.rmSync(f, { force: true });
        }
      });
      ctx.notify('lessons');
      return dream;
    },
    async 'dreams.list'() {
      return [...ctx.store.data.dreams].reverse();
    },
    async 'dreams.get'({ id }) {
      return findDream(ctx, id);
    },
    async 'dreams.undo'({ id }) {
      return mutate(() => {
        const data = ctx.store.data;
        const dream = findDream(ctx, id);
        data.lessons = undoDream(data.lessons, dream);
        // "I undid it; don't redo it behind my back": the lessons it added stay away from the next
        // dreams until their pattern recurs in more sessions than it had (see docs/dreaming.md §5).
        const at = new Date().toISOString();
        for (const c of dream.changes)
          if (c.op === 'add' && c.after && (c.decision === 'applied' || c.decision === 'accepted')) data.tombstones = withTombstones(data.tombstones, tombstonesFor(c.after, 'undone', at));
        const undone: Dream = { ...dream, status: 'undone' };
        data.dreams = data.dreams.map((d) => (d.id === id ? undone : d));
        return undone;
      });
    },
    async 'dreams.review'({ id, accept, reject }) {
      return mutate(() => {
        const data = ctx.store.data;
        const r = reviewDream(data.lessons, findDream(ctx, id), accept, reject);
        data.lessons = r.lessons;
        // Rejecting a proposed lesson is deleting it before it existed: later dreams must not propose it again.
        const at = new Date().toISOString();
        for (const c of r.dream.changes)
          if (c.op === 'add' && reject.includes(c.id) && c.after) data.tombstones = withTombstones(data.tombstones, tombstonesFor(c.after, 'rejected', at));
        data.dreams = data.dreams.map((d) => (d.id === id ? r.dream : d));
        return r.dream;
      });
    },
  };
}
