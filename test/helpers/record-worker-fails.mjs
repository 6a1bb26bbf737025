// A record worker (core/importers/record-pool.ts) whose every preparation fails: it answers each session with an error.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.on('message', (m) => workerData.replies.postMessage({ n: m.n, error: `cannot prepare ${m.base.id} here` }));
