import { parentPort, workerData } from 'node:worker_threads';
import { computeDreamDeferred } from '../../electron/core/dreaming/compute';
import type { DreamInput } from '../../electron/core/dreaming/types';

const { output } = computeDreamDeferred(workerData as DreamInput);
parentPort!.postMessage({ type: 'result', output });
parentPort!.postMessage({ type: 'error', message: 'ENOSPC: no space left on device (simulated)' });
