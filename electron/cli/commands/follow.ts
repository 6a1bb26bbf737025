import path from 'node:path';
import type { Command } from 'commander';
import { ContractError } from '../../../shared/contract/define';
import type { ImportResult } from '../../../shared/model';
import { FollowWatcher } from '../../core/follow/watcher';
import { log, UsageError, withCore, type GlobalOpts } from '../context';
import { unreadablePaths } from './import';

interface FollowOpts extends GlobalOpts { rescan: string; debounce: string; poll?: boolean }

/** How long to wait before trying again when another process holds the store. */
const LOCKED_RETRY_MS = 5000;

const clock = () => new Date().toTimeString().slice(0, 8);

/**
 * Opens the store for one write, as any import does: the lock is held only while a batch is written,
 * so the app, `serve` or an `import` can use the store between batches. A store held by another
 * process is said plainly; the caller tries again later.
 */
async function write<T>(opts: GlobalOpts, fn: Parameters<typeof withCore<T>>[2]): Promise<T> {
  try {
    return await withCore(opts, 'write', fn);
  } catch (err) {
    if (err instanceof ContractError && err.type === 'locked') throw new Error(`${err.message.split('. ')[0]}; trying again in ${LOCKED_RETRY_MS / 1000} s.`);
    throw err;
  }
}

function renderBatch(r: ImportResult, paths: string[]): string {
  const what = paths.length === 1 ? paths[0] : `${paths.length} files`;
  return `${clock()} imported ${r.sessions} new or changed session(s), ${r.events} new event(s) from ${what}`;
}

/**
 * Resolves on Ctrl+C or SIGTERM. The listeners stay until `dispose`: write-file-atomic's signal-exit
 * re-raises a signal when it finds no listener but its own, which would kill a batch mid-write.
 */
function stopSignal(): { stopped: Promise<string>; dispose(): void } {
  let resolve: (sig: string) => void = () => {};
  const stopped = new Promise<string>((r) => (resolve = r));
  const onInt = () => resolve('SIGINT');
  const onTerm = () => resolve('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

export function registerFollow(program: Command, common: (c: Command) => Command): void {
  common(program.command('follow').description('keep importing new and grown session files of followed sources until stopped (Ctrl+C)'))
    .argument('[paths...]', 'folders to follow (remembered); without any, every followed source')
    .option('--rescan <seconds>', 'also re-check everything this often, for changes the file watcher missed', '300')
    .option('--debounce <ms>', 'quiet time after a change before importing', '1000')
    .option('--poll', 'poll the folders instead of using file-system events (network drives)')
    .action(async (paths: string[], opts: FollowOpts) => {
      const rescanS = Number(opts.rescan);
      const debounceMs = Number(opts.debounce);
      if (!Number.isFinite(rescanS) || rescanS < 0) throw new UsageError(`--rescan must be a number of seconds, not "${opts.rescan}"`);
      if (!Number.isInteger(debounceMs) || debounceMs < 0) throw new UsageError(`--debounce must be a number of milliseconds, not "${opts.debounce}"`);
      if (paths.length) {
        const unreadable = unreadablePaths(paths);
        if (unreadable) throw new Error(unreadable.replace('Nothing to import', 'Nothing to follow'));
      }
      const signal = stopSignal();
      const stopped = signal.stopped;
      try {
        let stopping = false;
        void stopped.then(() => (stopping = true));
        // Remember the folders given (so the app and `serve` follow them too); wait while another process writes.
        let roots: string[] = [];
        for (;;) {
          try {
            const list = paths.length
              ? await write(opts, (api) => api.call('follow.add', { paths: paths.map((p) => path.resolve(p)) }))
              : await withCore(opts, 'read', (api) => api.call('follow.list', {}));
            roots = paths.length ? paths.map((p) => path.resolve(p)) : list.sources.filter((s) => s.enabled).map((s) => s.path);
            break;
          } catch (err) {
            if (!(err instanceof Error) || !/trying again/.test(err.message)) throw err;
            log(`notice: ${err.message}`);
            const waited = await Promise.race([stopped, new Promise((r) => setTimeout(() => r(null), LOCKED_RETRY_MS))]);
            if (waited) return;
          }
        }
        if (!roots.length) throw new UsageError('Nothing to follow: give folders (`reverie follow ~/.claude/projects`), or follow what discovery finds (`reverie import --discover --all`).');

        const watcher = new FollowWatcher({
          debounceMs,
          rescanMs: rescanS * 1000,
          polling: opts.poll,
          log,
          importBatch: async (batch, reason) => {
            const r = await write(opts, (api) => api.call('follow.import', { paths: batch }));
            if (opts.json) process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), reason, paths: batch, ...r })}\n`);
            else if (r.sessions || r.events) process.stdout.write(`${renderBatch(r, batch)}\n`);
            for (const e of r.errors) log(`notice: ${e.file}${e.line ? `:${e.line}` : ''} — ${e.reason}`);
          },
        });
        if (!opts.json) log(`Following ${roots.join(', ')} (Ctrl+C to stop) …`);
        watcher.setRoots(roots);
        if (!stopping) await stopped;
        // A batch being written is finished (it holds the store's lock); nothing is cut off halfway.
        await watcher.close();
        if (!opts.json) log('Stopped following.');
      } finally {
        signal.dispose();
      }
    });
}
