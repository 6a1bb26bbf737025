// The CPU part of a dream, written to run anywhere (worker thread, tests, main thread): fold the
// signals of the chosen sessions into the observation index, mine it, curate against the lessons.
// An incremental dream reads only the sessions not dreamt over yet; a full one rebuilds the index
// from every session. The new index goes to `input.indexOut`; the owner moves it into place only
// when it records the dream, so a cancelled or failed dream leaves the store as it was.
import fs from 'node:fs';
import path from 'node:path';
import type { Signal } from '../../../shared/model';
import type { SessionDoc } from '../store/schema';
import { readLegacySessionFile, readSessionAt } from '../store/store';
import { dreamFromIndex } from './heuristic';
import { extractSignals } from './signals';
import { INDEX_FILE, emptyIndex, fold, type ObservationIndex } from './observations';
import { loadIndex, writeIndexFile } from './observations-file';
import { IndexSpill } from './observations-spill';
import type { Clusterer } from './cluster-helper';
import type { DreamInput, DreamOutput, SessionLocations } from './types';

export type ProgressFn = (phase: string, done: number, total: number) => void;

/** Each input's session ids by position in its locations, made on first use (an incremental dream looks up a few hundred). */
const positions = new WeakMap<SessionLocations, Map<string, number>>();

function locationOf(input: DreamInput, id: string): [number, number, number] | undefined {
  const l = input.locations;
  if (!l) return undefined;
  let byId = positions.get(l);
  if (!byId) positions.set(l, (byId = new Map(l.ids.map((x, i) => [x, i]))));
  const i = byId.get(id);
  if (i === undefined || Number.isNaN(l.at[i * 3])) return undefined;
  return [l.at[i * 3]!, l.at[i * 3 + 1]!, l.at[i * 3 + 2]!];
}

/** One session's record: one positioned read in the segments (or its file, in a store not yet converted). */
function readSession(input: DreamInput, id: string): SessionDoc | null {
  const loc = locationOf(input, id);
  return loc ? readSessionAt(input.storeDir, id, loc) : readLegacySessionFile(input.storeDir, id);
}

export function readSignals(input: DreamInput, onProgress: ProgressFn = () => {}): Signal[] {
  const signals: Signal[] = [];
  input.sessionIds.forEach((id, i) => {
    const doc = readSession(input, id);
    if (doc) signals.push(...doc.signals);
    if (i % 200 === 0) onProgress('reading signals', i, input.sessionIds.length);
  });
  return signals;
}

export function computeDream(input: DreamInput, onProgress: ProgressFn = () => {}): DreamOutput {
  const { output, writeIndex } = computeDreamDeferred(input, onProgress);
  writeIndex();
  return output;
}

/** The observation index as a warm worker read it before its input came (runner.ts), or why it could not. */
export type Preloaded = { index: ObservationIndex } | { error: Error };

/** The dream, and the writing of its new observation index (to `input.indexOut`) as a step of its own. */
export function computeDreamDeferred(input: DreamInput, onProgress: ProgressFn = () => {}, preloaded?: Preloaded, clusterErrors?: Clusterer): { output: DreamOutput; writeIndex: () => void } {
  let index = emptyIndex();
  let sessionIds = input.sessionIds;
  let note: string | undefined;
  /** Whether the index is built from every session (a full dream, or a damaged index): it is spilled to disk as it grows. */
  let rebuilding = !!input.full;
  if (!input.full) {
    try {
      if (preloaded && 'error' in preloaded) throw preloaded.error;
      index = preloaded?.index ?? loadIndex(input.storeDir);
    } catch (err) {
      // A damaged index is derived data: keep the file for inspection and rebuild it from the sessions.
      if (!input.allSessionIds) throw err;
      const file = path.join(input.storeDir, INDEX_FILE);
      const kept = `${file}.damaged-${Date.now()}`;
      fs.copyFileSync(file, kept);
      sessionIds = input.allSessionIds;
      rebuilding = true;
      note = `The observation index was damaged (${(err as Error).message.split(';')[0]}); it was kept as ${path.basename(kept)} and rebuilt from all ${sessionIds.length} sessions.`;
    }
  }
  let signalsRead = 0;
  const spill = rebuilding ? new IndexSpill(input.indexOut) : null;
  try {
    sessionIds.forEach((id, i) => {
      const doc = readSession(input, id);
      if (doc) {
        // A full dream re-reads what happened, so a better extraction reaches sessions imported before it.
        const signals = input.full ? extractSignals({ id, agentId: doc.session.agentId, events: doc.events, project: doc.session.project }) : doc.signals;
        fold(index, id, doc.session.agentId, doc.session.startedAt, signals, doc.session.forkedFrom);
        signalsRead += signals.length;
        if (spill) index = spill.folded(index, signals.length);
      }
      if (i % 200 === 0) onProgress('reading signals', i, sessionIds.length);
    });
    onProgress('mining patterns', sessionIds.length, sessionIds.length);
    const out = dreamFromIndex(input, index, clusterErrors);
    const message = [note, out.message].filter(Boolean).join(' ') || undefined;
    return {
      output: { ...out, stats: { ...out.stats, sessionsRead: sessionIds.length, signalsRead }, ...(message ? { message } : {}) },
      writeIndex: () => {
        try {
          if (input.indexOut) writeIndexFile(input.indexOut, index);
        } finally {
          spill?.remove();
        }
      },
    };
  } catch (err) {
    spill?.remove();
    throw err;
  }
}
