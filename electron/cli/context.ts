// What every CLI command shares: how to open the store (read-only for queries, so they work while
// the app holds the writer lock), how to print (--json → machine output on stdout, everything else
// on stderr) and how failures map to exit codes (1 failure, 2 usage).
import { createClient, type Client } from '../../shared/contract/client';
import { ContractError } from '../../shared/contract/define';
import { openCore, type Core } from '../core/core';
import { DEMO_DIR, packageVersion, sourceWorkerLauncher } from '../core/platform/node';
import { defaultStoreDir } from '../core/store/paths';

export interface GlobalOpts { store?: string; json?: boolean }

export class UsageError extends Error {}

export async function withCore<T>(opts: GlobalOpts, mode: 'read' | 'write', fn: (api: Client, core: Core) => Promise<T>): Promise<T> {
  const core = await openCore({
    storeDir: opts.store ?? defaultStoreDir(),
    host: 'cli',
    worker: sourceWorkerLauncher(),
    version: packageVersion(),
    demoDir: DEMO_DIR,
    readOnly: mode === 'read',
  });
  // A repaired or migrated store, a lock cleared after a crash: the user hears about it on stderr.
  for (const n of core.store.notices) log(`notice: ${n}`);
  // A running dream's progress on stderr (a person watching `reverie dream`), never with --json.
  if (!opts.json) core.events.on('progress', dreamProgressPrinter());
  try {
    return await fn(createClient(core.dispatch), core);
  } finally {
    await core.close();
  }
}

export function print(opts: GlobalOpts, json: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Prints a phase when it starts and then at most every two seconds; the scheduler sends far more. */
function dreamProgressPrinter(): (p: { phase: string; done: number; total: number } | null) => void {
  let phase = '';
  let at = 0;
  return (p) => {
    if (!p || p.phase === 'starting') return;
    const now = Date.now();
    if (p.phase === phase && now - at < 2000) return;
    phase = p.phase;
    at = now;
    log(`  ${p.phase}${p.total ? ` ${p.done}/${p.total}` : ''}`);
  };
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return 2;
  if (err instanceof ContractError && err.type === 'invalid-input') return 2;
  return 1;
}
