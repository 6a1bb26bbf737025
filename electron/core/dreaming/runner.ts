// Starts a dream in a worker_threads worker and turns its messages into a promise. Cancel =
// terminate the worker: it never wrote anything, so the store is untouched. A crash in the worker
// rejects this promise; it never takes the owning process down.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type { DreamInput, DreamOutput, WorkerMessage } from './types';

/** How the host starts the worker: the built .js in Electron, the .ts source through tsx in plain Node. */
export interface WorkerLauncher { file: string | URL; execArgv?: string[] }

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

export function runDreamInWorker(launcher: WorkerLauncher, input: DreamInput, opts: RunOptions = dreamRunContext.getStore() ?? {}): Promise<DreamOutput> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new DreamCancelled());
    const worker = new Worker(launcher.file, { workerData: input, execArgv: launcher.execArgv ?? [] });
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
      else if (m.type === 'result') finish(() => resolve(m.output));
      else finish(() => reject(new Error(`The dream failed in its worker: ${m.message}`)));
    });
    worker.on('error', (err) => finish(() => reject(new Error(`The dream worker crashed: ${err.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`The dream worker exited (code ${code}) before finishing.`))));
  });
}
