// The improvement figures, computed from what is already stored: each session's signals, the
// lessons (which patterns they name, when they became active) and the write-back record (when they
// reached the agent's file). Pure: the caller loads, this counts, so every figure is testable.
import type { AgentProgress, Bucket, LessonProgress, StallReason, Trend, Window } from '../../../shared/contract/progress';
import type { Agent, Lesson, Signal } from '../../../shared/model';
import { coveredKeys } from '../dreaming/claude/keys';
import { relates } from '../seeding/text';

export interface DatedSession { id: string; agentId: string; at: string }

export interface ProgressInput {
  sessions: DatedSession[];
  signals: Map<string, Signal[]>;
  lessons: Lesson[];
  agents: Agent[];
  /** When each lesson was first written into any agent's file (null: never). */
  writtenBackAt: (lessonId: string) => string | null;
  /** When it first reached this agent's own file (null: not in that agent's file). */
  writtenBackTo: (lessonId: string, agentId: string) => string | null;
  /** Agents whose instruction file Reverie has written. */
  writtenAgents: Set<string>;
}

/** Fewer sessions than this after the pivot is too early to call a trend. */
export const MIN_AFTER_SESSIONS = 3;
/** Improving = the per-session rate at least halved. */
export const IMPROVED_RATIO = 0.5;
/** Below this repetition score an agent's work is too varied for patterns to matter. */
export const LOW_REPETITION = 0.25;

const COUNTED = new Set<Signal['kind']>(['tool_error', 'correction', 'preference', 'rejection', 'interrupt']);
export const SPOKEN = new Set<Signal['kind']>(['correction', 'preference', 'rejection', 'interrupt']);

/**
 * Which signals are "this lesson's pattern again": its pattern keys for learned lessons; for seeded
 * and user lessons (which have no pattern key from sessions) a correction or preference about the
 * same thing, by the same text relation seeding and rules use.
 */
export function lessonMatcher(lesson: Lesson): (s: Signal) => boolean {
  // The same keys a dream counts as this lesson's (a Claude-engine lesson packs several into its patternKey).
  const keys = new Set([...coveredKeys(lesson.patternKey), ...(lesson.signalKeys ?? [])]);
  const byText = lesson.origin !== 'learned';
  return (s) => keys.has(s.key) || (byText && SPOKEN.has(s.kind) && relates(lesson.text, s.text) !== null);
}

const inScope = (lesson: Lesson, agentId: string) => lesson.agents.includes('all') || lesson.agents.includes(agentId);

function windowOf(rows: { at: string; n: number }[]): Window {
  const occurrences = rows.reduce((a, r) => a + r.n, 0);
  return {
    sessions: rows.length,
    sessionsWithRecurrence: rows.filter((r) => r.n > 0).length,
    occurrences,
    rate: rows.length ? round(occurrences / rows.length) : 0,
    from: rows[0]?.at ?? null,
    to: rows.at(-1)?.at ?? null,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

export function trendOf(before: Window, after: Window, pivot: string | null): Trend {
  if (before.occurrences + after.occurrences === 0) return 'no-signal';
  if (!pivot || after.sessions < MIN_AFTER_SESSIONS) return 'too-early';
  if (before.rate > 0 && after.rate <= before.rate * IMPROVED_RATIO) return 'improving';
  return 'stalled';
}

function describe(before: Window, after: Window, pivot: string | null, pivotLabel: string): string {
  const side = (w: Window) => `${w.occurrences}× in ${w.sessionsWithRecurrence} of ${w.sessions} sessions (${w.rate.toFixed(2)}/session)`;
  if (!pivot) return `Not active yet; seen ${side(before)}.`;
  return `Before it was ${pivotLabel} on ${day(pivot)}: ${side(before)}; since: ${side(after)}.`;
}

const REASON_TEXT: Record<StallReason, string> = {
  'not-written-back': 'it is not in the agent\'s instruction file yet: run write-back',
  'still-recurs': 'it still recurs although it is in the agent\'s file: sharpen the wording, pin it higher, or enforce it with a hook',
  'varied-work': 'the work is too varied for patterns to repeat (low repetition score)',
  'noisy-store': 'the store is noisy (many candidates, few active lessons): review candidates so the real lessons stand out',
};

export const explainReasons = (reasons: StallReason[]) => (reasons.length ? ` Likely reason: ${reasons.map((r) => REASON_TEXT[r]).join('; also ')}.` : '');

export interface Computed {
  bucket: 'day' | 'week' | 'month';
  lessons: LessonProgress[];
  agents: AgentProgress[];
  overall: { sessions: number; recurrences: number; buckets: Bucket[]; trend: Trend };
  store: { active: number; candidates: number; noisy: boolean };
}

export function computeProgress(input: ProgressInput): Computed {
  const sessions = [...input.sessions].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const counted = new Map(sessions.map((s) => [s.id, (input.signals.get(s.id) ?? []).filter((x) => COUNTED.has(x.kind))]));
  const sigs = (id: string) => counted.get(id) ?? [];
  const active = input.lessons.filter((l) => l.status === 'active');
  const candidates = input.lessons.filter((l) => l.status === 'candidate').length;
  const noisy = candidates >= 10 && candidates > 3 * active.length;
  const bucket = bucketSize(sessions);

  // Repetition per agent: how much of what happens to it happens more than once.
  const repetition = new Map<string, number>();
  for (const a of input.agents) {
    const seen = new Map<string, Set<string>>();
    let total = 0;
    for (const s of sessions) if (s.agentId === a.id) for (const sig of sigs(s.id)) {
      total++;
      (seen.get(sig.key) ?? seen.set(sig.key, new Set()).get(sig.key)!).add(s.id);
    }
    let repeated = 0;
    for (const s of sessions) if (s.agentId === a.id) for (const sig of sigs(s.id)) if (seen.get(sig.key)!.size >= 2) repeated++;
    repetition.set(a.id, total ? round(repeated / total) : 0);
  }

  const matchers = new Map(input.lessons.map((l) => [l.id, lessonMatcher(l)]));
  // Lesson, agent and overall figures all ask the same question of a session: answer it once.
  const counts = new Map<string, number>();
  const countFor = (l: Lesson, sessionId: string) => {
    const k = `${l.id}\u0000${sessionId}`;
    let n = counts.get(k);
    if (n === undefined) counts.set(k, (n = sigs(sessionId).filter(matchers.get(l.id)!).length));
    return n;
  };

  // Every bucket any session falls in: the overall curve's x axis, which each lesson's curve shares.
  const starts = [...new Set(sessions.map((s) => bucketStart(s.at, bucket)))].sort();

  const lessons: LessonProgress[] = input.lessons.filter((l) => l.status !== 'retired').map((l) => {
    const scoped = sessions.filter((s) => inScope(l, s.agentId));
    const writtenBackAt = input.writtenBackAt(l.id);
    const activated = l.status === 'active' ? (l.activatedAt ?? l.createdAt) : null;
    // Each agent's sessions are split where the lesson reached that agent: its own file's write-back
    // date, else the day it became active (an agent without a file only ever had the latter).
    const pivotOf = (agentId: string) => input.writtenBackTo(l.id, agentId) ?? activated;
    const pivot = writtenBackAt ?? activated;
    const pivotKind = writtenBackAt ? 'written-back' : pivot ? 'activated' : 'none';
    const rows = scoped.map((s) => ({ at: s.at, n: countFor(l, s.id), agentId: s.agentId, after: !!pivotOf(s.agentId) && s.at >= pivotOf(s.agentId)! }));
    const before = windowOf(rows.filter((r) => !r.after));
    const after = windowOf(rows.filter((r) => r.after));
    const activeNotWritten = windowOf(rows.filter((r) => activated && r.at >= activated && !(input.writtenBackTo(l.id, r.agentId) && r.at >= input.writtenBackTo(l.id, r.agentId)!)));
    const trend = trendOf(before, after, pivot);
    const reasons: StallReason[] = [];
    if (trend === 'stalled') {
      // Which agents it still happens to after the pivot: those that have it in their file, or not.
      const inFile = rows.filter((r) => r.after && r.n > 0 && input.writtenBackTo(l.id, r.agentId)).length;
      const notInFile = rows.filter((r) => r.after && r.n > 0 && !input.writtenBackTo(l.id, r.agentId)).length;
      if (notInFile > 0) reasons.push('not-written-back');
      if (inFile > 0) reasons.push('still-recurs');
      if (notInFile > 0 && inFile > notInFile) reasons.reverse();
      const agentIds = [...new Set(rows.filter((r) => r.n > 0).map((r) => r.agentId))];
      const reps = agentIds.map((a) => repetition.get(a) ?? 0);
      if (reps.length && Math.max(...reps) < LOW_REPETITION) reasons.push('varied-work');
      if (noisy) reasons.push('noisy-store');
    }
    const last = [...rows].reverse().find((r) => r.n > 0)?.at ?? null;
    return {
      lessonId: l.id, title: l.title, kind: l.kind, origin: l.origin, status: l.status, agents: l.agents,
      activatedAt: l.activatedAt ?? null, writtenBackAt, pivot, pivotKind, before, after, activeNotWritten, lastRecurrence: last, series: seriesOn(starts, rows, bucket), trend, reasons,
      explanation: describe(before, after, pivot, pivotKind === 'written-back' ? 'written back' : 'activated') + explainReasons(reasons),
    };
  });

  const agents: AgentProgress[] = input.agents.map((a) => {
    const own = active.filter((l) => inScope(l, a.id));
    const rows = sessions.filter((s) => s.agentId === a.id).map((s) => ({ at: s.at, n: own.reduce((n, l) => n + countFor(l, s.id), 0) }));
    const pivots = own.map((l) => input.writtenBackTo(l.id, a.id)).filter((x): x is string => !!x).sort();
    const pivot = pivots[0] ?? null;
    const before = windowOf(pivot ? rows.filter((r) => r.at < pivot) : rows);
    const after = windowOf(pivot ? rows.filter((r) => r.at >= pivot) : []);
    const written = input.writtenAgents.has(a.id);
    let trend = trendOf(before, after, pivot);
    const reasons: StallReason[] = [];
    // Never written back: nothing has told this agent anything yet, so a flat curve is expected.
    if (!pivot && rows.some((r) => r.n > 0) && rows.length >= MIN_AFTER_SESSIONS) {
      trend = 'stalled';
      reasons.push('not-written-back');
    } else if (trend === 'stalled') reasons.push('still-recurs');
    if (trend === 'stalled' && (repetition.get(a.id) ?? 0) < LOW_REPETITION) reasons.push('varied-work');
    if (trend === 'stalled' && noisy) reasons.push('noisy-store');
    return {
      agentId: a.id,
      name: a.name,
      sessions: rows.length,
      repetition: repetition.get(a.id) ?? 0,
      recurrences: before.occurrences + after.occurrences,
      writtenBack: written,
      buckets: buckets(rows, bucket),
      trend,
      reasons,
      explanation: describe(before, after, pivot, 'first written back') + explainReasons(reasons),
    };
  });

  const allRows = sessions.map((s) => ({ at: s.at, n: active.filter((l) => inScope(l, s.agentId)).reduce((n, l) => n + countFor(l, s.id), 0) }));
  const firstWrite = active.map((l) => input.writtenBackAt(l.id)).filter((x): x is string => !!x).sort()[0] ?? null;
  const ob = windowOf(firstWrite ? allRows.filter((r) => r.at < firstWrite) : allRows);
  const oa = windowOf(firstWrite ? allRows.filter((r) => r.at >= firstWrite) : []);
  return {
    bucket,
    lessons,
    agents,
    overall: { sessions: allRows.length, recurrences: ob.occurrences + oa.occurrences, buckets: buckets(allRows, bucket), trend: trendOf(ob, oa, firstWrite) },
    store: { active: active.length, candidates, noisy },
  };
}

/** Days for a month or so of sessions, weeks up to a year, months beyond: a chart of 10–60 points. */
export function bucketSize(sessions: DatedSession[]): 'day' | 'week' | 'month' {
  if (sessions.length < 2) return 'day';
  const span = (Date.parse(sessions.at(-1)!.at) - Date.parse(sessions[0].at)) / 86_400_000;
  return span <= 45 ? 'day' : span <= 365 ? 'week' : 'month';
}

export function bucketStart(iso: string, size: 'day' | 'week' | 'month'): string {
  const d = new Date(iso);
  d.setUTCHours(0, 0, 0, 0);
  if (size === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); // ISO weeks start on Monday
  if (size === 'month') d.setUTCDate(1);
  return d.toISOString();
}

/** `rows` counted into the given bucket starts (every one of them, empty ones included), in order. */
export function seriesOn(starts: string[], rows: { at: string; n: number }[], size: 'day' | 'week' | 'month'): Bucket[] {
  const by = new Map(buckets(rows, size).map((b) => [b.start, b]));
  return starts.map((start) => by.get(start) ?? { start, sessions: 0, recurrences: 0, rate: 0 });
}

export function buckets(rows: { at: string; n: number }[], size: 'day' | 'week' | 'month'): Bucket[] {
  const map = new Map<string, { sessions: number; recurrences: number }>();
  for (const r of rows) {
    const k = bucketStart(r.at, size);
    const b = map.get(k) ?? { sessions: 0, recurrences: 0 };
    b.sessions++;
    b.recurrences += r.n;
    map.set(k, b);
  }
  return [...map].sort(([a], [b]) => a.localeCompare(b)).map(([start, b]) => ({ start, ...b, rate: round(b.recurrences / b.sessions) }));
}
