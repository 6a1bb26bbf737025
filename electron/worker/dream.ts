// worker_threads entry: computes one dream off the owner's thread and reports progress.
// It only reads (session files are replaced atomically); the owner applies the result.
import { parentPort, workerData } from 'node:worker_threads';
import { computeDreamDeferred } from '../core/dreaming/compute';
import type { DreamInput, WorkerMessage } from '../core/dreaming/types';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

try {
  const { output, writeIndex } = computeDreamDeferred(workerData as DreamInput, (phase, done, total) => post({ type: 'progress', phase, done, total }));
  // The result first: the owner records the dream while the index is written here.
  post({ type: 'result', output });
  writeIndex();
  post({ type: 'index-written' });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
