// The snapshot a dream's worker computes from, shared by dreams.run and the Claude engine's preview.
import type { CoreContext } from '../context';
import { trace } from '../trace';
import type { DreamInput } from '../dreaming/types';

/**
 * What the worker needs: the sessions to read (all, or those not dreamt over yet) and a snapshot of
 * the rest. Only the session index's head is read for it, never the summaries.
 */
export function dreamInput(store: CoreContext['store'], readAll: boolean, now: string, indexOut?: string): DreamInput {
  const index = store.index;
  trace('dream input: session index loaded');
  const allSessionIds = index.sessionIds();
  // Flat arrays beside the ids (DreamInput.locations); the same ids array as allSessionIds: copied to the worker once.
  const { locations } = index;
  const at = new Float64Array(allSessionIds.length * 3).fill(NaN);
  allSessionIds.forEach((id, i) => {
    const l = locations[id];
    if (l) at.set(l, i * 3);
  });
  return {
    storeDir: store.dir,
    full: readAll,
    sessionIds: readAll ? allSessionIds : index.undreamtIds(allSessionIds),
    lessons: store.data.lessons,
    tombstones: store.data.tombstones,
    settings: store.data.settings,
    now,
    agentNames: Object.fromEntries(store.data.agents.map((a) => [a.id, a.name])),
    ...(indexOut ? { indexOut } : {}),
    // Only not-yet-dreamt sessions are new to the heuristics, but Claude also reads every session it
    // has not read before (the discovery pass keeps its own ledger).
    allSessionIds,
    locations: { ids: allSessionIds, at },
    undone: store.dreamDigest.undone,
  };
}
