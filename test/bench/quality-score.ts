// Scores a set of lessons against the quality corpus's ground truth (quality-corpus.ts): recall,
// precision, duplicates, evidence accuracy, and each failure class of issue 13 as its own figure.
//
// A lesson is *correct* for a planted pattern when its kind fits the pattern's kind and its title +
// text contain every marker group (the fix command, the distinctive steps, the subject of the
// preference), most of its evidence points at sessions where the pattern was planted, and it shows
// no failure class (no forbidden per-call argument, banner line, placeholder or progress line). A
// lesson is *about* a pattern when most of its evidence points at it; duplicates and the failure
// classes look at those. Recall and precision count ACTIVE learned lessons only (a candidate is not
// written back anywhere, so it does not help the user yet); duplicates and failure classes count
// candidates too (a candidate is a lesson waiting to be activated).
import type { Lesson, LessonKind } from '../../shared/model';
import type { PatternKind, PlantedPattern, QualityTruth } from './quality-corpus';

const KINDS: Record<PatternKind, LessonKind[]> = {
  mistake: ['mistake', 'pitfall'],
  preference: ['preference', 'practice'],
  workflow: ['workflow', 'practice'],
};

export interface LessonVerdict {
  id: string;
  title: string;
  kind: LessonKind;
  status: Lesson['status'];
  agents: string[];
  /** The pattern it is a correct lesson for, if any. */
  correctFor: string | null;
  /** The pattern it is about: where most of its evidence points. */
  aboutFor: string | null;
  /** The pattern most of its evidence points at (at least half), if any. */
  evidenceFor: string | null;
  /** Failure classes (1–8) this lesson shows. */
  failures: number[];
  /** Why, in words, per failure (for the printed report). */
  notes: string[];
}

export interface PatternVerdict {
  id: string;
  kind: PatternKind;
  found: boolean;
  /** Found only among candidates (not active). */
  candidateOnly: boolean;
  /** Active lessons about it (correct or by evidence). */
  lessons: number;
  reason: string | null;
}

export interface QualityScore {
  patterns: number;
  /** Active learned lessons scored (origin learned, status active). */
  lessons: number;
  candidates: number;
  recall: number;
  /** Recall if candidates counted too. */
  recallWithCandidates: number;
  precision: number;
  /** Extra lessons (active or candidate) about one pattern. */
  duplicates: number;
  /** Share of correct lessons' evidence items that point at sessions where their pattern was planted; null with no correct lesson. */
  evidenceAccuracy: number | null;
  /** Failure classes of issue 13, each a count over active AND candidate lessons (0 is the target). */
  failures: {
    1: number; 2: number; 3: number; 4: number; 5: number; 6: number;
    /** Workflows: lessons about one that are not correct (steps dropped or generalized away), and workflows with no lesson at all. */
    7: { droppedSteps: number; notFound: number };
    /** One-agent mistakes not active and scoped to that agent. */
    8: number;
  };
  missed: PatternVerdict[];
  patternVerdicts: PatternVerdict[];
  verdicts: LessonVerdict[];
  /** Active lessons that are correct for no pattern: their titles, verbatim. */
  unmatched: LessonVerdict[];
}

const textOf = (l: Pick<Lesson, 'title' | 'text'>): string => `${l.title}\n${l.text}`.toLowerCase();
const hasAll = (text: string, markers: string[][]): boolean => markers.every((group) => group.some((m) => text.includes(m.toLowerCase())));
export function hasMarkersOf(l: Pick<Lesson, 'title' | 'text' | 'kind'>, p: PlantedPattern): boolean {
  return KINDS[p.kind].includes(l.kind) && hasAll(textOf(l), p.markers);
}

/**
 * The pattern of a fitting kind that at least half of the lesson's evidence sessions belong to (the
 * largest share). Only fitting kinds: a session can carry a mistake and a preference, and a
 * preference lesson is never "about" the mistake planted beside it.
 */
function evidencePattern(l: Lesson, patterns: PlantedPattern[], sets: Map<string, Set<string>>): string | null {
  const sessions = [...new Set(l.evidence.map((e) => e.sessionId))];
  if (!sessions.length) return null;
  let best: string | null = null;
  let bestShare = 0;
  for (const p of patterns) {
    if (!KINDS[p.kind].includes(l.kind)) continue;
    const set = sets.get(p.id)!;
    const share = sessions.filter((s) => set.has(s)).length / sessions.length;
    if (share > bestShare) [best, bestShare] = [p.id, share];
  }
  return bestShare >= 0.5 ? best : null;
}

export function scoreQuality(truth: QualityTruth, lessons: Lesson[]): QualityScore {
  const learned = lessons.filter((l) => l.origin === 'learned' && l.status !== 'retired');
  const active = learned.filter((l) => l.status === 'active');
  const sets = new Map(truth.patterns.map((p) => [p.id, new Set(p.sessions)]));
  const byId = new Map(truth.patterns.map((p) => [p.id, p]));
  const forbidden = truth.forbidden.map((f) => ({ ...f, re: new RegExp(f.pattern, 'imu') }));
  const opener = new RegExp(truth.taskOpener, 'i');

  const verdicts: LessonVerdict[] = learned.map((l) => {
    const evidenceFor = evidencePattern(l, truth.patterns, sets);
    const byMarkers = truth.patterns.filter((p) => hasMarkersOf(l, p));
    // Several patterns' markers can match one lesson; the one its evidence points at wins.
    const markerFor = (byMarkers.find((p) => p.id === evidenceFor) ?? byMarkers[0])?.id ?? null;
    const lowered = `${l.title}\n${l.text}`.toLowerCase();
    const task = truth.taskBodies.find((t) => lowered.includes(t.toLowerCase()));
    const taskRequest = ['preference', 'practice'].includes(l.kind) && (opener.test(l.title) || opener.test(l.text) || !!task);
    // Evidence decides what a lesson is about; markers only when it has no evidence at all. A learned
    // task request is about no pattern, even when the opening message also held a preference.
    const about = taskRequest ? null : evidenceFor ? byId.get(evidenceFor)! : !l.evidence.length && markerFor ? byId.get(markerFor)! : null;
    const v: LessonVerdict = { id: l.id, title: l.title, kind: l.kind, status: l.status, agents: l.agents, correctFor: null, aboutFor: about?.id ?? null, evidenceFor, failures: [], notes: [] };
    const fail = (k: number, note: string): void => { if (!v.failures.includes(k)) v.failures.push(k); v.notes.push(`class ${k}: ${note}`); };
    const problems: string[] = [];

    if (taskRequest) fail(2, `a task request learned as a preference${task ? ` (${JSON.stringify(task)})` : ''}`);
    // Evidence quoting only task requests, on a lesson that names no planted preference either.
    else if (!about && !markerFor && ['preference', 'practice'].includes(l.kind) && l.evidence.length && l.evidence.every((e) => opener.test(e.excerpt))) fail(2, 'its evidence is all task requests');
    const full = `${l.title}\n${l.text}`;
    for (const f of forbidden) {
      const target = f.where === 'title' ? l.title : full;
      if (f.re.test(target)) fail(f.failureClass, `${f.name}: ${JSON.stringify(target.match(f.re)![0])}`);
    }
    if (about) {
      const lower = full.toLowerCase();
      const hit = about.forbidden.find((x) => lower.includes(x.toLowerCase()));
      if (hit && about.kind === 'mistake') {
        if (/^>\s/.test(hit)) fail(4, `quotes the banner line ${JSON.stringify(hit)}`);
        else fail(5, `names the per-call argument ${JSON.stringify(hit)}`);
      } else if (hit) fail(about.kind === 'workflow' ? 7 : 6, `names ${JSON.stringify(hit)}, which varies per session`);
      if (!KINDS[about.kind].includes(l.kind)) problems.push(`kind ${l.kind} for a ${about.kind}`);
      if (!hasAll(textOf(l), about.markers)) problems.push(`lacks ${about.markers.filter((g) => !g.some((m) => textOf(l).includes(m.toLowerCase()))).map((g) => JSON.stringify(g[0])).join(', ')}`);
      if (evidenceFor !== about.id) problems.push('its evidence is not mostly from the sessions it was planted in');
    }
    // Correct: about a planted pattern, by its evidence, with the right kind and markers, and no failure class.
    if (about && !problems.length && !v.failures.length) v.correctFor = about.id;
    if (!about && markerFor) problems.push(`has the markers of ${markerFor}, but its evidence is elsewhere`);
    v.notes.push(...problems);
    return v;
  });

  const activeVerdicts = verdicts.filter((v) => v.status === 'active');
  const aboutOf = (v: LessonVerdict): string | null => v.aboutFor;
  const patternVerdicts: PatternVerdict[] = truth.patterns.map((p) => {
    const correctActive = activeVerdicts.filter((v) => v.correctFor === p.id);
    const correctAny = verdicts.filter((v) => v.correctFor === p.id);
    const aboutActive = activeVerdicts.filter((v) => aboutOf(v) === p.id);
    let reason: string | null = null;
    const aboutCandidates = verdicts.filter((v) => v.status === 'candidate' && aboutOf(v) === p.id);
    const titles = (vs: LessonVerdict[]): string => vs.slice(0, 2).map((v) => `${JSON.stringify(v.title)}${v.notes.length ? ` (${v.notes.join('; ')})` : ''}`).join(', ') + (vs.length > 2 ? ` and ${vs.length - 2} more` : '');
    if (!correctActive.length) {
      if (correctAny.length) reason = 'only a candidate lesson';
      else if (aboutActive.length) reason = `off-target lesson(s): ${titles(aboutActive)}`;
      else if (aboutCandidates.length) reason = `no active lesson; off-target candidate(s): ${titles(aboutCandidates)}`;
      else reason = 'no lesson';
    }
    return { id: p.id, kind: p.kind, found: correctActive.length > 0, candidateOnly: !correctActive.length && correctAny.length > 0, lessons: aboutActive.length, reason };
  });

  // Duplicates: every active lesson about a pattern beyond the first.
  // Duplicates and failure classes count candidates too: a candidate is a lesson waiting to be activated.
  const extra = (p: PlantedPattern): number => Math.max(0, verdicts.filter((v) => aboutOf(v) === p.id).length - 1);
  for (const p of truth.patterns) {
    if (extra(p) === 0) continue;
    const cls = p.kind === 'preference' ? 1 : p.kind === 'mistake' && p.projects.length > 1 ? 3 : 0;
    if (cls) for (const v of verdicts.filter((x) => aboutOf(x) === p.id)) { if (!v.failures.includes(cls)) v.failures.push(cls); v.notes.push(`class ${cls}: one of ${extra(p) + 1} lessons for ${p.id}`); }
  }
  const duplicates = truth.patterns.reduce((s, p) => s + extra(p), 0);

  let evIn = 0;
  let evAll = 0;
  for (const l of active) {
    const v = verdicts.find((x) => x.id === l.id)!;
    if (!v.correctFor) continue;
    const set = sets.get(v.correctFor)!;
    for (const e of l.evidence) { evAll++; if (set.has(e.sessionId)) evIn++; }
  }

  const workflows = truth.patterns.filter((p) => p.kind === 'workflow');
  const oneAgentFailures = truth.patterns.filter((p) => p.oneAgent).filter((p) => !activeVerdicts.some((v) => v.correctFor === p.id && v.agents.length === 1 && v.agents[0] === p.oneAgent));
  const count = (k: number): number => verdicts.filter((v) => v.failures.includes(k)).length;
  const found = patternVerdicts.filter((p) => p.found).length;
  const withCandidates = patternVerdicts.filter((p) => p.found || p.candidateOnly).length;
  const correctLessons = activeVerdicts.filter((v) => v.correctFor).length;
  return {
    patterns: truth.patterns.length,
    lessons: active.length,
    candidates: learned.length - active.length,
    recall: found / truth.patterns.length,
    recallWithCandidates: withCandidates / truth.patterns.length,
    precision: active.length ? correctLessons / active.length : 0,
    duplicates,
    evidenceAccuracy: evAll ? evIn / evAll : null,
    failures: {
      1: truth.patterns.filter((p) => p.kind === 'preference').reduce((s, p) => s + extra(p), 0),
      2: count(2),
      3: truth.patterns.filter((p) => p.kind === 'mistake' && p.projects.length > 1).reduce((s, p) => s + extra(p), 0),
      4: count(4),
      5: count(5),
      6: count(6),
      7: {
        droppedSteps: verdicts.filter((v) => !v.correctFor && v.aboutFor && byId.get(v.aboutFor)!.kind === 'workflow').length,
        notFound: workflows.filter((p) => !verdicts.some((v) => aboutOf(v) === p.id)).length,
      },
      8: oneAgentFailures.length,
    },
    missed: patternVerdicts.filter((p) => !p.found),
    patternVerdicts,
    verdicts,
    unmatched: activeVerdicts.filter((v) => !v.correctFor),
  };
}
