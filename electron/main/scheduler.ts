// The seam between the app and the dream scheduler. The shell's part is to start it with the app,
// stop it at quit, and give it the machine's idle time (Electron's powerMonitor), which plain Node
// cannot know. The scheduling itself (cron, "after N new sessions", idle, catch-up, the run log)
// belongs to the core's scheduler (electron/core/scheduler).
import type { Core } from '../core/core';
import { inputIdleProbe } from '../core/scheduler/idle';

/** Seconds since the user last touched keyboard or mouse. */
export interface IdleSource { idleSeconds(): number }

export interface RunningScheduler { stop(): Promise<void> | void }

export interface AppSchedulerOptions {
  idle: IdleSource;
  log(message: string): void;
}

/** Starts the app's background work: the dream scheduler and the follower that imports new sessions of followed sources. */
export function startAppScheduler(core: Core, opts: AppSchedulerOptions): RunningScheduler {
  core.scheduler.start({ idle: inputIdleProbe(opts.idle), log: opts.log });
  core.follower.start({ log: opts.log });
  return { stop: async () => { await core.follower.stop(); await core.scheduler.stop(); } };
}
