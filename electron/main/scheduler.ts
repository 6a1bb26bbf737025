// The seam between the app and the dream scheduler. The shell's part is to start it with the app,
// stop it at quit, and give it the machine's idle time (Electron's powerMonitor), which plain Node
// cannot know. The scheduling itself (cron, "after N new sessions", idle, catch-up) belongs to the
// core's scheduler (electron/core/scheduler, issue 6); until that lands this starts nothing and says so.
import type { Core } from '../core/core';

/** Seconds since the user last touched keyboard or mouse. */
export interface IdleSource { idleSeconds(): number }

export interface RunningScheduler { stop(): Promise<void> | void }

export interface AppSchedulerOptions {
  idle: IdleSource;
  log(message: string): void;
}

export function startAppScheduler(_core: Core, opts: AppSchedulerOptions): RunningScheduler {
  opts.log('The dream scheduler is not part of this build yet; dreams run from the tray, the menu or the app.');
  return { stop() {} };
}
