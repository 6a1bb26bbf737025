// Turns Claude's validated proposals into ordinary Changes, enforcing the rules no model output may
// bend: locked (pinned, user-edited, seeded, user-written) lessons are never reworded, retired or
// absorbed; tombstoned or known patterns are never re-added; a new lesson needs the minimum
// support across sessions and may only cite evidence handles it was given. Every refusal is kept
// as a one-line reason for the log.
import type { Change, Evidence, Lesson, Support } from '../../../../shared/model';
import { applyChanges } from '../changes';
import { confidenceOf, lessonIdFor } from '../heuristic';
import type { DreamInput, DreamOutput } from '../types';
import { isLocked, type Cluster, type Material } from './prompt';
import { claudePatternKey, coveredKeys } from './keys';
import type { Proposal } from './schema';

const MAX_EVIDENCE = 8;

export class Curation {
  readonly changes: Change[];
  private readonly working: Map<string, Lesson>;
  private readonly addedHere = new Map<string, number>();
  private readonly touched = new Set<string>();
  private readonly claimed = new Set<string>();
  private readonly tombstoned: Set<string>;
  readonly dropped: string[] = [];
  applied = 0;

  constructor(private readonly input: DreamInput, heuristic: DreamOutput, private readonly material: Material) {
    this.changes = heuristic.changes.map((c) => ({ ...c, related: [...c.related] }));
    this.working = new Map(applyChanges(input.lessons, heuristic.changes).map((l) => [l.id, l]));
    this.changes.forEach((c, i) => { if (c.op === 'add') this.addedHere.set(c.lessonId, i); });
    this.tombstoned = new Set(input.tombstones.flatMap((t) => coveredKeys(t.patternKey)));
  }

  apply(proposals: Proposal[]): void {
    for (const p of proposals) {
      const refusal = this.one(p);
      if (refusal) this.dropped.push(`${p.op}${'lesson' in p ? ` ${p.lesson}` : p.op === 'merge' ? ` ${p.into}` : ''}: ${refusal}`);
      else this.applied++;
    }
  }

  private lesson(handle: string): Lesson | undefined {
    const ref = this.material.lessons.find((r) => r.handle === handle);
    return ref ? this.working.get(ref.lesson.id) : undefined;
  }

  private push(change: Omit<Change, 'id' | 'decision'>): void {
    this.changes.push({ ...change, id: '', decision: 'applied' });
    for (const d of [{ lessonId: change.lessonId, after: change.after }, ...change.related]) {
      if (d.after) this.working.set(d.lessonId, d.after);
      else this.working.delete(d.lessonId);
    }
  }

  /** Returns why the proposal was refused, or null once it became a change. */
  private one(p: Proposal): string | null {
    const now = this.input.now;
    if (p.op === 'sharpen') {
      const cur = this.lesson(p.lesson);
      if (!cur) return 'unknown lesson handle';
      if (isLocked(cur)) return 'the lesson is locked (pinned, edited or written by the user)';
      if (cur.status === 'retired') return 'the lesson is retired';
      if (this.touched.has(cur.id)) return 'the lesson was already changed in this dream';
      const after: Lesson = { ...cur, title: p.title ?? cur.title, text: p.text, updatedAt: now };
      if (after.title === cur.title && after.text === cur.text) return 'the wording did not change';
      this.touched.add(cur.id);
      const at = this.addedHere.get(cur.id);
      if (at !== undefined) {
        // A lesson born in this dream is shown once, with Claude's wording and both reasons.
        const add = this.changes[at];
        this.changes[at] = { ...add, after, reason: `${p.reason} (${add.reason})` };
        this.working.set(cur.id, after);
      } else {
        this.push({ op: 'sharpen', lessonId: cur.id, before: cur, after, related: [], reason: p.reason });
      }
      return null;
    }
    if (p.op === 'retire') {
      const cur = this.lesson(p.lesson);
      if (!cur) return 'unknown lesson handle';
      if (isLocked(cur)) return 'the lesson is locked (pinned, edited or written by the user)';
      if (cur.status === 'retired') return 'the lesson is already retired';
      if (this.touched.has(cur.id)) return 'the lesson was already changed in this dream';
      if (p.conflictsWith && !this.lesson(p.conflictsWith)) return 'unknown conflicting lesson handle';
      this.touched.add(cur.id);
      this.push({ op: 'retire', lessonId: cur.id, before: cur, after: { ...cur, status: 'retired', updatedAt: now }, related: [], reason: p.reason });
      return null;
    }
    if (p.op === 'merge') {
      const into = this.lesson(p.into);
      if (!into) return 'unknown lesson handle';
      if (into.status === 'retired') return 'cannot merge into a retired lesson';
      const absorbed: Lesson[] = [];
      for (const h of new Set(p.absorb)) {
        const l = this.lesson(h);
        if (!l) return `unknown lesson handle ${h}`;
        if (l.id === into.id) return 'a lesson cannot absorb itself';
        if (isLocked(l)) return `${h} is locked and cannot be merged away`;
        if (l.status === 'retired' || this.touched.has(l.id)) return `${h} is retired or already changed in this dream`;
        absorbed.push(l);
      }
      const group = [into, ...absorbed];
      const reword = !isLocked(into);
      const after: Lesson = {
        ...into,
        ...(reword && p.title ? { title: p.title } : {}),
        ...(reword && p.text ? { text: p.text } : {}),
        agents: group.some((l) => l.agents.includes('all')) ? ['all'] : [...new Set(group.flatMap((l) => l.agents))].sort(),
        support: mergedSupport(group),
        confidence: Math.max(...group.map((l) => l.confidence)),
        evidence: mergedEvidence(group),
        updatedAt: now,
      };
      for (const l of group) this.touched.add(l.id);
      this.push({
        op: 'merge', lessonId: into.id, before: into, after,
        // Absorbed lessons are retired, not deleted: their pattern keys stay known, so the next
        // heuristic dream does not learn them again as new lessons.
        related: absorbed.map((l) => ({ lessonId: l.id, before: l, after: { ...l, status: 'retired' as const, updatedAt: now } })),
        reason: p.reason,
      });
      return null;
    }
    // add
    const clusters: Cluster[] = [];
    for (const h of new Set(p.clusters)) {
      const c = this.material.clusters.find((x) => x.handle === h);
      if (!c) return `unknown cluster handle ${h}`;
      if (!c.key) return `${h} is an existing lesson's pattern, not new material`;
      if (this.claimed.has(h)) return `${h} is already used by another new lesson`;
      clusters.push(c);
    }
    const cited = new Set(clusters.map((c) => c.handle));
    const evidence: Evidence[] = [];
    for (const h of new Set(p.evidence)) {
      const ref = this.material.evidence.get(h);
      if (!ref) return `unknown evidence handle ${h}`;
      if (!cited.has(ref.cluster)) return `evidence ${h} is not from the cited clusters`;
      evidence.push(ref.evidence);
    }
    const keys = clusters.map((c) => c.key!);
    const sessions = new Set(clusters.flatMap((c) => [...c.sessions]));
    const agents = new Set(clusters.flatMap((c) => [...c.agents]));
    const { minSessions, minAgentsForTeam } = this.input.settings;
    if (sessions.size < minSessions) return `the cited clusters span ${sessions.size} session(s), fewer than the minimum of ${minSessions}`;
    const patternKey = claudePatternKey(keys);
    if (keys.some((k) => this.tombstoned.has(k)) || this.tombstoned.has(patternKey)) return 'the pattern was deleted by the user (tombstone)';
    const id = lessonIdFor(patternKey);
    if (this.working.has(id) || this.material.knownKeys.has(patternKey)) return 'the pattern is already a lesson';
    const stamps = clusters.flatMap((c) => [c.firstSeen, c.lastSeen]).filter((t): t is string => !!t).sort();
    const support: Support = {
      sessions: sessions.size, agents: agents.size, occurrences: clusters.reduce((n, c) => n + c.occurrences, 0),
      firstSeen: stamps[0] ?? null, lastSeen: stamps[stamps.length - 1] ?? null,
    };
    const lesson: Lesson = {
      id, kind: p.kind, title: p.title, text: p.text,
      agents: agents.size >= minAgentsForTeam ? ['all'] : [...agents].sort(),
      support, confidence: confidenceOf(support, minSessions), evidence,
      origin: 'learned', status: 'active', pinned: false, patternKey, userEdited: false,
      createdAt: now, updatedAt: now, activatedAt: now,
    };
    for (const c of clusters) this.claimed.add(c.handle);
    this.touched.add(id);
    this.push({ op: 'add', lessonId: id, before: null, after: lesson, related: [], reason: p.reason });
    return null;
  }

  /** The final changeset, numbered in order (undo reverts in reverse of this order). */
  result(): Change[] {
    return this.changes.map((c, i) => ({ ...c, id: `c${i + 1}` }));
  }
}

function mergedSupport(group: Lesson[]): Support {
  // Distinct sessions across lessons are unknown here (evidence is capped), so the merged lesson
  // claims no more than its best-supported part, while occurrences simply add up.
  const first = group.map((l) => l.support.firstSeen).filter((t): t is string => !!t).sort();
  const last = group.map((l) => l.support.lastSeen).filter((t): t is string => !!t).sort();
  return {
    sessions: Math.max(...group.map((l) => l.support.sessions)),
    agents: Math.max(...group.map((l) => l.support.agents)),
    occurrences: group.reduce((n, l) => n + l.support.occurrences, 0),
    firstSeen: first[0] ?? null,
    lastSeen: last[last.length - 1] ?? null,
  };
}

function mergedEvidence(group: Lesson[]): Evidence[] {
  const seen = new Set<string>();
  return group.flatMap((l) => l.evidence).filter((e) => !seen.has(e.eventId) && seen.add(e.eventId)).slice(0, MAX_EVIDENCE);
}
