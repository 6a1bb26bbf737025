// The dream scheduler: decides *when* a dream runs and runs one at a time. Triggers:
//   - schedule:     a cron pattern (croner computes the times; our own tick compares them with the
//                   clock, so a time missed while the machine slept or the app was closed is noticed);
//   - catch-up:     the persisted nextDueAt is already past at start or after a long gap;
//   - new-sessions: at least N sessions imported since the last dream;
//   - idle:         the host's idle probe says the machine is idle and there is something new;
//   - manual:       dreams.run from the UI or the CLI goes through here too, so the run log, progress
//                   and cancel cover every dream.
// The dream itself runs in a worker (dreaming/runner.ts): cancel terminates it before anything is
// applied, and a crash in it is logged as a failed run, never thrown into the host.
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { Cron } from 'croner';
import { ContractError } from '../../../shared/contract/define';
import type { DreamTrigger, RunningDream, SchedulerRun, SchedulerStatus } from '../../../shared/contract/scheduler';
import type { Dream } from '../../../shared/model';
import type { CoreContext } from '../context';
import { DreamCancelled, dreamRunContext } from '../dreaming/runner';
import { RUN_LOG_LIMIT } from '../store/schema';
import { neverIdle, type IdleProbe } from './idle';
import { loadLedger } from '../dreaming/claude/ledger';

export interface DreamArgs { engine?: 'heuristic' | 'claude'; full: boolean }
/** The host's full dream path (dreams.run with its wrappers, e.g. auto write-back), run inside dreamRunContext. */
export type PerformDream = (args: DreamArgs) => Promise<Dream>;

export interface StartOptions {
  idle?: IdleProbe;
  /** How often the clock and the triggers are checked. */
  tickMs?: number;
  log?: (message: string) => void;
}

/** A due time missed by more than this counts as a catch-up (the app was closed or the machine slept). */
const CATCH_UP_AFTER_MS = 5 * 60 * 1000;
/** "When idle" dreams at most this often, however idle the machine stays. */
const IDLE_MIN_GAP_MS = 60 * 60 * 1000;
/** An automatic dream that failed is not retried sooner than this. */
const RETRY_AFTER_FAILURE_MS = 15 * 60 * 1000;
/** Progress reaches the UI at most this often (the worker reports much more often at 10k sessions). */
const PROGRESS_EVERY_MS = 200;

/** The next time a cron pattern is due after `from`; throws a clear error for a bad pattern. */
export function nextCronTime(pattern: string, from: Date): Date | null {
  let job: Cron;
  try {
    job = new Cron(pattern, { paused: true });
  } catch (err) {
    throw new ContractError('invalid-input', `"${pattern}" is not a valid cron schedule: ${(err as Error).message}`);
  }
  const next = job.nextRun(from);
  job.stop();
  return next;
}

export class DreamScheduler {
  private running: (RunningDream & { abort: AbortController }) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idle: IdleProbe = neverIdle;
  private lastIdle: boolean | null = null;
  private log: (message: string) => void = () => {};
  private lastProgressAt = 0;
  private trailing: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly perform: PerformDream,
    private readonly events: EventEmitter,
    private readonly now: () => Date = () => new Date(),
  ) {
    // A changed schedule takes effect at once (the next due time is recomputed on the next tick).
    events.on('change', (topic: string) => {
      if (topic === 'settings' && this.timer) void this.tick();
    });
  }

  get active(): boolean { return this.timer !== null; }

  /** Starts the automatic triggers (the app and `serve` do; one-shot CLI commands do not). */
  start(opts: StartOptions = {}): void {
    if (this.timer || this.ctx.store.readOnly) return;
    this.idle = opts.idle ?? neverIdle;
    this.log = opts.log ?? (() => {});
    this.timer = setInterval(() => void this.tick(), opts.tickMs ?? 30_000);
    this.timer.unref();
    const { schedule } = this.ctx.store.data.settings;
    const when = [schedule.cron && `on "${schedule.cron}"`, schedule.afterNewSessions > 0 && `after ${schedule.afterNewSessions} new sessions`, schedule.whenIdle && 'when idle'].filter(Boolean);
    this.log(`The dream scheduler is running${when.length ? `: ${when.join(', ')}` : ' (no automatic triggers set)'}.`);
    // The first check (which may catch up a missed dream) waits a moment: the app's first screen comes first.
    setTimeout(() => void this.tick(), Math.min(opts.tickMs ?? 30_000, 5_000)).unref();
  }

  /** Stops the triggers and cancels a running dream (nothing of it is applied). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.cancel();
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort.abort();
    return true;
  }

  /** A Claude dream left batches pending (an API failure, the cap): a due dream resumes them even with nothing new. */
  private claudePending(engine: string): boolean {
    return engine === 'claude' && loadLedger(this.ctx.store.dir).ledger.pending.length > 0;
  }

  newSessions(): number {
    return this.ctx.store.index.undreamtCount;
  }

  status(): SchedulerStatus {
    const s = this.ctx.store.data.scheduler;
    return { active: this.active, running: this.runningNow(), lastRunAt: s.lastRunAt, nextDueAt: s.nextDueAt, newSessions: this.newSessions(), idle: this.lastIdle };
  }

  /** The running dream as status shows it (without the abort handle). */
  private runningNow(): SchedulerStatus['running'] {
    return this.running ? (({ abort: _a, ...r }) => r)(this.running) : null;
  }

  runs(limit: number): SchedulerRun[] {
    return this.ctx.store.data.scheduler.runs.slice(-limit).reverse();
  }

  /** One check of every trigger; runs at most one dream. Never throws (it runs from a timer). */
  async tick(): Promise<void> {
    if (this.ticking || this.running || this.ctx.store.readOnly) return;
    this.ticking = true;
    try {
      const trigger = await this.dueTrigger();
      if (trigger) await this.run({ full: false }, trigger).catch(() => undefined);
    } catch (err) {
      this.log(`The dream scheduler could not check its triggers: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private async dueTrigger(): Promise<DreamTrigger | null> {
    const { settings, scheduler: state } = this.ctx.store.data;
    const now = this.now();
    // A dream waiting for review blocks the next one (dreams.run refuses it); the user decides first.
    // (From the history's digest: a tick reads none of the dreams.)
    if (this.ctx.store.dreamDigest.pending.length) return null;
    // After a failure, automatic runs back off instead of failing again every tick.
    const lastAuto = state.runs.findLast((r) => r.trigger !== 'manual');
    if (lastAuto?.outcome === 'failed' && now.getTime() - Date.parse(lastAuto.finishedAt) < RETRY_AFTER_FAILURE_MS) return null;
    const cron = settings.schedule.cron;
    let trigger: DreamTrigger | null = null;
    if (cron !== state.cron) {
      // New or changed pattern: start counting from now rather than "catching up" a time it never had.
      await this.saveState(() => {
        state.cron = cron;
        state.nextDueAt = cron ? (nextCronTime(cron, now)?.toISOString() ?? null) : null;
      });
    } else if (cron && state.nextDueAt && Date.parse(state.nextDueAt) <= now.getTime()) {
      trigger = now.getTime() - Date.parse(state.nextDueAt) > CATCH_UP_AFTER_MS ? 'catch-up' : 'schedule';
    }
    const fresh = this.newSessions();
    if (trigger && fresh === 0 && !this.claudePending(settings.engine)) {
      // Due, but nothing new to dream over: move the schedule on without a run.
      await this.saveState(() => { state.nextDueAt = nextCronTime(cron!, now)?.toISOString() ?? null; });
      trigger = null;
    }
    if (!trigger && settings.schedule.afterNewSessions > 0 && fresh >= settings.schedule.afterNewSessions) trigger = 'new-sessions';
    this.lastIdle = this.idle.isIdle();
    if (!trigger && settings.schedule.whenIdle && fresh > 0 && this.lastIdle === true) {
      const last = state.lastRunAt ? Date.parse(state.lastRunAt) : 0;
      if (now.getTime() - last >= IDLE_MIN_GAP_MS) trigger = 'idle';
    }
    return trigger;
  }

  /**
   * Runs one dream now. Only one at a time: a second request while one runs is refused with a
   * `conflict` naming the running one. Every outcome (applied, empty, cancelled, failed) is logged.
   */
  async run(args: DreamArgs, trigger: DreamTrigger): Promise<Dream> {
    if (this.running) {
      throw new ContractError('conflict', `A dream is already running (${this.running.trigger}, since ${this.running.startedAt}). Wait for it or cancel it.`);
    }
    const startedAt = this.now();
    const abort = new AbortController();
    const runId = `r-${startedAt.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
    const onProgress = (phase: string, done: number, total: number) => {
      if (this.running?.runId !== runId) return;
      Object.assign(this.running, { phase, done, total });
      this.changed(false);
    };
    this.running = { runId, trigger, startedAt: startedAt.toISOString(), phase: 'starting', done: 0, total: 0, abort };
    this.changed(true);
    const engine = args.engine ?? this.ctx.store.data.settings.engine;
    const entry = (outcome: SchedulerRun['outcome'], extra: Partial<SchedulerRun>): SchedulerRun => {
      const finishedAt = this.now();
      return { id: runId, trigger, engine, full: args.full, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime(), outcome, dreamId: null, changes: 0, ...extra };
    };
    try {
      const dream = await dreamRunContext.run({ signal: abort.signal, onProgress }, () => this.perform(args));
      await this.record(entry(dream.status === 'pending' ? 'pending' : dream.status === 'empty' ? 'empty' : 'applied', { dreamId: dream.id, changes: dream.changes.length, ...(dream.message ? { message: dream.message } : {}) }));
      return dream;
    } catch (err) {
      const cancelled = err instanceof DreamCancelled || abort.signal.aborted;
      const message = cancelled ? 'Cancelled; nothing was changed.' : (err as Error).message || String(err);
      if (!cancelled) this.log(`A ${trigger} dream failed: ${message}`);
      await this.record(entry(cancelled ? 'cancelled' : 'failed', { message })).catch(() => undefined);
      if (cancelled && !(err instanceof ContractError)) throw new ContractError('failed', 'The dream was cancelled; nothing was changed.');
      throw err;
    } finally {
      this.running = null;
      this.changed(true);
    }
  }

  /** Appends to the run log and moves the schedule on; written like any other change, in order. */
  private async record(run: SchedulerRun): Promise<void> {
    const state = this.ctx.store.data.scheduler;
    await this.saveState(() => {
      state.runs.push(run);
      if (state.runs.length > RUN_LOG_LIMIT) state.runs.splice(0, state.runs.length - RUN_LOG_LIMIT);
      const succeeded = run.outcome !== 'cancelled' && run.outcome !== 'failed';
      if (succeeded) state.lastRunAt = run.finishedAt;
      // A manual dream that did not complete leaves a due (or overdue) scheduled dream in place.
      if (succeeded || run.trigger !== 'manual') {
        const cron = this.ctx.store.data.settings.schedule.cron;
        state.cron = cron;
        state.nextDueAt = cron ? (nextCronTime(cron, this.now())?.toISOString() ?? null) : null;
      }
    });
  }

  private async saveState(fn: () => void): Promise<void> {
    if (this.ctx.store.readOnly) return;
    await this.ctx.exclusive(async () => {
      fn();
      await this.ctx.store.writeMain();
    });
    this.ctx.notify('scheduler');
  }

  /** Announces the running dream (or its end); throttled, but the latest state always goes out (trailing edge). */
  private changed(force: boolean): void {
    const wait = this.lastProgressAt + PROGRESS_EVERY_MS - Date.now();
    if (!force && wait > 0) {
      this.trailing ??= setTimeout(() => {
        this.trailing = null;
        if (this.running) this.changed(true);
      }, wait);
      return;
    }
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastProgressAt = Date.now();
    // Only the running part: the whole status counts new sessions, which loads the session index and
    // walks every session (at 100,000 sessions a second and more) for each progress event.
    this.events.emit('progress', this.runningNow());
    this.ctx.notify('scheduler');
  }
}
