import type { Handlers, Method } from '../../shared/contract';
import type { RefineOptions } from './dreaming/claude/refine';
import type { WarmWorker, WorkerLauncher } from './dreaming/runner';
import type { FollowService } from './follow/service';
import type { DreamScheduler } from './scheduler/scheduler';
import type { Store } from './store/store';

/** What every domain's handlers get: the store they own and the host's seams. */
export interface CoreContext {
  store: Store;
  host: 'electron' | 'browser' | 'cli';
  version: string;
  worker: WorkerLauncher;
  /** Folder of bundled demo sessions (resources/demo), offered on an empty store. */
  demoDir: string | null;
  /** Serializes mutations inside this process: the store has one writer, and it writes in order. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Lets hosts push "data changed" to their UIs (IPC event, SSE). */
  notify(topic: string): void;
  /** The user's Anthropic key for the Claude engine: the host's store (safeStorage), else ANTHROPIC_API_KEY. */
  apiKey(): Promise<string | null>;
  /** Transport tuning for the Claude engine (tests shorten timeouts; defaults suit real use). */
  claude: ClaudeTuning;
  /** Runs every dream one at a time (manual ones too), logs each run, cancels; starts automatic triggers in long-lived hosts. */
  scheduler: DreamScheduler;
  /** Imports new and grown files of followed sources in the background; long-lived hosts start it. */
  follower: FollowService;
  /** A dream's worker started with the core (CoreOptions.dreamAhead), its index read ahead: the next incremental dream takes it. */
  dreamAhead?: WarmWorker;
}

export type DomainHandlers<M extends Method> = Pick<Handlers, M>;

export type ClaudeTuning = Partial<Pick<RefineOptions, 'baseURL' | 'timeoutMs' | 'maxRetries' | 'maxRetryWaitMs' | 'sleep' | 'log' | 'promptCaching' | 'discoveryBatchSessions'>>;
