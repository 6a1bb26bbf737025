// The observation index: for every signal key, which sessions showed it (one compact record per
// key and session). It is what makes dreams incremental: a dream folds in only the signals of
// sessions not dreamt over yet, and mines patterns from the index. Folding a session first removes
// what that session contributed before, so re-folding is idempotent and the index depends only on
// the set of sessions folded — an incremental dream and a full one see the same index.
import { z } from 'zod';
import { SignalKind, type Signal } from '../../../shared/model';
import { clip } from '../importers/text';

/** One key seen in one session. Short field names: the index holds one of these per signal. */
export const Obs = z.object({
  /** agent id */ a: z.string(),
  /** occurrences in the session */ n: z.number().int().positive(),
  /** first and last timestamp */ t0: z.string().nullable(), t1: z.string().nullable(),
  /** the signal's text (error gist, user sentence, step chain) */ x: z.string(),
  /** the failed call, for tool errors */ c: z.string().optional(),
  /** the fix, for tool errors */ f: z.string().optional(),
  /** the event to open as evidence */ e: z.string(),
  /** the excerpt shown as evidence, when it differs from the text */ ex: z.string().optional(),
  tool: z.string().optional(),
});
export type Obs = z.infer<typeof Obs>;
/** The excerpt to show as evidence for an observation. */
export const excerptOf = (o: Obs) => o.ex ?? o.x;

export const KeyEntry = z.object({ kind: SignalKind, per: z.record(z.string(), Obs) });
export type KeyEntry = z.infer<typeof KeyEntry>;

/** What the index keeps of one session: its agent, start time, the keys it contributed, what it was forked from. */
export const SessionEntry = z.object({ a: z.string(), t: z.string().nullable(), keys: z.array(z.string()), /** forked from */ f: z.string().optional() });
export type SessionEntry = z.infer<typeof SessionEntry>;

/**
 * Maps, not records: at 100,000 sessions an object of 100,000 keys costs about 0.1 s each time it is
 * enumerated (and a dream enumerates each part several times); a Map keeps its order for nothing.
 */
export interface ObservationIndex {
  version: 1;
  /** session id → its agent, start time and the keys it contributed */
  sessions: Map<string, SessionEntry>;
  keys: Map<string, KeyEntry>;
  /** Short step sequences (1–3 steps): only how many sessions show them, to judge longer routines. */
  grams: Map<string, number>;
}

export const INDEX_FILE = 'patterns.json';
export const emptyIndex = (): ObservationIndex => ({ version: 1, sessions: new Map(), keys: new Map(), grams: new Map() });

/**
 * Workflow n-gram lengths. Lessons need 4+ steps (kept as observations); the shorter grams are
 * only counted, so mining can tell a real routine from two unrelated habits that happened to
 * follow each other (see mine.ts).
 */
const NGRAMS = [1, 2, 3, 4, 5];
export const COUNTED_ONLY = 3;

/** Contiguous step n-grams of one session with all steps distinct (a loop is not a workflow). */
export function stepGrams(steps: string[]): string[][] {
  const out = new Map<string, string[]>();
  for (const n of NGRAMS)
    for (let i = 0; i + n <= steps.length; i++) {
      const g = steps.slice(i, i + n);
      if (new Set(g).size === n) out.set(g.join(' → '), g);
    }
  return [...out.values()];
}

/** The keys one signal contributes: itself, or for a workflow its step n-grams. */
function entriesOf(s: Signal): { key: string; text: string; eventId: string; counted?: boolean }[] {
  if (s.kind !== 'workflow') {
    const eventId = s.kind === 'tool_error' ? (s.eventIds.length > 1 ? s.eventIds[1] : s.eventIds[0]) : s.eventIds[s.eventIds.length - 1];
    return [{ key: s.key, text: s.text, eventId }];
  }
  const steps = s.steps ?? [];
  return stepGrams(steps).map((g) => {
    const at = steps.findIndex((_, i) => g.every((x, k) => steps[i + k] === x));
    // The steps are the key; the text keeps what they touched here (`schema.prisma` for `edit *.prisma`),
    // so the lesson can name a file every session edited.
    const counted = g.length <= COUNTED_ONLY;
    const text = counted || !s.targets ? '' : s.targets.slice(at, at + g.length).join(' → ');
    return { key: `workflow|${g.join(' → ')}`, text, eventId: s.eventIds[Math.max(0, at)] ?? s.eventIds[0], counted };
  });
}

/**
 * A key's observations kept apart from the index file's (observations-file.ts): a key read from the
 * file is changed — a session added or dropped — without reading what every other session showed,
 * and walked without holding it all. A key built in memory is a plain `{ kind, per }`.
 */
export interface ObservationList {
  observations(): Iterable<[string, Obs]>;
  /** The observation put for a session since the key was read (fold updates it in place). */
  putSince(sessionId: string): Obs | undefined;
  put(sessionId: string, o: Obs): void;
  drop(sessionId: string): void;
  readonly sessionCount: number;
}
const isList = (e: KeyEntry): e is KeyEntry & ObservationList => typeof (e as Partial<ObservationList>).observations === 'function';

/** Every (session, observation) of a key, in no particular order; a key read from the file is walked, not held. */
export const observationsOf = (e: KeyEntry): Iterable<[string, Obs]> => (isList(e) ? e.observations() : Object.entries(e.per));
/** How many sessions showed a key: for a key read from the file, without parsing what they showed. */
export const sessionCount = (e: KeyEntry): number => (isList(e) ? e.sessionCount : Object.keys(e.per).length);

/** Removes what a session contributed before (it is being re-folded or was deleted). */
export function unfold(index: ObservationIndex, sessionId: string): void {
  const prev = index.sessions.get(sessionId);
  if (!prev) return;
  for (const k of prev.keys) {
    const n = index.grams.get(k);
    if (n) {
      if (n <= 1) index.grams.delete(k);
      else index.grams.set(k, n - 1);
      continue;
    }
    const entry = index.keys.get(k);
    if (!entry) continue;
    if (isList(entry)) entry.drop(sessionId);
    else delete entry.per[sessionId];
    if (!sessionCount(entry)) index.keys.delete(k);
  }
  index.sessions.delete(sessionId);
}

const earlier = (a: string | null, b: string | null) => (!a ? b : !b ? a : a < b ? a : b);
const later = (a: string | null, b: string | null) => (!a ? b : !b ? a : a > b ? a : b);

/** Folds one session's signals into the index, replacing whatever it contributed before. */
export function fold(index: ObservationIndex, sessionId: string, agentId: string, startedAt: string | null, signals: Signal[], forkedFrom?: string): void {
  unfold(index, sessionId);
  const keys = new Set<string>();
  for (const s of signals) {
    for (const { key, text, eventId, counted } of entriesOf(s)) {
      if (counted) {
        if (!keys.has(key)) index.grams.set(key, (index.grams.get(key) ?? 0) + 1);
        keys.add(key);
        continue;
      }
      const entry = index.keys.get(key) ?? index.keys.set(key, { kind: s.kind, per: {} }).get(key)!;
      // Unfolded above, the session is in this key only if one of its own signals put it there.
      const cur = !keys.has(key) ? undefined : isList(entry) ? entry.putSince(sessionId) : entry.per[sessionId];
      if (cur) {
        cur.n++;
        cur.t0 = earlier(cur.t0, s.timestamp);
        cur.t1 = later(cur.t1, s.timestamp);
        continue;
      }
      const call = s.kind === 'tool_error' && s.excerpt.includes('\n→ ') ? s.excerpt.split('\n→ ')[0].split('\n')[0] : undefined;
      const o: Obs = {
        a: agentId, n: 1, t0: s.timestamp, t1: s.timestamp, x: clip(text, s.kind === 'workflow' ? 500 : 300), e: eventId,
        ...(s.kind !== 'workflow' && s.excerpt !== text ? { ex: clip(s.excerpt, 400) } : {}),
        ...(call ? { c: clip(call, 200) } : {}), ...(s.fix ? { f: clip(s.fix, 200) } : {}), ...(s.tool ? { tool: s.tool } : {}),
      };
      if (isList(entry)) entry.put(sessionId, o);
      else entry.per[sessionId] = o;
      keys.add(key);
    }
  }
  index.sessions.set(sessionId, { a: agentId, t: startedAt, keys: [...keys].sort(), ...(forkedFrom ? { f: forkedFrom } : {}) });
}

/**
 * Whether a session's observation of a key is a copy: a fork shows what its parent (or the
 * parent's parent) showed before the fork, with the same text. Copies count once, in the original.
 * `textOf` gives what another session showed of the same key (mine.ts walks a key without holding it).
 */
export function copiedFromParent(index: ObservationIndex, sessionId: string, text: string, textOf: (sessionId: string) => string | undefined): boolean {
  const seen = new Set([sessionId]);
  for (let parent = index.sessions.get(sessionId)?.f; parent && !seen.has(parent); parent = index.sessions.get(parent)?.f) {
    seen.add(parent);
    if (textOf(parent) === text) return true;
  }
  return false;
}

/** An index built from scratch from signals (tests and the engine's pure entry point). */
export function indexOfSignals(signals: Signal[], forks: Record<string, string> = {}): ObservationIndex {
  const index = emptyIndex();
  const bySession = new Map<string, Signal[]>();
  for (const s of signals) (bySession.get(s.sessionId) ?? bySession.set(s.sessionId, []).get(s.sessionId)!).push(s);
  for (const [id, list] of bySession) {
    const stamps = list.map((s) => s.timestamp).filter((t): t is string => !!t).sort();
    fold(index, id, list[0].agentId, stamps[0] ?? null, list, forks[id]);
  }
  return index;
}
