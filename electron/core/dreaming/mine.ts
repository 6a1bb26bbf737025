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
import { forget, recall, remember } from './pattern-memo';
import { isWalkStateJson, MAX_CALLS, WalkState } from './pattern-walk';

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
  /** Its wording, once worded (heuristic.ts): kept with it for the next dream (pattern-memo.ts). */
  wording?: { title: string; text: string };
}

export { NEWEST_KEPT, WORDING_SAMPLE } from './pattern-walk';

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
function* ownObservations(entry: KeyEntry, index: ObservationIndex, parents: Set<string>, met: { fork: boolean }): Generator<[string, Obs]> {
  if (!parents.size) {
    yield* observationsOf(entry);
    return;
  }
  const parentText = new Map<string, string>();
  const forks: [string, Obs][] = [];
  for (const [sid, o] of observationsOf(entry)) {
    if (parents.has(sid)) parentText.set(sid, o.x);
    if (index.sessions.get(sid)?.f) forks.push([sid, o]), (met.fork = true);
    else yield [sid, o];
  }
  for (const [sid, o] of forks) if (!copiedFromParent(index, sid, o.x, (p) => parentText.get(p))) yield [sid, o];
}

/** Patterns of this mining read back from the last dream, and of those how many were extended (the trace, tests). */
let recalled = 0, extended = 0;
export const lastMining = () => ({ recalled, extended });

/**
 * The pattern of a group of keys. Kept from the last dream (pattern-memo.ts) for the keys the group
 * had then — the ones read from the index file — when those only gained new sessions since and any
 * key it has now is new (none of their sessions folded again or dropped, no fork among them, and no
 * fork in the pattern kept): read back and extended by what the new sessions showed. Else walked whole.
 * Either way kept for the next dream, with its wording once worded.
 */
function patternOf(keys: string[], index: ObservationIndex, parents: Set<string>): Pattern {
  const sorted = [...keys].sort();
  const st = extendedKept(sorted, index);
  let wording: Pattern['wording'];
  let forks = false;
  let state: WalkState;
  if (st) {
    state = st.state;
    recalled++;
    if (st.added) extended++;
    wording = st.wording;
  } else {
    state = new WalkState();
    const met = { fork: false };
    sorted.forEach((k, at) => {
      let n = 0;
      for (const [sid, o] of ownObservations(index.keys.get(k)!, index, parents, met)) n++, state.add(at, sid, o);
      state.counted.set(k, n);
    });
    forks = met.fork;
  }
  const p = finish(sorted, state, index);
  if (wording && st?.key === p.key) p.wording = wording;
  // Nothing new in it: its line is copied as it was read.
  if (st?.line && p.wording) remember(index, sorted, { line: st.line });
  else remember(index, sorted, () => JSON.stringify({ key: p.key, state: state.toJSON(), ...(forks ? { forks: true } : {}), ...(p.wording ? { wording: p.wording } : {}) } satisfies Kept));
  return p;
}

/** A group's entry kept for the next dream: its walk, whether a fork was met, its name and wording. */
interface Kept { key?: string; state?: unknown; forks?: boolean; wording?: { title: string; text: string } }

/** A key of the index file and what changed in it since it was read (StoredKeyEntry); a key made since has neither. */
type FileKey = KeyEntry & { untouched?: boolean; changes?: { removed: Set<string>; added: Map<string, Obs> } | null };

/**
 * The group's walk kept from the last dream, extended by the sessions added since; null when there
 * is none or it cannot be extended exactly (the group is walked whole then). `wording` is the kept
 * one while the group, its sample and its name are unchanged.
 */
function extendedKept(sorted: string[], index: ObservationIndex): { state: WalkState; added: number; key?: string; wording?: Pattern['wording']; line?: [number, number] } | null {
  const entries = sorted.map((k) => index.keys.get(k) as FileKey | undefined);
  // The keys the group had when it was kept: those read from the file (a key made since holds only sessions folded since).
  const before = sorted.filter((_, i) => entries[i]?.untouched !== undefined);
  if (!before.length) return null;
  const found = recall(index, before);
  const kept = found?.entry as Kept | undefined;
  if (!kept || kept.forks || !isWalkStateJson(kept.state) || kept.state.calls.length >= MAX_CALLS) return null;
  const added: [number, string, Obs][] = [];
  for (let at = 0; at < sorted.length; at++) {
    const e = entries[at];
    if (!e) return null;
    if (e.untouched === undefined) for (const sid in e.per) added.push([at, sid, e.per[sid]!]);
    else if (!e.untouched) {
      const changes = e.changes;
      if (!changes || changes.removed.size) return null;
      for (const [sid, o] of changes.added) added.push([at, sid, o]);
    }
  }
  // Key positions in the group as kept → as it is now (keys made since come in between).
  const now = new Map(sorted.map((k, i) => [k, i]));
  const state = WalkState.fromJSON(kept.state, (at) => now.get(before[at]!)!);
  // Sessions new to the group, none of them a fork: what they showed is all that changed.
  if (added.some(([, sid]) => state.sessions.has(sid) || !!index.sessions.get(sid)?.f)) return null;
  const sampled = state.chosen().map((c) => c.sid).join('\n');
  for (const [at, sid, o] of added) {
    state.add(at, sid, o);
    state.counted.set(sorted[at]!, (state.counted.get(sorted[at]!) ?? 0) + 1);
  }
  // At the cap, which calls are kept depends on the order they came in: walked whole then.
  if (state.calls.size >= MAX_CALLS) return null;
  const same = before.length === sorted.length && state.chosen().map((c) => c.sid).join('\n') === sampled;
  return { state, added: added.length, key: kept.key, wording: same ? kept.wording : undefined, line: same && !added.length ? found!.line : undefined };
}

/** The pattern a walk gathered: named by the key seen in most sessions (ties: the smallest key). */
function finish(sorted: string[], st: WalkState, index: ObservationIndex): Pattern {
  const size = (k: string) => st.counted.get(k) ?? 0;
  const key = sorted.reduce((best, k) => (size(k) > size(best) ? k : best), sorted[0]!);
  const kind = index.keys.get(key)!.kind;
  return {
    key, keys: sorted, family: familyOf(kind), kind, sessions: st.sessions, agents: st.agents, agentSessions: st.agentSessions, occurrences: st.occurrences,
    firstSeen: st.firstSeen, lastSeen: st.lastSeen, newest: st.newestKept(), sample: st.chosen().map((c) => c.o), hasFix: st.hasFix, calls: st.calls,
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
  // What this mining keeps for the next dream (a mining done again keeps only its own).
  forget(index);
  recalled = extended = 0;
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
  trace(`mining: patterns walked (${recalled} kept from the last dream, ${extended} of them extended by new sessions)`);
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
