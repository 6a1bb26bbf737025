// `reverie dream`'s longest read, started with the process. An incremental dream's worker reads the
// observation index (tens of MB at a year of logs) while the owner opens the store; started by the
// core, that worker began only once the CLI's code had loaded (~0.3–0.5 s on a slow laptop), and
// its read, not the owner's work, ended last. Bundled on its own (out/cli/dream-ahead.mjs, a few KB)
// so bin/reverie.mjs starts the worker before it loads the rest of the CLI.
//
// The store folder is guessed from argv for the one plain form `reverie dream [--store <dir>]
// [--json] [--engine <e>]`; anything else starts nothing. A wrong guess costs nothing but the read:
// the core takes the worker only for the folder it opens (takeDreamAhead), and the worker is
// unref'd until then, so a process that never takes it exits as it would have. Reading before the
// writer lock is held is what the core's own read-ahead always did: the worker checks, when the dream
// starts, that the file is still the one it read (observations-file.ts indexStillCurrent).
import path from 'node:path';
import { warmDreamWorker, type WarmWorker } from '../core/dreaming/runner';
import { cliWorkerLauncher } from '../core/platform/node';
import { defaultStoreDir } from '../core/store/paths';
import { trace } from '../core/trace';

/** The store folder a plain incremental `reverie dream` opens, or null for any other command line. */
export function incrementalDreamStore(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  if (argv[0] !== 'dream') return null;
  let store: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--store' || a === '--engine') {
      const value = argv[++i];
      if (value === undefined) return null;
      if (a === '--store') store = value;
    } else if (a.startsWith('--store=')) store = a.slice('--store='.length);
    else if (a !== '--json' && !a.startsWith('--engine=')) return null; // --full, --preview, `dream review`, …
  }
  return path.resolve(store ?? defaultStoreDir(env));
}

// Shared by this bundle and the CLI's (two copies of this module): one slot on the process.
const SLOT = Symbol.for('reverie.cli.dreamAhead');
type Slot = { storeDir: string; warm: WarmWorker };
const slots = globalThis as unknown as Record<symbol, Slot | undefined>;

/** Starts the dream's worker if argv is a plain incremental dream (bin/reverie.mjs, before the CLI loads). */
export function startDreamAhead(argv: readonly string[]): void {
  const storeDir = incrementalDreamStore(argv);
  if (!storeDir || slots[SLOT]) return;
  const warm = warmDreamWorker(cliWorkerLauncher(), storeDir);
  warm.worker.unref();
  slots[SLOT] = { storeDir, warm };
  trace('cli: dream worker started ahead');
}

/** The worker started ahead for `storeDir`, now kept alive by its dream; one for another folder is stopped. */
export function takeDreamAhead(storeDir: string): WarmWorker | undefined {
  const slot = slots[SLOT];
  slots[SLOT] = undefined;
  if (!slot) return undefined;
  if (slot.storeDir !== storeDir) {
    slot.warm.stop();
    return undefined;
  }
  slot.warm.worker.ref();
  trace('cli: dream worker taken over');
  return slot.warm;
}
