// openCore: the one entry point every host uses (Electron main, the CLI, the browser bridge).
// It owns the store (taking the writer lock), builds the handler maps and the validated dispatch.
import { EventEmitter } from 'node:events';
import type { Handlers } from '../../shared/contract';
import type { ClaudeTuning, CoreContext } from './context';
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_FILE } from './dreaming/observations';
import { warmDreamWorker, type WarmWorker, type WorkerLauncher } from './dreaming/runner';
import { FollowService } from './follow/service';
import { createHandlers } from './handlers';
import { createDispatch, type Dispatch } from './rpc';
import { DreamScheduler } from './scheduler/scheduler';
import { Store } from './store/store';
import { trace } from './trace';

export interface CoreOptions {
  storeDir: string;
  host: CoreContext['host'];
  worker: WorkerLauncher;
  version?: string;
  demoDir?: string | null;
  readOnly?: boolean;
  /** Where the Claude engine gets the user's key; defaults to ANTHROPIC_API_KEY. Electron passes its safeStorage-backed reader. */
  apiKey?: () => Promise<string | null>;
  claude?: ClaudeTuning;
  /**
   * A dream is what this process is for (the CLI's `reverie dream`): its worker starts before the store
   * opens and reads the observation index meanwhile (the longest read of an incremental dream). Or
   * that worker, started by the host before it loaded (the CLI: cli/dream-ahead.ts).
   */
  dreamAhead?: boolean | WarmWorker;
}

export interface Core {
  store: Store;
  handlers: Handlers;
  dispatch: Dispatch;
  /**
   * Emits 'change' with a topic ('lessons', 'sessions', 'dreams', 'settings', 'scheduler') after data
   * changed, and 'progress' with the running dream (RunningDream | null) while one runs.
   */
  events: EventEmitter;
  /** Every dream goes through it; long-lived hosts (the app, `serve`) call scheduler.start({ idle }). */
  scheduler: DreamScheduler;
  /** Watches the followed sources; long-lived hosts (the app, `serve`) call follower.start(). */
  follower: FollowService;
  close(): Promise<void>;
}

export async function openCore(opts: CoreOptions): Promise<Core> {
  // Read before this process holds the writer lock: the worker checks, when its dream starts, that the file is still the one it read.
  const ahead = typeof opts.dreamAhead === 'object' ? opts.dreamAhead
    : opts.dreamAhead && !opts.readOnly && fs.existsSync(path.join(opts.storeDir, INDEX_FILE)) ? warmDreamWorker(opts.worker, opts.storeDir) : undefined;
  trace('core: opening the store');
  let store: Store;
  try {
    store = await Store.open(opts.storeDir, { host: opts.host, readOnly: opts.readOnly });
    trace('core: store open');
  } catch (err) {
    ahead?.stop();
    throw err;
  }
  const events = new EventEmitter();
  // Several UI windows and SSE streams may listen; the default limit of 10 is a leak warning, not a rule.
  events.setMaxListeners(100);
  let queue: Promise<unknown> = Promise.resolve();
  const ctx: CoreContext = {
    store,
    host: opts.host,
    version: opts.version ?? '0.1.0',
    worker: opts.worker,
    demoDir: opts.demoDir ?? null,
    ...(ahead ? { dreamAhead: ahead } : {}),
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
    notify: (topic) => events.emit('change', topic),
    apiKey: opts.apiKey ?? (async () => process.env.ANTHROPIC_API_KEY?.trim() || null),
    claude: opts.claude ?? {},
    // Set right below: the scheduler needs the finished context.
    scheduler: undefined as unknown as DreamScheduler,
    follower: undefined as unknown as FollowService,
  };
  let dreamChain: Handlers['dreams.run'] = (args) => Promise.reject(new Error(`dreams.run called before the core was ready (${JSON.stringify(args)})`));
  // The scheduler runs the full dreams.run chain (with wrappers such as auto write-back) for every trigger.
  const scheduler = new DreamScheduler(ctx, (args) => dreamChain(args), events);
  ctx.scheduler = scheduler;
  const follower = new FollowService(ctx, events);
  ctx.follower = follower;
  const handlers = createHandlers(ctx);
  dreamChain = handlers['dreams.run'];
  // Manual dreams go through the scheduler too: one at a time, logged, cancellable, with progress.
  handlers['dreams.run'] = (args) => scheduler.run(args, 'manual');
  return {
    store,
    handlers,
    dispatch: createDispatch(handlers),
    events,
    scheduler,
    follower,
    close: async () => {
      await follower.stop();
      await scheduler.stop();
      await queue.catch(() => undefined);
      ctx.dreamAhead?.stop();
      await store.close();
    },
  };
}
