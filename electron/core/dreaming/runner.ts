// Starts a dream in a worker_threads worker and turns its messages into a promise. Cancel =
// terminate the worker: it never wrote anything, so the store is untouched. A crash in the worker
// rejects this promise; it never takes the owning process down.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type { DreamInput, DreamOutput, WorkerMessage, WorkerStart } from './types';

/**
 * How the host starts the worker: the built .js in Electron, the .ts source through tsx in plain Node.
 * `bundle`: the file is a self-contained build, so its bytes name the code it runs (platform/build-stamp.ts).
 */
export interface WorkerLauncher { file: string | URL; execArgv?: string[]; bundle?: boolean }

export interface RunOptions {
  onProgress?: (phase: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export class DreamCancelled extends Error {
  constructor() { super('The dream was cancelled; nothing was changed.'); }
}

/**
 * The dream scheduler (core/scheduler) runs each dream inside this context, so its cancel signal and
 * progress callback reach the worker without every caller on the way having to pass them along.
 */
export const dreamRunContext = new AsyncLocalStorage<RunOptions>();

/**
 * A worker started before its input is known: it reads the observation index (what an incremental
 * dream starts with) while the owner loads the session index to work out which sessions are new,
 * two reads of the same order of size at 100,000 sessions, side by side instead of one after the
 * other. Handed to startDreamInWorker, or stopped when no dream follows.
 */
export interface WarmWorker { worker: Worker; stop(): void }

/** The worker, told how to start its clustering helper: the same entry, the same way (cluster-helper.ts). */
function spawn(launcher: WorkerLauncher, start: WorkerStart): Worker {
  const execArgv = launcher.execArgv ?? [];
  const helper = { file: launcher.file instanceof URL ? launcher.file.href : launcher.file, execArgv, ...(launcher.bundle ? { bundle: true } : {}) };
  return new Worker(launcher.file, { workerData: { ...start, helper } satisfies WorkerStart, execArgv });
}

export function warmDreamWorker(launcher: WorkerLauncher, storeDir: string): WarmWorker {
  const worker = spawn(launcher, { warm: storeDir });
  // Until a dream takes it over, its failure must not take the owner down (a damaged index is reported with the input).
  worker.on('error', () => {});
  return { worker, stop: () => void worker.terminate() };
}

/** A dream whose result is in while its worker may still be writing the new observation index. */
export interface DreamRun {
  output: DreamOutput;
  /** Settles when `input.indexOut` is written (rejects when it could not be). */
  indexWritten: Promise<void>;
}

/** The dream's result and, once written, the observation index: for a caller that only needs both. */
export async function runDreamInWorker(launcher: WorkerLauncher, input: DreamInput, opts?: RunOptions): Promise<DreamOutput> {
  const run = await startDreamInWorker(launcher, input, opts);
  await run.indexWritten;
  return run.output;
}

/**
 * Runs a dream in a worker. The worker answers as soon as the changes are known and then writes the
 * observation index (tens of MB at 100,000 sessions), so the owner can record the dream and write its
 * own documents meanwhile; it moves the index into place once `indexWritten` settles.
 */
export function startDreamInWorker(launcher: WorkerLauncher, input: DreamInput, opts: RunOptions = dreamRunContext.getStore() ?? {}, warm?: WarmWorker): Promise<DreamRun> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return warm?.stop(), reject(new DreamCancelled());
    const worker = warm?.worker ?? spawn(launcher, input);
    if (warm) worker.postMessage(input);
    let written: { resolve: () => void; reject: (e: Error) => void } | null = null;
    const indexWritten = new Promise<void>((res, rej) => (written = { resolve: res, reject: rej }));
    // Nobody may be waiting for it (the dream failed before): never an unhandled rejection.
    indexWritten.catch(() => {});
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => { void worker.terminate(); reject(new DreamCancelled()); });
    opts.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.phase, m.done, m.total);
      else if (m.type === 'result') finish(() => resolve({ output: m.output, indexWritten }));
      else if (m.type === 'index-written') written!.resolve();
      else {
        const err = new Error(`The dream failed in its worker: ${m.message}`);
        written!.reject(err);
        finish(() => reject(err));
      }
    });
    worker.on('error', (err) => {
      const e = new Error(`The dream worker crashed: ${err.message}`);
      written!.reject(e);
      finish(() => reject(e));
    });
    worker.on('exit', (code) => {
      const e = new Error(`The dream worker exited (code ${code}) before finishing.`);
      written!.reject(e); // no effect once written
      finish(() => reject(e));
    });
  });
}
