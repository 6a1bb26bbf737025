// The CPU part of a dream, written to run anywhere (worker thread, tests, main thread): fold the
// signals of the chosen sessions into the observation index, mine it, curate against the lessons.
// An incremental dream reads only the sessions not dreamt over yet; a full one rebuilds the index
// from every session. The new index goes to `input.indexOut`; the owner moves it into place only
// when it records the dream, so a cancelled or failed dream leaves the store as it was.
import type { Signal } from '../../../shared/model';
import { readSessionFile } from '../store/store';
import { dreamFromIndex } from './heuristic';
import { emptyIndex, fold, loadIndex, writeIndexFile } from './observations';
import type { DreamInput, DreamOutput } from './types';

export type ProgressFn = (phase: string, done: number, total: number) => void;

export function readSignals(input: DreamInput, onProgress: ProgressFn = () => {}): Signal[] {
  const signals: Signal[] = [];
  input.sessionIds.forEach((id, i) => {
    const doc = readSessionFile(input.storeDir, id);
    if (doc) signals.push(...doc.signals);
    if (i % 200 === 0) onProgress('reading signals', i, input.sessionIds.length);
  });
  return signals;
}

export function computeDream(input: DreamInput, onProgress: ProgressFn = () => {}): DreamOutput {
  const index = input.full ? emptyIndex() : loadIndex(input.storeDir);
  let signalsRead = 0;
  input.sessionIds.forEach((id, i) => {
    const doc = readSessionFile(input.storeDir, id);
    if (doc) {
      fold(index, id, doc.session.agentId, doc.session.startedAt, doc.signals);
      signalsRead += doc.signals.length;
    }
    if (i % 200 === 0) onProgress('reading signals', i, input.sessionIds.length);
  });
  onProgress('mining patterns', input.sessionIds.length, input.sessionIds.length);
  const out = dreamFromIndex(input, index);
  if (input.indexOut) writeIndexFile(input.indexOut, index);
  return { ...out, stats: { ...out.stats, sessionsRead: input.sessionIds.length, signalsRead } };
}
