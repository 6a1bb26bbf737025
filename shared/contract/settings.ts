import { z } from 'zod';
import { Settings } from '../model';
import { NoInput, mutation, query } from './define';

/**
 * A partial update of the settings: any top-level field, and any field of the nested groups.
 * Types are checked here; the real constraints (ranges, a valid cron pattern) are checked on the
 * merged result, so the error names the field exactly as the full schema does.
 */
export const SettingsPatch = z
  .object({
    engine: z.enum(['heuristic', 'claude']),
    claudeModel: z.string(),
    minSessions: z.number(),
    minAgentsForTeam: z.number(),
    maxLessonsPerAgent: z.number(),
    reviewMode: z.boolean(),
    schedule: z.object({ cron: z.string().nullable(), afterNewSessions: z.number(), whenIdle: z.boolean() }).partial().strict(),
    writeback: z.object({ auto: z.boolean(), claudeTarget: z.enum(['project', 'user']), maxChars: z.number() }).partial().strict(),
    costCapUsd: z.object({ perDream: z.number(), monthly: z.number() }).partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settings = {
  'settings.get': query(NoInput, Settings),
  /** Merges the patch into the stored settings and returns the result; the scheduler picks up schedule changes at once. */
  'settings.set': mutation(z.object({ patch: SettingsPatch }), Settings),
};
