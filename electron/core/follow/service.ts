// Following inside a long-lived host (the Electron main process, `serve`): the host already owns the
// store (it holds the writer lock), so each batch is imported in process, in turn with every other
// write (ctx.exclusive). The watched roots follow the enabled sources in the main document; after an
// import the dream scheduler checks its triggers at once, so "after N new sessions" fires by itself.
import type { CoreContext } from '../context';
import { importFollowed } from './sources';
import { FollowWatcher, type FollowWatcherOptions } from './watcher';

export type FollowStartOptions = Omit<FollowWatcherOptions, 'importBatch'>;

export class FollowService {
  private watcher: FollowWatcher | null = null;
  private readonly onChange = (topic: string) => {
    if (topic === 'follow') this.refresh();
  };

  constructor(private readonly ctx: CoreContext, private readonly events: NodeJS.EventEmitter) {}

  get active(): boolean { return this.watcher !== null; }

  /** Starts watching the enabled sources (a read-only store is never written, so it never follows). */
  start(opts: FollowStartOptions = {}): void {
    if (this.watcher || this.ctx.store.readOnly) return;
    const log = opts.log ?? (() => {});
    this.watcher = new FollowWatcher({
      ...opts,
      importBatch: async (paths, reason) => {
        const result = await this.ctx.exclusive(() => importFollowed(this.ctx.store, paths));
        if (result.sessions || result.events) {
          log(`Followed sources: ${result.sessions} new or changed session(s), ${result.events} new event(s) (${reason === 'rescan' ? 'periodic rescan' : paths.length === 1 ? paths[0] : `${paths.length} files`}).`);
          this.ctx.notify('sessions');
        }
        for (const e of result.errors) log(`notice: ${e.file}${e.line ? `:${e.line}` : ''} — ${e.reason}`);
        this.ctx.notify('follow');
        if (result.sessions && this.ctx.scheduler.active) void this.ctx.scheduler.tick();
      },
    });
    this.events.on('change', this.onChange);
    this.refresh();
  }

  private refresh(): void {
    this.watcher?.setRoots(this.ctx.store.data.follow.filter((s) => s.enabled).map((s) => s.path));
  }

  async stop(): Promise<void> {
    this.events.off('change', this.onChange);
    const w = this.watcher;
    this.watcher = null;
    await w?.close();
  }
}
