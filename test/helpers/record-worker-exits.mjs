// A record worker (core/importers/record-pool.ts) whose thread stops at the first session it is given.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => process.exit(7));
