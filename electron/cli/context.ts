// What every CLI command shares: how to open the store (read-only for queries, so they work while
// the app holds the writer lock), how to print (--json → machine output on stdout, everything else
// on stderr) and how failures map to exit codes (1 failure, 2 usage).
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client, type Transport } from '../../shared/contract/client';
import { ContractError } from '../../shared/contract/define';
import { openCore, type Core, type CoreOptions } from '../core/core';
import { cliWorkerLauncher, DEMO_DIR, packageVersion } from '../core/platform/node';
import { defaultStoreDir } from '../core/store/paths';
import { takeDreamAhead } from './dream-ahead';

export interface GlobalOpts { store?: string; json?: boolean }

export class UsageError extends Error {}

/** A read-only command on a folder that holds no store: a typo in --store, not an empty store. */
export class NoStoreError extends Error {}

/** Read-only methods that need no store at all (listing seed packs, finding log locations on this machine). */
const STORELESS = new Set(['seeds.packs', 'import.discover']);

/**
 * Whether `dir` is a Reverie store: its main document, what a repair restores it from (the index,
 * backups), or the sessions/ folder every writable open creates (a store a writer holds but has not
 * saved yet). Writers (import, dream, …) create the store on first use; readers must not pretend an
 * empty one exists, or `lessons --store /typo` prints [] and the typo goes unnoticed.
 */
export function isStoreDir(dir: string): boolean {
  return ['reverie.json', 'index.json', 'backups', 'sessions'].some((name) => fs.existsSync(path.join(dir, name)));
}

export async function withCore<T>(opts: GlobalOpts, mode: 'read' | 'write', fn: (api: Client, core: Core) => Promise<T>, tuning: Pick<CoreOptions, 'dreamAhead'> = {}): Promise<T> {
  const storeDir = path.resolve(opts.store ?? defaultStoreDir());
  // Only a folder named with --store: the default location (or REVERIE_HOME) before the first
  // import is a fresh install whose lists are simply empty, not a mistake.
  const missing = mode === 'read' && opts.store !== undefined && !isStoreDir(storeDir);
  const core = await openCore({
    storeDir,
    host: 'cli',
    worker: cliWorkerLauncher(),
    version: packageVersion(),
    demoDir: DEMO_DIR,
    readOnly: mode === 'read',
    ...tuning,
    // Started by bin/reverie.mjs before the CLI loaded, when it guessed this dream from argv.
    ...(tuning.dreamAhead ? { dreamAhead: takeDreamAhead(storeDir) ?? true } : {}),
  });
  // A repaired or migrated store, a lock cleared after a crash: the user hears about it on stderr.
  for (const n of core.store.notices) log(`notice: ${n}`);
  // The session index loads on first use, so what it repairs or upgrades is known only later: said at the end.
  const said = core.store.notices.length;
  // A running dream's progress on stderr (a person watching `reverie dream`), never with --json.
  if (!opts.json) core.events.on('progress', dreamProgressPrinter());
  try {
    // Checked per call rather than up front: the same read-only open serves store-less methods too.
    const transport: Transport = missing
      ? async (method, input) => {
          if (!STORELESS.has(method)) throw new NoStoreError(`No Reverie store at ${storeDir} (no reverie.json there). Check --store, or create one with \`reverie import <path>\`.`);
          return core.dispatch(method, input);
        }
      : core.dispatch;
    return await fn(createClient(transport), core);
  } finally {
    for (const n of core.store.notices.slice(said)) log(`notice: ${n}`);
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
