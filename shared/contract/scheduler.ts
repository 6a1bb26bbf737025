import { z } from 'zod';
import { IsoDate } from '../model';
import { NoInput, mutation, query } from './define';

/** What started a dream. */
export const DreamTrigger = z.enum(['manual', 'schedule', 'new-sessions', 'idle', 'catch-up']);
export type DreamTrigger = z.infer<typeof DreamTrigger>;

export const RunOutcome = z.enum(['applied', 'pending', 'empty', 'cancelled', 'failed']);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** One line of the run log: every dream the scheduler ran (or was asked to run), with timing and outcome. */
export const SchedulerRun = z.object({
  id: z.string(),
  trigger: DreamTrigger,
  engine: z.enum(['heuristic', 'claude']),
  full: z.boolean(),
  startedAt: IsoDate,
  finishedAt: IsoDate,
  durationMs: z.number().nonnegative(),
  outcome: RunOutcome,
  /** The recorded dream, when one was recorded (not for cancelled or failed runs). */
  dreamId: z.string().nullable(),
  changes: z.number().int().nonnegative(),
  /** Why it failed, or the dream's own note. */
  message: z.string().optional(),
});
export type SchedulerRun = z.infer<typeof SchedulerRun>;

/** The dream running right now, with its latest progress. */
export const RunningDream = z.object({
  runId: z.string(),
  trigger: DreamTrigger,
  startedAt: IsoDate,
  phase: z.string(),
  done: z.number(),
  total: z.number(),
});
export type RunningDream = z.infer<typeof RunningDream>;

export const SchedulerStatus = z.object({
  /** False when no host started the automatic scheduler (a CLI process, a read-only open). */
  active: z.boolean(),
  running: RunningDream.nullable(),
  lastRunAt: IsoDate.nullable(),
  /** The next time the cron schedule is due; kept in the store so a missed time is caught up. */
  nextDueAt: IsoDate.nullable(),
  /** Sessions imported since the last dream, against the "after N new sessions" threshold. */
  newSessions: z.number().int().nonnegative(),
  /** The idle probe's last answer (null when the host has no way to know). */
  idle: z.boolean().nullable(),
});
export type SchedulerStatus = z.infer<typeof SchedulerStatus>;

export const scheduler = {
  'scheduler.status': query(NoInput, SchedulerStatus),
  /** Newest first. */
  'scheduler.runs': query(z.object({ limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }), z.array(SchedulerRun)),
  /** Cancels the running dream: its worker is terminated and nothing is applied. */
  'scheduler.cancel': mutation(NoInput, z.object({ cancelled: z.boolean() })),
};
