// The heuristic engine (offline, deterministic): mines patterns from the observation index and
// curates them against the current lessons into a changeset — add, reinforce, sharpen, merge,
// retire, promote. The rules of GUIDE.md §3 live here: tombstoned patterns are never re-learned,
// pinned lessons are never touched, user edits are never reworded, seeded lessons are reinforced
// or flagged but never removed, one-offs never become lessons.
import type { Clusterer } from './cluster-helper';
import { createHash } from 'node:crypto';
import type { Change, Evidence, Lesson, LessonDelta, Signal, Support } from '../../../shared/model';
import { coveredKeys } from './claude/keys';
import { minePatterns, type Pattern } from './mine';
import { excerptOf, indexOfSignals, sessionCount, type ObservationIndex } from './observations';
import { contradicts, cosine, idfOf, signedTokens, unsigned, vectorOf } from './similarity';
import { tombstoneCheck } from './tombstones';
import type { DreamInput, DreamOutput } from './types';
import { lessonKindOf, namesNoFix, retriedUnchanged, wordingOf as wordingOfUncached } from './wording';

export type { Pattern } from './mine';

const MAX_EVIDENCE = 6;
/** A learned preference or workflow not seen for this long while work went on has decayed. */
const DECAY_DAYS = 180;
/** …and only when at least this many of its agents' sessions happened since. */
const DECAY_MIN_SESSIONS_SINCE = 20;
/** How alike a seeded lesson and a pattern must read to be about the same thing. */
const SEED_MATCH = 0.45;

export const lessonIdFor = (patternKey: string) => `l-${createHash('sha1').update(patternKey).digest('hex').slice(0, 12)}`;

export function confidenceOf(support: Support, minSessions: number): number {
  // Saturates with support: minSessions sessions ≈ 0.6, twice that ≈ 0.85.
  const x = support.sessions / Math.max(1, minSessions);
  return Math.round(Math.min(0.99, 1 - Math.exp(-0.95 * x)) * 100) / 100;
}

/** A lesson's support: the pattern's summary holds it (mine.ts). */
const supportOf = (p: Pattern): Support => ({ sessions: p.sessions.size, agents: p.agents.size, occurrences: p.occurrences, firstSeen: p.firstSeen, lastSeen: p.lastSeen });

function evidenceOf(p: Pattern, agentNames: Record<string, string>): Evidence[] {
  // One piece per session, newest first, so the drawer shows breadth; ties by session id.
  return p.newest
    .slice(0, MAX_EVIDENCE)
    .map(({ session, o }) => ({ sessionId: session, eventId: o.e, agent: agentNames[o.a] ?? o.a, excerpt: excerptOf(o) || p.key.slice(p.key.indexOf('|') + 1), timestamp: o.t1 }));
}

/**
 * Who a lesson is for. A pattern enough agents show is the team's; one that is strong in one agent
 * and incidental elsewhere (an agent with under a tenth of the strongest one's sessions) is that
 * agent's — and so its project's — not everyone's.
 */
export function scopeOf(p: Pattern, minAgentsForTeam: number): string[] {
  const per = p.agentSessions;
  const top = Math.max(...per.values());
  const scoped = [...per].filter(([, n]) => n >= Math.max(1, 0.1 * top)).map(([a]) => a);
  return scoped.length >= minAgentsForTeam ? ['all'] : scoped.sort();
}

/** Lessons a dream may reword, merge away or retire: learned ones nobody pinned or edited. */
const locked = (l: Lesson) => l.pinned || l.userEdited || l.origin !== 'learned';
const keysOf = (l: Lesson) => [...coveredKeys(l.patternKey), ...(l.signalKeys ?? [])];
const days = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 86_400_000;

/** Ranking within an agent's cap: confidence, weighed down by age relative to the newest activity. */
export function scoreOf(l: Lesson, newest: string | null): number {
  const age = newest && l.support.lastSeen ? Math.max(0, days(newest, l.support.lastSeen)) : 0;
  // Breadth counts a little; depth counts more: a mistake one agent made in 100 sessions outranks
  // one that three agents made once each, or it would wait as a candidate forever.
  return (l.pinned ? 10 : 0) + l.confidence * Math.exp(-age / 90) + 0.02 * Math.min(l.support.agents, 4) + 0.15 * Math.log10(1 + l.support.sessions);
}

/** Worded once, and the wording kept on the pattern: a pattern kept for the next dream keeps it too (pattern-memo.ts). */
const wordingOf = (p: Pattern) => (p.wording ??= wordingOfUncached(p));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
export const fingerprint = (w: { title: string; text: string }) => createHash('sha1').update(`${w.title}\n${w.text}`).digest('hex').slice(0, 12);
/** The heuristic rewords only its own words: not Claude's sharpening, not the user's edit. */
const ownWording = (l: Lesson) => !locked(l) && l.autoWording === fingerprint(l);

/**
 * Curates: patterns + current lessons → changes. Pure; `index` is the store of observations,
 * `clusterErrors` how mining clusters the error groups (a dream's worker: on two threads).
 */
export function dreamFromIndex(input: DreamInput, index: ObservationIndex, clusterErrors?: Clusterer): DreamOutput {
  const { settings, now, agentNames } = input;
  const patterns = minePatterns(index, settings.minSessions, clusterErrors);
  const isTombstoned = tombstoneCheck(input.tombstones);
  const tombstoned = (p: Pattern) => isTombstoned(p.keys, supportOf(p).sessions);
  const working = new Map(input.lessons.map((l) => [l.id, l]));
  const owner = new Map<string, string>();
  for (const l of input.lessons) for (const k of keysOf(l)) if (!owner.has(k)) owner.set(k, l.id);
  const changes: Change[] = [];
  const touched = new Set<string>();
  // "I undid it; don't redo it behind my back": an undone retirement or merge waits for new evidence.
  const undoneStill = (op: 'retire' | 'merge', lessonId: string, sessions: number) =>
    (input.undone ?? []).some((u) => u.op === op && u.lessonId === lessonId && sessions <= u.sessions);
  const push = (op: Change['op'], lessonId: string, before: Lesson | null, after: Lesson | null, reason: string, related: LessonDelta[] = []) => {
    changes.push({ id: `c${changes.length + 1}`, op, lessonId, before, after, related, reason, decision: 'applied' });
    for (const d of [{ lessonId, after }, ...related]) {
      touched.add(d.lessonId);
      if (d.after) working.set(d.lessonId, d.after);
      else working.delete(d.lessonId);
    }
  };
  const since = sessionsSince(index);
  const newest = since.newest;

  // Seeded and user-written lessons are matched to patterns by wording (they have no signal keys).
  const textual = input.lessons.filter((l) => l.origin !== 'learned' && l.status !== 'retired');
  // …so a deleted one is recognised by its wording too, or its pattern would come back as a learned lesson.
  const deletedTexts = input.tombstones.filter((t) => t.text && t.reason !== 'undone').map((t) => t.text!);
  const docs = [...textual.map((l) => signedTokens(l.text)), ...deletedTexts.map(signedTokens), ...patterns.map((p) => signedTokens(wordingOf(p).text))];
  const idf = idfOf(docs.map(unsigned));
  const textualDocs = docs.slice(0, textual.length);
  const deletedDocs = docs.slice(textual.length, textual.length + deletedTexts.length);
  const readsLikeDeleted = (pd: string[]) => {
    const pu = vectorOf(unsigned(pd), idf);
    return deletedDocs.some((d) => cosine(vectorOf(unsigned(d), idf), pu) >= SEED_MATCH && !contradicts(d, pd, idf, SEED_MATCH));
  };

  const userPatterns = patterns.filter((p) => p.family === 'user' && !tombstoned(p));
  const signedOf = new Map(patterns.map((p) => [p, signedTokens(wordingOf(p).text)]));
  const newerReversal = (p: Pattern, doc: string[]) => {
    const last = supportOf(p).lastSeen;
    return userPatterns.find((q) => q !== p && !!last && (supportOf(q).lastSeen ?? '') > last && contradicts(doc, signedOf.get(q)!, idf, 0.6));
  };

  let tombstonedCount = 0;
  for (const p of patterns) {
    if (tombstoned(p)) { tombstonedCount++; continue; }
    const support = supportOf(p);
    const evidence = evidenceOf(p, agentNames);
    const confidence = confidenceOf(support, settings.minSessions);
    const agents = scopeOf(p, settings.minAgentsForTeam);
    const wording = wordingOf(p);
    const owners = [...new Set(p.keys.map((k) => owner.get(k)).filter((id): id is string => !!id))]
      .map((id) => working.get(id))
      .filter((l): l is Lesson => !!l);

    if (!owners.length) {
      // A seeded (or user-written) lesson saying the same thing takes the evidence instead.
      const pd = signedTokens(wording.text);
      const pu = vectorOf(unsigned(pd), idf);
      const match = textual
        .map((l, i) => ({ l, doc: textualDocs[i], sim: cosine(vectorOf(unsigned(textualDocs[i]), idf), pu) }))
        .filter((m) => m.sim >= SEED_MATCH && !touched.has(m.l.id) && p.family !== 'error')
        .sort((a, b) => b.sim - a.sim || a.l.id.localeCompare(b.l.id))[0];
      if (match) {
        const cur = working.get(match.l.id)!;
        if (cur.pinned) continue;
        if (contradicts(match.doc, pd, idf, SEED_MATCH)) {
          const after: Lesson = { ...cur, contradiction: { reason: `Your sessions say otherwise: "${wording.text}" (${support.sessions} sessions).`, evidence, at: now }, updatedAt: now };
          if (!same(cur.contradiction?.evidence, evidence)) push('reinforce', cur.id, cur, after, `Flagged: ${support.sessions} sessions contradict this ${cur.origin} lesson ("${wording.text}"). Kept, for you to decide.`);
        } else {
          const after: Lesson = { ...cur, support, evidence, confidence, signalKeys: p.keys, updatedAt: now };
          if (!same(cur.support, support)) push('reinforce', cur.id, cur, after, `Your sessions agree with this ${cur.origin} lesson: seen in ${support.sessions} sessions.`);
        }
        continue;
      }
      // A wish the user reversed later is not learned: the later word wins (as it retires a lesson).
      const reversedBy = p.family === 'user' ? newerReversal(p, pd) : undefined;
      if (reversedBy) continue;
      if (p.family !== 'error' && readsLikeDeleted(pd)) { tombstonedCount++; continue; }
      const id = lessonIdFor(p.key);
      if (working.has(id)) continue;
      const lesson: Lesson = {
        id, kind: lessonKindOf(p), title: wording.title, text: wording.text, agents, support, confidence, evidence,
        origin: 'learned', status: 'active', pinned: false, patternKey: p.key, signalKeys: p.keys, userEdited: false,
        createdAt: now, updatedAt: now, activatedAt: now, autoWording: fingerprint(wording),
      };
      // A failure the agent got past by changing the code and running the same call again (a test
      // failing while it is written, a compile error being fixed) is ordinary work, not a lesson.
      if (namesNoFix(lesson) && retriedUnchanged(p)) continue;
      push('add', id, null, lesson, `Seen in ${support.sessions} sessions (${support.occurrences} times) across ${support.agents} agent(s).`);
      continue;
    }

    // The lesson to keep: pinned, then edited, then the best supported; the rest are near-duplicates.
    const [primary, ...dupes] = [...owners].sort(
      (a, b) => Number(b.pinned) - Number(a.pinned) || Number(b.userEdited) - Number(a.userEdited) || b.support.sessions - a.support.sessions || a.id.localeCompare(b.id),
    );
    if (primary.status === 'retired' || primary.pinned || touched.has(primary.id)) continue;
    // An undone retirement holds (the lesson is reinforced instead) until its own pattern recurs in more sessions.
    const reversal = p.family === 'user' && !locked(primary) && !undoneStill('retire', primary.id, support.sessions) ? newerReversal(p, signedTokens(wording.text)) : undefined;
    if (reversal) {
      push('retire', primary.id, primary, { ...primary, status: 'retired', updatedAt: now }, `Contradicted by a later correction: "${wordingOf(reversal).text}".`);
      continue;
    }
    const absorbed = undoneStill('merge', primary.id, support.sessions) ? [] : dupes.filter((d) => !locked(d) && d.status !== 'retired' && !touched.has(d.id));
    const after: Lesson = {
      ...primary, support, evidence, confidence, signalKeys: [...new Set([...(primary.signalKeys ?? []), ...p.keys])].sort(),
      // A seeded, user-written or pinned lesson keeps the scope its author gave it; only evidence grows.
      agents: locked(primary) ? primary.agents : absorbed.some((d) => d.agents.includes('all')) ? ['all'] : agents, updatedAt: now,
      ...(ownWording(primary) ? { ...wording, autoWording: fingerprint(wording) } : {}),
    };
    if (absorbed.length) {
      push('merge', primary.id, primary, after, `Near-duplicates: ${absorbed.map((d) => `"${d.title}"`).join(', ')} describe the same pattern.`,
        absorbed.map((d) => ({ lessonId: d.id, before: d, after: { ...d, status: 'retired' as const, updatedAt: now } })));
    } else if (after.text !== primary.text || after.title !== primary.title) {
      push('sharpen', primary.id, primary, after, `Reworded from ${support.sessions} sessions of evidence${p.hasFix ? ', naming the fix that worked' : ''}.`);
    } else if (!same(primary.support, support) || !same(primary.evidence, evidence) || !same(primary.signalKeys, after.signalKeys)) {
      push('reinforce', primary.id, primary, after, `Support ${primary.support.sessions} → ${support.sessions} sessions, ${support.occurrences} occurrences.`);
    }
  }

  // Contradictions: a newer user pattern that reverses a learned preference retires it.
  for (const l of [...working.values()]) {
    if (l.kind !== 'preference' || locked(l) || l.status === 'retired' || touched.has(l.id) || undoneStill('retire', l.id, l.support.sessions)) continue;
    const lv = signedTokens(l.text);
    const reversal = userPatterns.find((p) => {
      if (p.keys.some((k) => keysOf(l).includes(k))) return false;
      const s = supportOf(p);
      return !!s.lastSeen && !!l.support.lastSeen && s.lastSeen > l.support.lastSeen && contradicts(lv, signedOf.get(p)!, idf, 0.6);
    });
    if (reversal) push('retire', l.id, l, { ...l, status: 'retired', updatedAt: now }, `Contradicted by a later correction: "${wordingOf(reversal).text}".`);
  }

  // Decay: learned preferences and workflows not seen for long while their agents kept working.
  // Mistakes are not decayed: a mistake that stopped recurring is the lesson working.
  if (newest)
    for (const l of [...working.values()]) {
      if (locked(l) || l.status === 'retired' || l.kind === 'mistake' || touched.has(l.id) || !l.support.lastSeen || undoneStill('retire', l.id, l.support.sessions)) continue;
      if (days(newest, l.support.lastSeen) < DECAY_DAYS) continue;
      const later = since.count(l.support.lastSeen, l.agents.includes('all') ? null : l.agents);
      if (later >= DECAY_MIN_SESSIONS_SINCE) push('retire', l.id, l, { ...l, status: 'retired', updatedAt: now }, `Decayed: not seen in ${Math.round(days(newest, l.support.lastSeen))} days and ${later} sessions.`);
    }

  const added = new Set(changes.filter((c) => c.op === 'add').map((c) => c.lessonId));
  applyCap(input, working, newest, added, push, (lesson) => {
    const c = changes.find((x) => x.op === 'add' && x.lessonId === lesson.id)!;
    c.after = lesson;
    c.reason += ` Waits as a candidate: ${lesson.agents.join(', ')} already has ${input.settings.maxLessonsPerAgent} stronger lessons.`;
  });

  return {
    changes,
    stats: { sessionsRead: Math.max(input.sessionIds.length, 0), signalsRead: 0, patterns: patterns.length },
    ...(changes.length ? {} : { message: emptyMessage(index, patterns.length, tombstonedCount, settings.minSessions, since.sessions) }),
  };
}

/**
 * Lessons stay few: per agent at most `maxLessonsPerAgent` active ones, ranked by `scoreOf`. New
 * lessons beyond the cap wait as candidates; candidates are promoted as soon as they rank within it.
 */
function applyCap(
  input: DreamInput, working: Map<string, Lesson>, newest: string | null, added: Set<string>,
  push: (op: Change['op'], id: string, b: Lesson | null, a: Lesson | null, reason: string) => void, demote: (l: Lesson) => void,
): void {
  const cap = input.settings.maxLessonsPerAgent;
  const scopes = [...new Set([...working.values()].flatMap((l) => l.agents))].filter((a) => a !== 'all').sort();
  // Seeded and user-written lessons are the user's own choice: they never crowd out, nor are crowded out.
  const lessonsOf = (agent: string) => [...working.values()].filter((l) => l.origin === 'learned' && l.status !== 'retired' && (l.agents.includes(agent) || l.agents.includes('all')));
  for (const agent of scopes.length ? scopes : ['all']) {
    // Scored once each, not once per comparison (hundreds of lessons, two date parses a score).
    const score = new Map(lessonsOf(agent).map((l) => [l, scoreOf(l, newest)]));
    const ranked = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || a.id.localeCompare(b.id));
    ranked.forEach((l, rank) => {
      const cur = working.get(l.id)!;
      if (rank >= cap && cur.status === 'active' && added.has(cur.id)) {
        // Added in this dream beyond the cap: it waits as a candidate instead.
        const waiting: Lesson = { ...cur, status: 'candidate', activatedAt: null };
        working.set(cur.id, waiting);
        demote(waiting);
      } else if (rank < cap && cur.status === 'candidate' && !cur.pinned) {
        push('promote', cur.id, cur, { ...cur, status: 'active', activatedAt: input.now, updatedAt: input.now }, `Ranks #${rank + 1} of the lessons for ${agent}; the cap is ${cap}.`);
      }
    });
  }
}

/**
 * How many sessions started after a time, for all agents or some: each agent's start times sorted
 * once, then a binary search per question (a lesson's decay asked it of every session, per lesson:
 * at 100,000 sessions and a few hundred lessons, most of a full dream's time).
 */
function sessionsSince(index: ObservationIndex): { newest: string | null; sessions: number; count: (after: string, agents: string[] | null) => number } {
  const byAgent = new Map<string, string[]>();
  let newest: string | null = null;
  for (const s of index.sessions.values()) {
    if (!s.t) continue;
    if (!newest || s.t > newest) newest = s.t;
    (byAgent.get(s.a) ?? byAgent.set(s.a, []).get(s.a)!).push(s.t);
  }
  for (const list of byAgent.values()) list.sort();
  /** Stamps in a sorted list strictly later than `after`. */
  const later = (list: string[], after: string) => {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]! <= after) lo = mid + 1; else hi = mid; }
    return list.length - lo;
  };
  // Every dated session is in exactly one agent's list: all agents together are their sum.
  const among = (agents: Iterable<string>, after: string) => { let n = 0; for (const a of agents) n += later(byAgent.get(a) ?? [], after); return n; };
  return {
    newest,
    sessions: index.sessions.size,
    count: (after, agents) => among(agents ? new Set(agents) : byAgent.keys(), after),
  };
}

function emptyMessage(index: ObservationIndex, patterns: number, tombstoned: number, minSessions: number, sessions: number): string {
  if (patterns > 0) {
    return tombstoned === patterns
      ? 'Nothing new: every recurring pattern was deleted by you, or undone with its dream (its tombstone keeps it from coming back).'
      : tombstoned > 0
        ? `Nothing new: every recurring pattern is already a lesson, with up-to-date support, or was deleted or undone by you (${tombstoned} of ${patterns}).`
        : 'Nothing new: every recurring pattern is already a lesson, with up-to-date support.';
  }
  if (sessions < minSessions) return `Nothing worth learning yet: only ${sessions} session(s) so far, and a pattern needs to recur in ${minSessions}. Import more sessions of the same kind of work.`;
  let best = 0;
  for (const k of index.keys.values()) best = Math.max(best, sessionCount(k));
  const signals = index.keys.size;
  return signals
    ? `Nothing worth learning yet: the work is too varied. The ${signals} distinct mistakes, corrections and step sequences in ${sessions} sessions each recur in at most ${best} session(s); a lesson needs ${minSessions}. Reverie learns from repetition.`
    : `Nothing worth learning yet: ${sessions} sessions show no failed tool calls, corrections or repeated steps to learn from.`;
}

/** The engine's pure entry point on a list of signals (tests, the Claude engine's fixtures). */
export function heuristicDream(input: DreamInput, signals: Signal[]): DreamOutput {
  const out = dreamFromIndex(input, indexOfSignals(signals));
  return { ...out, stats: { ...out.stats, signalsRead: signals.length, sessionsRead: Math.max(out.stats.sessionsRead, new Set(signals.map((s) => s.sessionId)).size) } };
}
