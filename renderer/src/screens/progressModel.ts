// The Progress screen's types: the part of the core's ProgressReport (shared/contract/progress.ts)
// this screen reads, checked on arrival so a reply of another shape fails loudly, not silently.
import { z } from 'zod';

const Trend = z.enum(['improving', 'stalled', 'too-early', 'no-signal']);
const Window = z.object({ sessions: z.number(), sessionsWithRecurrence: z.number(), occurrences: z.number(), rate: z.number() });
const Bucket = z.object({ start: z.string(), sessions: z.number(), recurrences: z.number(), rate: z.number() });

export const ProgressView = z.object({
  bucket: z.enum(['day', 'week', 'month']),
  overall: z.object({ sessions: z.number(), recurrences: z.number(), buckets: z.array(Bucket), trend: Trend }),
  store: z.object({ active: z.number(), candidates: z.number(), noisy: z.boolean() }),
  lessons: z.array(z.object({
    lessonId: z.string(), title: z.string(), kind: z.string(), pivot: z.string().nullable(), pivotKind: z.enum(['written-back', 'activated', 'none']),
    before: Window, after: Window, lastRecurrence: z.string().nullable(), trend: Trend, reasons: z.array(z.string()), explanation: z.string(),
    activatedAt: z.string().nullable().optional(), writtenBackAt: z.string().nullable().optional(),
    /** The lesson's own curve on the overall buckets; older cores send none (the row then shows only before/after). */
    series: z.array(Bucket).default([]),
  })),
  agents: z.array(z.object({ agentId: z.string(), name: z.string(), sessions: z.number(), repetition: z.number(), recurrences: z.number(), writtenBack: z.boolean(), buckets: z.array(Bucket), trend: Trend, explanation: z.string() })),
});
export type ProgressView = z.infer<typeof ProgressView>;
export type LessonProgressView = ProgressView['lessons'][number];
export type TrendName = z.infer<typeof Trend>;

export const TREND_LABEL: Record<TrendName, string> = { improving: 'Improving', stalled: 'Stalled', 'too-early': 'Too early', 'no-signal': 'No signal' };
export const TREND_TONE: Record<TrendName, string> = { improving: 'green', stalled: 'amber', 'too-early': '', 'no-signal': '' };
