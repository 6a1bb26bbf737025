// Turns Claude's validated proposals into ordinary Changes, enforcing the rules no model output may
// bend: locked (pinned, user-edited, seeded, user-written) lessons are never reworded, retired or
// absorbed; tombstoned or known patterns are never re-added; a new lesson needs the minimum
// support across sessions and may only cite evidence handles it was given. Every refusal is kept
// as a one-line reason for the log.
import type { Change, Evidence, Lesson, Support } from '../../../../shared/model';
import { applyChanges } from '../changes';
import { confidenceOf, lessonIdFor } from '../heuristic';
import { lessonKeys, tombstoneCheck } from '../tombstones';
import type { DreamInput, DreamOutput } from '../types';
import { isLocked, type Cluster, type Material } from './prompt';
import { claudePatternKey } from './keys';
import { meaningOver, type Meaning } from './meaning';
import { citeKey, type Recounted } from './recount';
import type { Proposal } from './schema';

const MAX_EVIDENCE = 8;

/** The pattern key of a lesson the discovery pass found: stable while its support grows. */
export const discoveredKey = (candidateId: string) => `claude-found|${candidateId}`;

export class Curation {
  readonly changes: Change[];
  private readonly working: Map<string, Lesson>;
  private readonly addedHere = new Map<string, number>();
  private readonly touched = new Set<string>();
  private readonly claimed = new Set<string>();
  /** Same rule as the heuristic engine: a hard tombstone forever, an 'undone' one until the pattern recurs in more sessions. */
  private readonly tombstoned: (keys: string[], sessions: number) => boolean;
  /** Texts of deleted seeded and user-written lessons: a pattern that reads like one is not learned either. */
  private readonly deletedTexts: string[];
  readonly dropped: string[] = [];
  /** Lessons Claude wrote in this dream (discovery or refinement adds): in its own words already. */
  readonly claudeAdded: string[] = [];
  applied = 0;

  constructor(private readonly input: DreamInput, heuristic: DreamOutput, private readonly material: Material) {
    this.changes = heuristic.changes.map((c) => ({ ...c, related: [...c.related] }));
    this.working = new Map(applyChanges(input.lessons, heuristic.changes).map((l) => [l.id, l]));
    this.changes.forEach((c, i) => { if (c.op === 'add') this.addedHere.set(c.lessonId, i); });
    this.tombstoned = tombstoneCheck(input.tombstones);
    this.deletedTexts = input.tombstones.filter((t) => t.text && t.reason !== 'undone').map((t) => t.text!);
  }

  /** A retirement or merge the user undid waits until the lesson's pattern recurs in more sessions (as in the heuristic engine). */
  private undoneStill(op: 'retire' | 'merge', l: Lesson): boolean {
    return (this.input.undone ?? []).some((u) => u.op === op && u.lessonId === l.id && l.support.sessions <= u.sessions);
  }

  private readsLikeDeleted(text: string, meaning: Meaning): boolean {
    return this.deletedTexts.some((t) => meaning.readsLike(t, text));
  }

  apply(proposals: Proposal[]): void {
    for (const p of proposals) {
      const refusal = this.one(p);
      if (refusal) this.dropped.push(`${p.op}${'lesson' in p ? ` ${p.lesson}` : p.op === 'merge' ? ` ${p.into}` : ''}: ${refusal}`);
      else this.applied++;
    }
  }

  /** A lesson as it stands after the changes so far. */
  current(id: string): Lesson | undefined {
    return this.working.get(id);
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
      if (this.undoneStill('retire', cur)) return 'you undid its retirement; it stays until its pattern recurs in more sessions';
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
        if (this.undoneStill('merge', into) || this.undoneStill('retire', l)) return `you undid a merge or retirement of ${h}; it stays until its pattern recurs in more sessions`;
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
    if (this.tombstoned([...keys, patternKey], sessions.size)) return 'the pattern was deleted or undone by the user (tombstone)';
    if (this.deletedTexts.length && this.readsLikeDeleted(p.text, meaningOver([...this.deletedTexts, p.text]))) return 'it reads like a lesson the user deleted';
    const id = lessonIdFor(patternKey);
    if (this.working.has(id) || this.material.knownKeys.has(patternKey)) return 'the pattern is already a lesson';
    if (this.ownerOf(keys)) return 'the pattern is already a lesson (found by the discovery pass)';
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
    this.claudeAdded.push(id);
    this.push({ op: 'add', lessonId: id, before: null, after: lesson, related: [], reason: p.reason });
    return null;
  }

  private ownerOf(keys: string[]): Lesson | undefined {
    const wanted = new Set(keys);
    return [...this.working.values()].find((l) => lessonKeys(l).some((k) => wanted.has(k)));
  }

  /**
   * The lesson a found pattern belongs to by its signal keys: one that shares a key with it and
   * either stands for nothing else (each of its signal keys is one of the pattern's: a wording the
   * pattern gathers with others) or covers more than half of the pattern's sessions. A lesson that
   * holds one of the pattern's events among other things (a pnpm wish the heuristics filed under
   * "only change the files you are asked to") is not the pattern.
   */
  private keyOwnerOf(r: Recounted): Lesson | undefined {
    const mine = new Set(r.keys);
    let best: { lesson: Lesson; covered: number } | undefined;
    for (const l of this.working.values()) {
      const shared = lessonKeys(l).filter((k) => mine.has(k));
      if (!shared.length) continue;
      const covered = new Set(shared.flatMap((k) => r.sessionsOfKey[k] ?? [])).size;
      const within = !!l.signalKeys?.length && l.signalKeys.every((k) => mine.has(k));
      if ((within || covered * 2 > r.sessions.size) && covered > (best?.covered ?? -1)) best = { lesson: l, covered };
    }
    return best?.lesson;
  }

  /** Keys no other lesson owns: one key, one lesson (a key shared with another lesson stays that lesson's). */
  private unownedKeys(keys: string[], self?: string): string[] {
    const others = new Set([...this.working.values()].filter((l) => l.id !== self).flatMap(lessonKeys));
    return keys.filter((k) => !others.has(k));
  }

  /**
   * Patterns the discovery pass found, with support recounted by Reverie. One meaning is one
   * lesson: a pattern a lesson already owns (by signal keys, see keyOwnerOf), or that says
   * what a lesson says, reinforces that lesson (or, with no more sessions than it has, is counted
   * as known); one with enough support becomes a lesson in Claude's wording with
   * Reverie's evidence; the rest stay candidates (returned, kept in the ledger for later dreams).
   */
  discovered(found: Recounted[]): { added: number; reinforced: number; known: string[]; waiting: Recounted[] } {
    const { minSessions, minAgentsForTeam, maxLessonsPerAgent } = this.input.settings;
    const now = this.input.now;
    const meaning = meaningOver([...[...this.working.values()].map((l) => l.text), ...found.map((f) => f.candidate.text), ...this.deletedTexts]);
    let added = 0, reinforced = 0;
    const waiting: Recounted[] = [];
    /** Titles of lessons a found pattern turned out to be, with nothing new to add to them. */
    const known: string[] = [];
    for (const r of found) {
      const c = r.candidate;
      const patternKey = discoveredKey(c.id);
      if (this.tombstoned([patternKey, ...r.ownedKeys], r.support.sessions)) { this.dropped.push(`found "${c.title}": deleted or undone by the user (tombstone)`); continue; }
      if (this.readsLikeDeleted(c.text, meaning)) { this.dropped.push(`found "${c.title}": reads like a lesson the user deleted`); continue; }
      // Its own lesson from an earlier dream (by the keys only it has), else a lesson holding most of
      // its sessions, else one that says the same thing.
      const match = this.ownerOf([patternKey, ...c.cites.map(citeKey)]) ?? this.keyOwnerOf(r) ?? [...this.working.values()].find((l) => l.status !== 'retired' && meaning.same(l.text, c.text));
      if (match) {
        // A retired lesson stays retired, a pinned one untouched; otherwise only support and evidence grow.
        if (match.status === 'retired' || match.pinned || r.support.sessions <= match.support.sessions) { known.push(match.title); continue; }
        const evidence = [...r.evidence, ...match.evidence.filter((e) => !r.evidence.some((x) => x.eventId === e.eventId))].slice(0, MAX_EVIDENCE);
        const after: Lesson = {
          ...match, support: r.support, confidence: confidenceOf(r.support, minSessions), evidence,
          signalKeys: [...new Set([...(match.signalKeys ?? []), patternKey, ...this.unownedKeys(r.ownedKeys, match.id)])].sort(), updatedAt: now,
        };
        const reason = `Claude found it again as "${c.title}"; Reverie counts ${r.support.sessions} sessions.`;
        const at = this.addedHere.get(match.id);
        if (at !== undefined) {
          const add = this.changes[at];
          this.changes[at] = { ...add, after: { ...add.after!, ...after, status: add.after!.status }, reason: `${add.reason} ${reason}` };
          this.working.set(match.id, this.changes[at].after!);
        } else {
          this.push({ op: 'reinforce', lessonId: match.id, before: match, after, related: [], reason });
        }
        reinforced++;
        continue;
      }
      if (r.support.sessions < minSessions) { waiting.push(r); continue; }
      const id = lessonIdFor(patternKey);
      if (this.working.has(id)) continue;
      const agents = r.agents.length >= minAgentsForTeam ? ['all'] : r.agents;
      // The same cap as the heuristic engine's: beyond it a new lesson waits as a candidate.
      const full = (agents[0] === 'all' ? [...new Set([...this.working.values()].flatMap((l) => l.agents))] : agents).some((a) =>
        [...this.working.values()].filter((l) => l.origin === 'learned' && l.status === 'active' && (l.agents.includes(a) || l.agents.includes('all'))).length >= maxLessonsPerAgent);
      const lesson: Lesson = {
        id, kind: c.kind, title: c.title, text: c.text, agents, support: r.support, confidence: confidenceOf(r.support, minSessions), evidence: r.evidence,
        origin: 'learned', status: full ? 'candidate' : 'active', pinned: false, patternKey, signalKeys: this.unownedKeys(r.ownedKeys).sort(), userEdited: false,
        createdAt: now, updatedAt: now, activatedAt: full ? null : now,
      };
      this.touched.add(id);
      this.push({
        op: 'add', lessonId: id, before: null, after: lesson, related: [],
        reason: `Found by Claude across sessions; Reverie counts ${r.support.sessions} sessions (${r.support.occurrences} times) across ${r.support.agents} agent(s).${full ? ` Waits as a candidate: the lesson cap of ${maxLessonsPerAgent} is reached.` : ''}`,
      });
      added++;
      this.claudeAdded.push(id);
    }
    return { added, reinforced, known, waiting };
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
