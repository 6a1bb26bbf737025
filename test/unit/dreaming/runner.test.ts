// The worker protocol (runner.ts): the result comes first and the observation index after it, so the
// owner can record a dream while the index is written, and a failure after the result reaches
// `indexWritten` (never the result, never an unhandled rejection).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DreamCancelled, runDreamInWorker, startDreamInWorker, warmDreamWorker } from '../../../electron/core/dreaming/runner';
import type { DreamInput, DreamOutput } from '../../../electron/core/dreaming/types';
import { tempDir } from '../../helpers/env';

const output: DreamOutput = { changes: [], stats: { sessionsRead: 1, signalsRead: 2, patterns: 0 } };

/** A worker script that plays one protocol: the messages it posts, in order, with a pause between. */
function fakeWorker(messages: unknown[], thenExit = true): { file: string } {
  const file = path.join(tempDir(), 'worker.mjs');
  fs.writeFileSync(file, `import { parentPort } from 'node:worker_threads';
const messages = ${JSON.stringify(messages)};
for (const m of messages) { parentPort.postMessage(m); await new Promise((r) => setTimeout(r, 30)); }
${thenExit ? '' : 'setInterval(() => {}, 1000);'}
`);
  return { file };
}

const input = { storeDir: '/nowhere' } as DreamInput;

describe('dream worker protocol', () => {
  it('answers with the result before the index is written, then says when it is', async () => {
    const order: string[] = [];
    const run = await startDreamInWorker(fakeWorker([{ type: 'result', output }, { type: 'index-written' }]), input, {});
    order.push('result');
    expect(run.output).toEqual(output);
    await run.indexWritten.then(() => order.push('written'));
    expect(order).toEqual(['result', 'written']);
  });

  it('a failure after the result rejects only indexWritten', async () => {
    const run = await startDreamInWorker(fakeWorker([{ type: 'result', output }, { type: 'error', message: 'disk full' }]), input, {});
    expect(run.output).toEqual(output);
    await expect(run.indexWritten).rejects.toThrow(/The dream failed in its worker: disk full/);
    // A caller that needs both hears of it.
    await expect(runDreamInWorker(fakeWorker([{ type: 'result', output }, { type: 'error', message: 'disk full' }]), input, {})).rejects.toThrow(/disk full/);
  });

  it('a worker that exits after its result without writing rejects indexWritten', async () => {
    const run = await startDreamInWorker(fakeWorker([{ type: 'result', output }]), input, {});
    await expect(run.indexWritten).rejects.toThrow(/exited \(code 0\) before finishing/);
  });

  it('a cancel before the result ends the worker and the dream', async () => {
    const controller = new AbortController();
    const started = startDreamInWorker(fakeWorker([{ type: 'progress', phase: 'reading signals', done: 0, total: 1 }], false), input, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(started).rejects.toBeInstanceOf(DreamCancelled);
  });

  it('a warm worker, started before its input, gets the input by message and answers for it', async () => {
    const file = path.join(tempDir(), 'warm-worker.mjs');
    // Plays the warm protocol: it knows only the store at start, the rest comes as one message.
    fs.writeFileSync(file, `import { parentPort, workerData } from 'node:worker_threads';
const store = workerData.warm;
parentPort.once('message', (input) => {
  parentPort.postMessage({ type: 'result', output: { changes: [], stats: { sessionsRead: 0, signalsRead: 0, patterns: 0 }, message: store + ' ' + input.now } });
  parentPort.postMessage({ type: 'index-written' });
});
`);
    const warm = warmDreamWorker({ file }, '/the/store');
    const run = await startDreamInWorker({ file }, { ...input, now: 'then' }, {}, warm);
    expect(run.output.message).toBe('/the/store then');
    await run.indexWritten;
    // One that no dream takes over is stopped without a trace.
    warmDreamWorker({ file }, '/the/store').stop();
  });
});
