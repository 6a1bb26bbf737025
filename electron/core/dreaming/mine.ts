// Mining: from the observation index to patterns. Keys of one family are clustered — equal
// signatures first (the key), then similar wording (TF-IDF cosine) — and step n-grams that recur
// become workflow candidates, keeping only the longest sequence with the same support.
import type { SignalKind } from '../../../shared/model';
import { copiedFromParent, type KeyEntry, type Obs, type ObservationIndex } from './observations';
import { sessionCount } from './observations-file';
import { sameToolChoice } from './instructions';
import { commandStep } from './signals';
import { clusterHere, type Clusterer } from './cluster-helper';
import { clusterTexts, instructionSimilarity, signedTokens, type Vector } from './similarity';

export type Family = 'error' | 'user' | 'workflow';
export const familyOf = (k: SignalKind): Family => (k === 'tool_error' ? 'error' : k === 'workflow' ? 'workflow' : 'user');

/** One recurring thing: the keys clustered together and every session that showed one of them. */
export interface Pattern {
  /** Stable name: the key seen in most sessions (ties: the smallest key). */
  key: string;
  keys: string[];
  family: Family;
  kind: SignalKind;
  /** session id → the observation (the first key's, in key order) */
  sessions: Map<string, Obs>;
  agents: Set<string>;
  occurrences: number;
  /** every (key, session, observation) triple, for wording by majority */
  obs: { key: string; session: string; o: Obs }[];
}

/** How alike two texts must be to count as one pattern. Errors must be near-identical. */
const THRESHOLD: Record<Family, number> = { error: 0.85, user: 0.6, workflow: 1 };

export const MIN_WORKFLOW_STEPS = 4;
const contentOf = (key: string) => key.slice(key.indexOf('|') + 1);
/** The text of a key's first session (by id): deterministic whatever order sessions came in. */
export const representative = (e: KeyEntry) => e.per[Object.keys(e.per).sort()[0]].x;

function patternOf(keys: string[], entries: Map<string, KeyEntry>, index?: ObservationIndex): Pattern {
  const sorted = [...keys].sort();
  const sessions = new Map<string, Obs>();
  const agents = new Set<string>();
  const obs: Pattern['obs'] = [];
  const counted = new Map<string, number>();
  let occurrences = 0;
  for (const k of sorted) {
    const entry = entries.get(k)!;
    for (const [sid, o] of Object.entries(entry.per).sort(([a], [b]) => a.localeCompare(b))) {
      if (index && copiedFromParent(index, entry, sid)) continue;
      if (!sessions.has(sid)) sessions.set(sid, o);
      agents.add(o.a);
      occurrences += o.n;
      obs.push({ key: k, session: sid, o });
      counted.set(k, (counted.get(k) ?? 0) + 1);
    }
  }
  /** Sessions a key was seen in, copies left out. */
  const size = (k: string) => counted.get(k) ?? 0;
  const key = sorted.reduce((best, k) => (size(k) > size(best) ? k : best), sorted[0]);
  const kind = entries.get(key)!.kind;
  return { key, keys: sorted, family: familyOf(kind), kind, sessions, agents, occurrences, obs };
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
  const clustered: { list: string[]; roots: number[] }[] = [];
  // Errors compare their signatures with plain cosine (cluster-helper.ts errorKeyDoc), all groups at
  // once (on two threads in a dream).
  const errors = Object.entries(groups).filter(([g]) => g.startsWith('error'));
  const jobs = errors.map(([, list]) => ({ keys: list, threshold: THRESHOLD.error, rareTokens: 3 }));
  clusterErrors(jobs).forEach((roots, i) => clustered.push({ list: errors[i]![1], roots }));
  for (const [g, list] of Object.entries(groups)) {
    if (g === 'workflow') {
      out.push(...workflowPatterns(list, index, minSupport));
      continue;
    }
    if (g !== 'user') continue;
    // User wishes compare what was said, with its polarity. User keys are canonical signed tokens
    // already (instructions.ts); older stores' keys are re-read. Instructions are short: block on
    // more of their words, so "never commit, push or open PRs" meets "don't commit".
    clustered.push({ list, roots: clusterTexts(list.map((k) => userDoc(k, index.keys.get(k)!)), THRESHOLD.user, userSimilarity, 6) });
  }
  for (const { list, roots } of clustered) {
    const byRoot = new Map<number, string[]>();
    roots.forEach((r, i) => (byRoot.get(r) ?? byRoot.set(r, []).get(r)!).push(list[i]));
    for (const members of byRoot.values()) {
      // Most keys recur nowhere: a group that cannot reach the support is never looked into (a key
      // read from the file then stays unparsed).
      if (members.reduce((n, k) => n + sessionCount(index.keys.get(k)!), 0) < minSupport) continue;
      const p = patternOf(members, index.keys, index);
      if (p.sessions.size >= minSupport) out.push(p);
    }
  }
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
  const recovery = (e: Pattern) => recoveries.get(e) ?? recoveries.set(e, new Set(e.obs.flatMap(({ o }) => [o.c, o.f]).filter((x): x is string => !!x)
    .map((x) => commandStep(x.replace(/^\S+\s/, ''))).filter((s): s is string => !!s).map((s) => `run ${s}`))).get(e)!;
  return patterns.filter((p) => p.family !== 'workflow' || !errors.some((e) => {
    let shared = 0;
    for (const s of p.sessions.keys()) if (e.sessions.has(s)) shared++;
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
function workflowPatterns(keys: string[], index: ObservationIndex, minSupport: number): Pattern[] {
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
  return chosen.map((k) => patternOf([k], entries, index));
}
