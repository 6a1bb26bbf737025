// A record worker (core/importers/record-pool.ts) whose every preparation fails: it answers each session with an error.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => parentPort.postMessage({ n: m.n, error: `cannot prepare ${m.base.id} here` }));
