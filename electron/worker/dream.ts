// worker_threads entry for core's work off the owner's thread: computing one dream (reporting progress;
// it only reads the store, the owner applies the result), clustering half of a dream's error groups
// beside it (core/dreaming/cluster-helper.ts), or preparing session records during a large import
// (core/importers/record-pool.ts). One entry, so every host (Electron's bundle, the CLI's, the sources
// through tsx) starts each the way it starts dreams.
import { parentPort, workerData } from 'node:worker_threads';
import { isRecordWorkerStart, serveRecords } from '../core/importers/record-pool';
import { ClusterHelper, HELPER_MIN_SESSIONS, isClusterHelperStart, serveClusters, type HelperLauncher } from '../core/dreaming/cluster-helper';
import { computeDreamDeferred, type Preloaded } from '../core/dreaming/compute';
import { indexStillCurrent, loadIndex } from '../core/dreaming/observations-file';
import type { DreamInput, WorkerMessage, WorkerStart } from '../core/dreaming/types';
import { trace } from '../core/trace';
import { setMemoStamp } from '../core/dreaming/pattern-memo';
import { buildStamp } from '../core/platform/build-stamp';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

function run(input: DreamInput, preloaded?: Preloaded): void {
  trace('worker: input in');
  // Only a large store's mining is worth a second thread (a small one's is over before it would start);
  // started now, its start-up overlaps the fold.
  const helper = start.helper && (input.allSessionIds ?? input.sessionIds).length >= HELPER_MIN_SESSIONS ? startHelper(start.helper) : null;
  try {
    let computed: ReturnType<typeof computeDreamDeferred>;
    try {
      computed = computeDreamDeferred(input, (phase, done, total) => post({ type: 'progress', phase, done, total }), preloaded, helper?.clusterAll);
    } finally {
      helper?.close();
    }
    const { output, writeIndex } = computed;
    // The result first: the owner records the dream while the index is written here.
    trace('worker: computed');
    post({ type: 'result', output });
    writeIndex();
    trace('worker: observation index written');
    post({ type: 'index-written' });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

/** A dream without its helper is only slower: one that cannot start clusters everything here. */
function startHelper(launcher: HelperLauncher): ClusterHelper | null {
  try {
    return new ClusterHelper(launcher);
  } catch {
    return null;
  }
}

const start = workerData as WorkerStart;
// Patterns are kept between dreams only by a build that can name itself (its bundle's hash).
if (start && typeof start === 'object' && 'helper' in start) setMemoStamp(start.helper?.bundle ? buildStamp(start.helper.file) : null);
if (isRecordWorkerStart(workerData)) serveRecords(parentPort!, workerData.replies);
else if (isClusterHelperStart(workerData)) serveClusters(workerData);
else if ('warm' in start) {
  // Started ahead of its input (runner.ts warmDreamWorker): read the observation index now. A damaged
  // one is kept as the error, and handled by the dream like one met at its start (rebuilt from all sessions).
  let preloaded: Preloaded;
  try {
    trace('worker: warm start');
    preloaded = { index: loadIndex(start.warm) };
    trace('worker: observation index read');
  } catch (err) {
    preloaded = { error: err as Error };
  }
  // Read ahead, perhaps before the owner held the writer lock (CoreOptions.dreamAhead): used only if the
  // file is still the one read; another writer's dream may have replaced it meanwhile.
  parentPort!.once('message', (input: DreamInput) => run(input, 'index' in preloaded && indexStillCurrent(preloaded.index, input.storeDir) ? preloaded : undefined));
} else run(start);
