// Progress: do the agents stop making the mistakes their lessons name? Per lesson, recurrences per
// session before and after it was written back (or became active); per agent and overall, over
// time; a stalled flag with its likely reason; hand-written rules tracked the same way.
import { z } from 'zod';
import { IsoDate, LessonKind, LessonOrigin, LessonStatus } from '../model';
import { query } from './define';

export const StallReason = z.enum(['still-recurs', 'not-written-back', 'varied-work', 'noisy-store']);
export type StallReason = z.infer<typeof StallReason>;

export const Trend = z.enum(['improving', 'stalled', 'too-early', 'no-signal']);
export type Trend = z.infer<typeof Trend>;

/** Sessions on one side of a date, and how often the pattern showed up in them. */
export const Window = z.object({
  sessions: z.number().int().nonnegative(),
  /** Sessions in which the pattern showed up at least once. */
  sessionsWithRecurrence: z.number().int().nonnegative(),
  occurrences: z.number().int().nonnegative(),
  /** Occurrences per session (0 when there are no sessions). */
  rate: z.number().nonnegative(),
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
});
export type Window = z.infer<typeof Window>;

export const Bucket = z.object({ start: IsoDate, sessions: z.number().int().nonnegative(), recurrences: z.number().int().nonnegative(), rate: z.number().nonnegative() });
export type Bucket = z.infer<typeof Bucket>;

export const LessonProgress = z.object({
  lessonId: z.string(),
  title: z.string(),
  kind: LessonKind,
  origin: LessonOrigin,
  status: LessonStatus,
  agents: z.array(z.string()),
  activatedAt: IsoDate.nullable(),
  writtenBackAt: IsoDate.nullable(),
  /** The date before/after are split at: written back when it was, else activated. */
  pivot: IsoDate.nullable(),
  pivotKind: z.enum(['written-back', 'activated', 'none']),
  before: Window,
  after: Window,
  /**
   * Sessions after it became active but before it reached the agent's file: the control group.
   * Agents do not read Reverie's store, so a drop here (without write-back) is chance or other causes.
   */
  activeNotWritten: Window,
  lastRecurrence: IsoDate.nullable(),
  /**
   * This lesson's recurrence curve, on the same buckets as `overall.buckets` (one entry per bucket,
   * in order): the sessions in its scope in that bucket and how often its pattern showed up in them.
   * A bucket with no session in scope has sessions 0 and rate 0 (draw it as a gap, not a zero).
   */
  series: z.array(Bucket),
  trend: Trend,
  reasons: z.array(StallReason),
  explanation: z.string(),
});
export type LessonProgress = z.infer<typeof LessonProgress>;

export const AgentProgress = z.object({
  agentId: z.string(),
  name: z.string(),
  sessions: z.number().int().nonnegative(),
  /** Share of this agent's signals whose pattern shows up in two or more of its sessions (0–1). */
  repetition: z.number().min(0).max(1),
  recurrences: z.number().int().nonnegative(),
  writtenBack: z.boolean(),
  buckets: z.array(Bucket),
  trend: Trend,
  reasons: z.array(StallReason),
  explanation: z.string(),
});
export type AgentProgress = z.infer<typeof AgentProgress>;

export const RuleRef = z.object({
  source: z.enum(['seeded', 'learned', 'user', 'rule']),
  /** Lesson id, or file:line for a hand-written rule. */
  ref: z.string(),
  text: z.string(),
});

export const TrackedRule = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  text: z.string(),
  agentIds: z.array(z.string()),
  /** 1-based rank among the rules of its file (rules far down are read least). */
  position: z.number().int().positive(),
  of: z.number().int().positive(),
  broken: z.object({
    sessions: z.number().int().nonnegative(),
    occurrences: z.number().int().nonnegative(),
    lastAt: IsoDate.nullable(),
    examples: z.array(z.object({ sessionId: z.string(), excerpt: z.string() })),
  }),
  suggestion: z
    .object({
      kind: z.enum(['sharpen', 'move-up', 'hook']),
      text: z.string(),
      /** For a hook: the JSON to merge into .claude/settings.json. */
      snippet: z.string().optional(),
    })
    .nullable(),
});
export type TrackedRule = z.infer<typeof TrackedRule>;

export const ProgressReport = z.object({
  generatedAt: IsoDate,
  bucket: z.enum(['day', 'week', 'month']),
  overall: z.object({ sessions: z.number().int().nonnegative(), recurrences: z.number().int().nonnegative(), buckets: z.array(Bucket), trend: Trend }),
  store: z.object({ active: z.number().int().nonnegative(), candidates: z.number().int().nonnegative(), noisy: z.boolean() }),
  lessons: z.array(LessonProgress),
  agents: z.array(AgentProgress),
  rules: z.array(TrackedRule),
  contradictions: z.array(z.object({ a: RuleRef, b: RuleRef, reason: z.string() })),
});
export type ProgressReport = z.infer<typeof ProgressReport>;

export const progress = {
  'progress.get': query(z.object({ agents: z.array(z.string().min(1)).optional() }).strict().default({}), ProgressReport),
};
