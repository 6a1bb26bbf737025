// Mining: from the observation index to patterns. Keys of one family are clustered — equal
// signatures first (the key), then similar wording (TF-IDF cosine) — and step n-grams that recur
// become workflow candidates, keeping only the longest sequence with the same support.
import type { SignalKind } from '../../../shared/model';
import { copiedFromParent, observationsOf, sessionCount, type KeyEntry, type Obs, type ObservationIndex } from './observations';
import { sameToolChoice } from './instructions';
import { commandStep } from './signals';
import { clusterHere, type Clusterer } from './cluster-helper';
import { clusterTexts, instructionSimilarity, signedTokens, type Vector } from './similarity';
import { trace } from '../trace';

export type Family = 'error' | 'user' | 'workflow';
export const familyOf = (k: SignalKind): Family => (k === 'tool_error' ? 'error' : k === 'workflow' ? 'workflow' : 'user');

/**
 * One recurring thing: the keys clustered together, and a summary of the sessions that showed one of
 * them — exact counts, the newest observations (evidence), and one observation per session for its
 * wording (every session up to WORDING_SAMPLE, else a fixed sample). A key seen in 10,000 sessions
 * would otherwise be held whole while mined (~0.5 KB a session): a dream's memory then grew with use.
 */
export interface Pattern {
  /** Stable name: the key seen in most sessions (ties: the smallest key). */
  key: string;
  keys: string[];
  family: Family;
  kind: SignalKind;
  /** The sessions that showed it, fork copies left out. */
  sessions: Set<string>;
  /** Every agent any observation came from. */
  agents: Set<string>;
  /** Sessions per agent. */
  agentSessions: Map<string, number>;
  occurrences: number;
  /** Earliest and latest time of the sessions' first observations (in key order). */
  firstSeen: string | null;
  lastSeen: string | null;
  /** The newest sessions' first observations, newest first (ties: session id): the evidence. */
  newest: { session: string; o: Obs }[];
  /** One observation per session, the one naming a fix when a session had several, in key then session order. */
  sample: Obs[];
  /** Whether any observation names the fix that worked. */
  hasFix: boolean;
  /** The failed calls and fixes seen (distinct, up to MAX_CALLS): what a recovery routine would repeat. */
  calls: Set<string>;
}

/** Sessions whose observations a pattern keeps for its wording: majorities over more say nothing new. */
export const WORDING_SAMPLE = 400;
/** Evidence kept per pattern (a lesson shows fewer). */
export const NEWEST_KEPT = 8;
const MAX_CALLS = 1000;

/** How alike two texts must be to count as one pattern. Errors must be near-identical. */
const THRESHOLD: Record<Family, number> = { error: 0.85, user: 0.6, workflow: 1 };

export const MIN_WORKFLOW_STEPS = 4;
const contentOf = (key: string) => key.slice(key.indexOf('|') + 1);
/** The text of a key's first session (by id): deterministic whatever order sessions came in. */
export function representative(e: KeyEntry): string {
  let first: [string, Obs] | undefined;
  for (const entry of observationsOf(e)) if (!first || entry[0] < first[0]) first = entry;
  return first![1].x;
}

/** A session id's place in the wording sample: a fixed hash, so the sample is the same whatever order sessions come in. */
function rank(sid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sid.length; i++) h = Math.imul(h ^ sid.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
const byRank = (a: { sid: string; rank: number }, b: { sid: string; rank: number }) => a.rank - b.rank || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0);
const newer = (a: { session: string; o: Obs }, b: { session: string; o: Obs }) => (b.o.t1 ?? '').localeCompare(a.o.t1 ?? '') || a.session.localeCompare(b.session);

/** Sessions some fork was made from: a key's observations from a fork are checked against theirs. */
function parentsOf(index: ObservationIndex): Set<string> {
  const parents = new Set<string>();
  for (const s of index.sessions.values()) if (s.f) parents.add(s.f);
  return parents;
}

/**
 * A key's observations without fork copies, walked (not held): a fork's are checked once the key is
 * walked, against what its parents showed of it (only forks and parents are kept meanwhile).
 */
function* ownObservations(entry: KeyEntry, index: ObservationIndex, parents: Set<string>): Generator<[string, Obs]> {
  if (!parents.size) {
    yield* observationsOf(entry);
    return;
  }
  const parentText = new Map<string, string>();
  const forks: [string, Obs][] = [];
  for (const [sid, o] of observationsOf(entry)) {
    if (parents.has(sid)) parentText.set(sid, o.x);
    if (index.sessions.get(sid)?.f) forks.push([sid, o]);
    else yield [sid, o];
  }
  for (const [sid, o] of forks) if (!copiedFromParent(index, sid, o.x, (p) => parentText.get(p))) yield [sid, o];
}

function patternOf(keys: string[], index: ObservationIndex, parents: Set<string>): Pattern {
  const entries = index.keys;
  const sorted = [...keys].sort();
  const sessions = new Set<string>();
  const agents = new Set<string>();
  const agentSessions = new Map<string, number>();
  const calls = new Set<string>();
  const counted = new Map<string, number>();
  let occurrences = 0;
  let firstSeen: string | null = null;
  let lastSeen: string | null = null;
  let hasFix = false;
  let newest: Pattern['newest'] = [];
  // The wording sample: the sessions of lowest rank, each with its chosen observation and the key it was first seen under.
  const sample = new Map<string, { sid: string; rank: number; at: number; o: Obs }>();
  let cutoff = Infinity;
  sorted.forEach((k, at) => {
    let n = 0;
    for (const [sid, o] of ownObservations(entries.get(k)!, index, parents)) {
      n++;
      agents.add(o.a);
      occurrences += o.n;
      if (o.f) hasFix = true;
      if (calls.size < MAX_CALLS) for (const c of [o.c, o.f]) if (c) calls.add(c);
      if (!sessions.has(sid)) {
        // A session's first observation (in key order) stands for it: its times, its agent, its evidence.
        sessions.add(sid);
        agentSessions.set(o.a, (agentSessions.get(o.a) ?? 0) + 1);
        for (const t of [o.t0, o.t1]) {
          if (t && (!firstSeen || t < firstSeen)) firstSeen = t;
          if (t && (!lastSeen || t > lastSeen)) lastSeen = t;
        }
        newest.push({ session: sid, o });
        if (newest.length >= 4 * NEWEST_KEPT) newest = newest.sort(newer).slice(0, NEWEST_KEPT);
      }
      const r = rank(sid);
      if (r > cutoff) continue;
      const cur = sample.get(sid);
      if (!cur) sample.set(sid, { sid, rank: r, at, o });
      else if (!cur.o.f && o.f) cur.o = o;
      if (sample.size >= 2 * WORDING_SAMPLE) {
        const kept = [...sample.values()].sort(byRank).slice(0, WORDING_SAMPLE);
        cutoff = kept[kept.length - 1]!.rank;
        sample.clear();
        for (const c of kept) sample.set(c.sid, c);
      }
    }
    counted.set(k, n);
  });
  /** Sessions a key was seen in, copies left out. */
  const size = (k: string) => counted.get(k) ?? 0;
  const key = sorted.reduce((best, k) => (size(k) > size(best) ? k : best), sorted[0]);
  const kind = entries.get(key)!.kind;
  const chosen = [...sample.values()].sort(byRank).slice(0, WORDING_SAMPLE).sort((a, b) => a.at - b.at || a.sid.localeCompare(b.sid));
  return {
    key, keys: sorted, family: familyOf(kind), kind, sessions, agents, agentSessions, occurrences, firstSeen, lastSeen,
    newest: newest.sort(newer).slice(0, NEWEST_KEPT), sample: chosen.map((c) => c.o), hasFix, calls,
  };
}

/**
 * All patterns with support in at least `minSupport` sessions. Clustering only considers keys
 * with their own support ≥ 1 session, so its cost grows with distinct keys, not with signals.
 */
export function minePatterns(index: ObservationIndex, minSupport: number, clusterErrors: Clusterer = clusterHere): Pattern[] {
  // Keys are not sorted: nothing below depends on the order they come in (patterns sort their keys
  // and sessions, clustering names groups by content, the result is sorted), and sorting 100,000 names costs.
  const groups: Record<string, string[]> = {};
  for (const [k, e] of index.keys) {
    const fam = familyOf(e.kind);
    // Errors cluster only within one tool: the same words from two tools are two mistakes.
    const g = fam === 'error' ? `error:${k.slice(0, k.indexOf('|'))}` : fam;
    (groups[g] ??= []).push(k);
  }
  const out: Pattern[] = [];
  const parents = parentsOf(index);
  const clustered: { list: string[]; roots: number[] }[] = [];
  trace('mining: clustering');
  // Errors compare their signatures with plain cosine (cluster-helper.ts errorKeyDoc), all groups at
  // once (on two threads in a dream).
  const errors = Object.entries(groups).filter(([g]) => g.startsWith('error'));
  const jobs = errors.map(([, list]) => ({ keys: list, threshold: THRESHOLD.error, rareTokens: 3 }));
  clusterErrors(jobs).forEach((roots, i) => clustered.push({ list: errors[i]![1], roots }));
  for (const [g, list] of Object.entries(groups)) {
    if (g === 'workflow') {
      out.push(...workflowPatterns(list, index, minSupport, parents));
      continue;
    }
    if (g !== 'user') continue;
    // User wishes compare what was said, with its polarity. User keys are canonical signed tokens
    // already (instructions.ts); older stores' keys are re-read. Instructions are short: block on
    // more of their words, so "never commit, push or open PRs" meets "don't commit".
    clustered.push({ list, roots: clusterTexts(list.map((k) => userDoc(k, index.keys.get(k)!)), THRESHOLD.user, userSimilarity, 6) });
  }
  trace('mining: clustered');
  for (const { list, roots } of clustered) {
    const byRoot = new Map<number, string[]>();
    roots.forEach((r, i) => (byRoot.get(r) ?? byRoot.set(r, []).get(r)!).push(list[i]));
    for (const members of byRoot.values()) {
      // Most keys recur nowhere: a group that cannot reach the support is never looked into (a key
      // read from the file then stays unparsed).
      if (members.reduce((n, k) => n + sessionCount(index.keys.get(k)!), 0) < minSupport) continue;
      const p = patternOf(members, index, parents);
      if (p.sessions.size >= minSupport) out.push(p);
    }
  }
  trace('mining: patterns walked');
  return withoutRecoveries(out).sort((a, b) => b.sessions.size - a.sessions.size || a.key.localeCompare(b.key));
}

/**
 * A "routine" that is mostly the recovery from one recurring mistake (build fails → `go mod tidy`
 * → test) is that mistake's lesson seen again, not a workflow of its own: it is dropped when most
 * of its sessions are the mistake's.
 */
function withoutRecoveries(patterns: Pattern[]): Pattern[] {
  const errors = patterns.filter((p) => p.family === 'error');
  /** The steps of a mistake and its recovery: the failed call and what was run after it (once per mistake). */
  const recoveries = new Map<Pattern, Set<string>>();
  const recovery = (e: Pattern) => recoveries.get(e) ?? recoveries.set(e, new Set([...e.calls]
    .map((x) => commandStep(x.replace(/^\S+\s/, ''))).filter((s): s is string => !!s).map((s) => `run ${s}`))).get(e)!;
  return patterns.filter((p) => p.family !== 'workflow' || !errors.some((e) => {
    let shared = 0;
    for (const s of p.sessions) if (e.sessions.has(s)) shared++;
    if (shared < 0.6 * p.sessions.size) return false;
    const steps = p.key.slice(p.key.indexOf('|') + 1).split(' → ');
    const own = recovery(e);
    return steps.filter((s) => !own.has(s)).length < 3;
  }));
}

/** Instructions compare by their words, and one choice of tool said two ways is one instruction. */
const userSimilarity = (a: Vector, b: Vector) => (sameToolChoice(a.keys(), b.keys()) ? 1 : instructionSimilarity(a, b));

/** A user key's tokens: canonical keys are their own document; a key from before them is re-derived. */
function userDoc(key: string, entry: KeyEntry): string[] {
  const body = contentOf(key);
  return /^(?:scope:|!?[\p{L}\p{N}<])/u.test(body) && body.split(' ').every((t) => !t || /^(?:scope:\w+|!?[^\s!]+)$/.test(t)) && body === [...new Set(body.split(' '))].sort().join(' ')
    ? scoped(body.split(' ').filter(Boolean))
    : signedTokens(representative(entry));
}

/** "Keep edits to what was asked" is one rule whatever else the sentence adds: it is its subject. */
const scoped = (doc: string[]) => (doc.includes('scope:edit') ? ['scope:edit'] : doc);

/** Frequent step sequences, closed: an n-gram inside a longer one with the same support is dropped. */
function workflowPatterns(keys: string[], index: ObservationIndex, minSupport: number, parents: Set<string>): Pattern[] {
  const { keys: entries, grams } = index;
  const support = (k: string) => { const e = entries.get(k); return e ? sessionCount(e) : (grams.get(k) ?? 0); };
  // A routine is more than two habits that happened to follow each other: at every split point,
  // when either half shows up, the whole routine must follow at least half of the time.
  const cohesive = (k: string) => {
    const steps = contentOf(k).split(' → ');
    const n = support(k);
    for (let i = 1; i < steps.length; i++) {
      const rarer = Math.min(support(`workflow|${steps.slice(0, i).join(' → ')}`), support(`workflow|${steps.slice(i).join(' → ')}`));
      if (n < 0.5 * rarer) return false;
    }
    return true;
  };
  // Three steps recur by chance in busy stores; four in the same order across sessions rarely do.
  const frequent = keys.filter((k) => support(k) >= minSupport && contentOf(k).split(' → ').length >= MIN_WORKFLOW_STEPS && cohesive(k));
  const kept = frequent.filter((k) => {
    const body = contentOf(k);
    return !frequent.some((o) => o !== k && contentOf(o).length > body.length && ` → ${contentOf(o)} → `.includes(` → ${body} → `) && support(o) >= support(k));
  });
  // Overlapping windows of one longer routine (a→b→c→d and b→c→d→e) with similar support are one
  // workflow: keep the one with the most sessions, then the longest.
  const chosen: string[] = [];
  for (const k of kept.sort((a, b) => support(b) - support(a) || contentOf(b).length - contentOf(a).length || a.localeCompare(b))) {
    const steps = new Set(contentOf(k).split(' → '));
    const overlapping = chosen.some((c) => {
      const other = contentOf(c).split(' → ');
      const shared = other.filter((s) => steps.has(s)).length;
      return shared >= Math.min(steps.size, other.length) - 1;
    });
    if (!overlapping) chosen.push(k);
  }
  return chosen.map((k) => patternOf([k], index, parents));
}
