// The CPU part of a dream, written to run anywhere (worker thread, tests, main thread): read the
// signals of the chosen sessions from their files, then let the engine curate.
import type { Signal } from '../../../shared/model';
import { readSessionFile } from '../store/store';
import { heuristicDream } from './heuristic';
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
  const signals = readSignals(input, onProgress);
  onProgress('mining patterns', input.sessionIds.length, input.sessionIds.length);
  return heuristicDream(input, signals);
}
