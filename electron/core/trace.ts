// Opt-in step timings (`REVERIE_TRACE=1`): one stderr line per step of a dream, stamped with the wall
// clock and the thread, so the owner's steps and its workers' can be laid side by side — what a CPU
// profile of one thread cannot show. Off (the default), a step costs one boolean test.
import { threadId } from 'node:worker_threads';

const on = !!process.env.REVERIE_TRACE;

export function trace(step: string): void {
  if (on) process.stderr.write(`[trace] ${new Date().toISOString().slice(11, 23)} thread ${threadId} ${step}\n`);
}
