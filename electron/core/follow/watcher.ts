// Sees new and grown session files under the followed folders and hands them over in debounced
// batches. chokidar does the watching (as Bruno's collection watcher does, GUIDE §10): it waits until
// a write has settled (awaitWriteFinish), ignores node_modules/.git, and polls where native events are
// unreliable (network drives; CHOKIDAR_USEPOLLING=1 or the `polling` option). A periodic rescan hands
// over the whole roots too, so a change no event reported (a sleeping laptop, a full inotify table) is
// still imported; the import ledger makes unchanged files cost one stat each.
// Nothing here knows about the store: the host decides how a batch is imported (in process under the
// store's lock, or by opening the store per batch in `reverie follow`).
import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { EDITOR_DB, isCandidateFile, SKIP_DIRS } from '../importers/files';

export interface FollowWatcherOptions {
  /** Imports one batch of changed files (or, on a rescan, whole roots). A rejection is logged and the batch retried later. */
  importBatch(paths: string[], reason: 'change' | 'rescan'): Promise<void>;
  /** Quiet time after the last change before a batch goes out. */
  debounceMs?: number;
  /** How often the roots are handed over whole; 0 turns the rescan off. */
  rescanMs?: number;
  /** Poll instead of native events (network drives, some containers). */
  polling?: boolean;
  /** How long a file must stay unchanged before it counts as written (awaitWriteFinish). */
  settleMs?: number;
  /**
   * A database (Cursor's state.vscdb) is re-read whole on every change and Cursor writes it all the
   * time while a chat runs: it is imported at most this often (a JSONL log only adds its new lines).
   */
  databaseEveryMs?: number;
  log?(message: string): void;
}

/** A Cursor database's write-ahead log changes while the database file itself stays the same. */
function sessionFileFor(p: string): string | null {
  if (path.basename(p) === `${EDITOR_DB}-wal`) return path.join(path.dirname(p), EDITOR_DB);
  return isCandidateFile(p) ? p : null;
}

/**
 * Not watched: node_modules, .git, and everything in an editor's storage folder but its database (as
 * the import walks it: Cursor's globalStorage also holds every extension's files, which change often).
 */
const ignored = (p: string) => {
  if (p.split(/[\\/]/).some((part) => SKIP_DIRS.has(part))) return true;
  const name = path.basename(p);
  return name !== EDITOR_DB && name !== `${EDITOR_DB}-wal` && fs.existsSync(path.join(path.dirname(p), EDITOR_DB));
};

export class FollowWatcher {
  /** One watcher per root (as Bruno keeps one per collection): each reports its own `ready`. */
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Set<string>();
  private rescanDue = false;
  private debounce: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly debounceMs: number;
  private readonly databaseEveryMs: number;
  private readonly databaseReadAt = new Map<string, number>();
  private readonly log: (message: string) => void;

  constructor(private readonly opts: FollowWatcherOptions) {
    this.debounceMs = opts.debounceMs ?? 1000;
    this.databaseEveryMs = opts.databaseEveryMs ?? 30_000;
    this.log = opts.log ?? (() => {});
  }

  get watching(): string[] {
    return [...this.watchers.keys()];
  }

  /** Watches exactly these roots (folders or files); a new root is imported whole once its watcher is ready. */
  setRoots(roots: string[]): void {
    if (this.closed) return;
    const next = new Set(roots.map((r) => path.resolve(r)));
    for (const [root, w] of this.watchers) {
      if (next.has(root)) continue;
      this.watchers.delete(root);
      void w.close();
    }
    for (const root of next) if (!this.watchers.has(root)) this.watch(root);
    if (this.watchers.size && !this.rescanTimer) this.startRescans();
  }

  private watch(root: string): void {
    if (!fs.existsSync(root)) this.log(`notice: ${root} does not exist (yet); it is watched and imported once it appears.`);
    const w = watch(root, {
      ignoreInitial: true,
      ignored,
      usePolling: this.opts.polling ?? undefined,
      interval: 1000,
      // Agents append a line at a time; a file that kept still this long is worth reading.
      awaitWriteFinish: { stabilityThreshold: this.opts.settleMs ?? 200, pollInterval: 50 },
      ignorePermissionErrors: true,
    });
    this.watchers.set(root, w);
    const onFile = (p: string) => {
      const file = sessionFileFor(p);
      // chokidar may still report a write under a root just unwatched (a source turned off).
      if (!file || !this.inRoots(file)) return;
      this.pending.add(file);
      this.schedule(this.debounceMs);
    };
    w.on('add', onFile).on('change', onFile);
    // Ready: from here on every write is an event. The whole root is imported now, which also
    // covers anything written while the watcher was still scanning (initial files raise no event).
    w.once('ready', () => {
      if (this.watchers.get(root) !== w) return;
      this.pending.add(root);
      this.schedule(0);
    });
    // A deleted file is no loss: its sessions stay in the store. Said once, not an error.
    w.on('unlink', (p) => {
      if (sessionFileFor(p) === p) this.log(`notice: ${p} was deleted; the sessions imported from it stay in the store.`);
    });
    w.on('error', (err) => this.log(`notice: watching ${root} stopped working for a moment (${(err as Error).message}); the periodic rescan covers it.`));
  }

  private startRescans(): void {
    const every = this.opts.rescanMs ?? 5 * 60_000;
    if (every <= 0) return;
    this.rescanTimer = setInterval(() => {
      this.rescanDue = true;
      this.schedule(0);
    }, every);
    this.rescanTimer.unref();
  }

  private inRoots(p: string): boolean {
    for (const r of this.watchers.keys()) if (p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) return true;
    return false;
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.flush();
    }, delay);
  }

  /** Imports what is pending; one batch at a time (changes during a batch make the next one). */
  async flush(): Promise<void> {
    if (this.running) return this.running;
    if (!this.pending.size && !this.rescanDue) return;
    const rescan = this.rescanDue;
    const batch = rescan ? [...this.watchers.keys()] : [...this.pending].filter((p) => {
      if (!this.inRoots(p)) return false;
      if (fs.existsSync(p)) return true;
      // (A missing root was announced when it was added.)
      if (!this.watchers.has(p)) this.log(`notice: ${p} is gone before it could be imported; nothing stored was lost.`);
      return false;
    });
    this.pending.clear();
    this.rescanDue = false;
    // Databases read less than databaseEveryMs ago wait for their turn (kept, never dropped).
    const now = Date.now();
    let wait = Infinity;
    for (let i = batch.length - 1; i >= 0; i--) {
      const p = batch[i];
      if (path.basename(p) !== EDITOR_DB) continue;
      const due = (this.databaseReadAt.get(p) ?? 0) + this.databaseEveryMs;
      if (due > now) {
        batch.splice(i, 1);
        this.pending.add(p);
        wait = Math.min(wait, due - now);
      } else this.databaseReadAt.set(p, now);
    }
    if (wait !== Infinity) this.schedule(wait);
    if (!batch.length) return;
    this.running = this.opts.importBatch(batch, rescan ? 'rescan' : 'change').catch((err: unknown) => {
      // Kept for the next try (the store may be held by another process): nothing is dropped.
      for (const p of batch) this.pending.add(p);
      this.log(`notice: ${(err as Error).message}`);
      this.schedule(Math.max(this.debounceMs, 5000));
    });
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    if (this.pending.size && !this.debounce) this.schedule(this.debounceMs);
  }

  /** Stops watching; a batch being imported is finished first (it holds the store's lock). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.debounce) clearTimeout(this.debounce);
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    this.debounce = null;
    this.rescanTimer = null;
    const all = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(all.map((w) => w.close()));
    await this.running;
  }
}
