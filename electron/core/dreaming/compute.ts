// The CPU part of a dream, written to run anywhere (worker thread, tests, main thread): fold the
// signals of the chosen sessions into the observation index, mine it, curate against the lessons.
// An incremental dream reads only the sessions not dreamt over yet; a full one rebuilds the index
// from every session. The new index goes to `input.indexOut`; the owner moves it into place only
// when it records the dream, so a cancelled or failed dream leaves the store as it was.
import fs from 'node:fs';
import path from 'node:path';
import type { Signal } from '../../../shared/model';
import type { SessionDoc, SessionSignals } from '../store/schema';
import { readLegacySessionFile, readSessionAt, readSessionSignalsAt } from '../store/store';
import { dreamFromIndex } from './heuristic';
import { extractSignals } from './signals';
import { INDEX_FILE, emptyIndex, fold, type ObservationIndex } from './observations';
import { loadIndex, writeIndexFile } from './observations-file';
import { IndexSpill } from './observations-spill';
import type { Clusterer } from './cluster-helper';
import type { DreamInput, DreamOutput } from './types';
import { trace } from '../trace';

export type ProgressFn = (phase: string, done: number, total: number) => void;

/** A session as a dream reads it: its events only when it extracts signals again (a full dream). */
type ReadSession = SessionSignals & Partial<Pick<SessionDoc, 'events'>>;

/**
 * Reads the records of `ids` (every session, or the few hundred an incremental dream folds), each
 * with one positioned read in the segments (or its file, in a store not yet converted). Their places
 * in the input's locations are looked up once, for those ids only: a map of all 100,000 sessions'
 * ids cost an incremental dream ~0.1 s.
 */
function sessionReader(input: DreamInput, ids: readonly string[], withEvents: boolean): (id: string) => ReadSession | null {
  const l = input.locations;
  const wanted = l && ids !== l.ids ? new Set(ids) : null;
  const byId = new Map<string, number>();
  if (l) l.ids.forEach((x, i) => { if (!wanted || wanted.has(x)) byId.set(x, i); });
  return (id) => {
    const i = byId.get(id);
    if (i === undefined || Number.isNaN(l!.at[i * 3])) return readLegacySessionFile(input.storeDir, id);
    const loc: [number, number, number] = [l!.at[i * 3]!, l!.at[i * 3 + 1]!, l!.at[i * 3 + 2]!];
    return withEvents ? readSessionAt(input.storeDir, id, loc) : readSessionSignalsAt(input.storeDir, id, loc);
  };
}

export function readSignals(input: DreamInput, onProgress: ProgressFn = () => {}): Signal[] {
  const signals: Signal[] = [];
  const readSession = sessionReader(input, input.sessionIds, false);
  input.sessionIds.forEach((id, i) => {
    const doc = readSession(id);
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
    const readSession = sessionReader(input, sessionIds, !!input.full);
    sessionIds.forEach((id, i) => {
      const doc = readSession(id);
      if (doc) {
        // A full dream re-reads what happened, so a better extraction reaches sessions imported before it.
        const signals = input.full ? extractSignals({ id, agentId: doc.session.agentId, events: doc.events ?? [], project: doc.session.project }) : doc.signals;
        fold(index, id, doc.session.agentId, doc.session.startedAt, signals, doc.session.forkedFrom);
        signalsRead += signals.length;
        if (spill) index = spill.folded(index, signals.length);
      }
      if (i % 200 === 0) onProgress('reading signals', i, sessionIds.length);
    });
    trace(`folded ${sessionIds.length} sessions`);
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
