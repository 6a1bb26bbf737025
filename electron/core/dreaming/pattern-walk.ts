// What walking a group of keys gathers into a pattern (mine.ts), kept as state so that it can go on:
// a pattern kept from the last dream (pattern-memo.ts) is extended by the observations of the sessions
// added since, instead of walking every session again. Extending is exact when what was added are
// new sessions (none folded again or dropped, no fork among them): every field below is a count, a
// union, a minimum or maximum, or a "lowest k" over sessions, so the sessions walked before and the
// ones added give what one walk of all of them gives (mine.ts says when a kept pattern may be extended).
import type { Obs } from './observations';
import { isObs } from './observations-file';

/** Sessions whose observations a pattern keeps for its wording: majorities over more say nothing new. */
export const WORDING_SAMPLE = 400;
/** Evidence kept per pattern (a lesson shows fewer). */
export const NEWEST_KEPT = 8;
/** Distinct failed calls and fixes kept per pattern. */
export const MAX_CALLS = 1000;

/** A session id's place in the wording sample: a fixed hash, so the sample is the same whatever order sessions come in. */
export function rank(sid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sid.length; i++) h = Math.imul(h ^ sid.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
type Sampled = { sid: string; rank: number; at: number; o: Obs };
const byRank = (a: { sid: string; rank: number }, b: { sid: string; rank: number }) => a.rank - b.rank || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0);
const newer = (a: { session: string; o: Obs }, b: { session: string; o: Obs }) => (b.o.t1 ?? '').localeCompare(a.o.t1 ?? '') || a.session.localeCompare(b.session);

/** The state as kept between dreams (JSON). */
export interface WalkStateJson {
  sessions: string[];
  agents: string[];
  agentSessions: [string, number][];
  calls: string[];
  counted: [string, number][];
  occurrences: number;
  firstSeen: string | null;
  lastSeen: string | null;
  hasFix: boolean;
  newest: { session: string; o: Obs }[];
  sample: Sampled[];
}

export class WalkState {
  readonly sessions = new Set<string>();
  readonly agents = new Set<string>();
  readonly agentSessions = new Map<string, number>();
  readonly calls = new Set<string>();
  /** Sessions each key was seen in, copies left out. */
  readonly counted = new Map<string, number>();
  occurrences = 0;
  firstSeen: string | null = null;
  lastSeen: string | null = null;
  hasFix = false;
  newest: { session: string; o: Obs }[] = [];
  // The wording sample: the sessions of lowest rank, each with its chosen observation and the key it was first seen under.
  readonly sample = new Map<string, Sampled>();
  private cutoff = Infinity;

  /** One observation of the key at position `at` (in the group's sorted keys), in walking order. */
  add(at: number, sid: string, o: Obs): void {
    this.agents.add(o.a);
    this.occurrences += o.n;
    if (o.f) this.hasFix = true;
    if (this.calls.size < MAX_CALLS) for (const c of [o.c, o.f]) if (c) this.calls.add(c);
    if (!this.sessions.has(sid)) {
      // A session's first observation (in key order) stands for it: its times, its agent, its evidence.
      this.sessions.add(sid);
      this.agentSessions.set(o.a, (this.agentSessions.get(o.a) ?? 0) + 1);
      for (const t of [o.t0, o.t1]) {
        if (t && (!this.firstSeen || t < this.firstSeen)) this.firstSeen = t;
        if (t && (!this.lastSeen || t > this.lastSeen)) this.lastSeen = t;
      }
      this.newest.push({ session: sid, o });
      if (this.newest.length >= 4 * NEWEST_KEPT) this.newest = this.newest.sort(newer).slice(0, NEWEST_KEPT);
    }
    const r = rank(sid);
    if (r > this.cutoff) return;
    const cur = this.sample.get(sid);
    if (!cur) this.sample.set(sid, { sid, rank: r, at, o });
    else if (!cur.o.f && o.f) cur.o = o;
    if (this.sample.size >= 2 * WORDING_SAMPLE) this.trim();
  }

  /** Keeps the WORDING_SAMPLE sessions of lowest rank; a session ranked above the last of them never gets in again. */
  private trim(): void {
    const kept = [...this.sample.values()].sort(byRank).slice(0, WORDING_SAMPLE);
    this.cutoff = kept.length >= WORDING_SAMPLE ? kept[kept.length - 1]!.rank : Infinity;
    this.sample.clear();
    for (const c of kept) this.sample.set(c.sid, c);
  }

  /** The sessions of the sample, by rank (the chosen ones), and their observations in key then session order. */
  chosen(): Sampled[] {
    return [...this.sample.values()].sort(byRank).slice(0, WORDING_SAMPLE).sort((a, b) => a.at - b.at || a.sid.localeCompare(b.sid));
  }

  newestKept(): { session: string; o: Obs }[] {
    return [...this.newest].sort(newer).slice(0, NEWEST_KEPT);
  }

  toJSON(): WalkStateJson {
    return {
      sessions: [...this.sessions], agents: [...this.agents], agentSessions: [...this.agentSessions], calls: [...this.calls], counted: [...this.counted],
      occurrences: this.occurrences, firstSeen: this.firstSeen, lastSeen: this.lastSeen, hasFix: this.hasFix, newest: this.newestKept(), sample: this.chosen(),
    };
  }

  /** `at`: where a key position of the kept walk is now (keys added to the group since come in between). */
  static fromJSON(j: WalkStateJson, at: (kept: number) => number = (x) => x): WalkState {
    const s = new WalkState();
    for (const x of j.sessions) s.sessions.add(x);
    for (const x of j.agents) s.agents.add(x);
    for (const [a, n] of j.agentSessions) s.agentSessions.set(a, n);
    for (const x of j.calls) s.calls.add(x);
    for (const [k, n] of j.counted) s.counted.set(k, n);
    s.occurrences = j.occurrences;
    s.firstSeen = j.firstSeen;
    s.lastSeen = j.lastSeen;
    s.hasFix = j.hasFix;
    s.newest = [...j.newest];
    for (const c of j.sample) s.sample.set(c.sid, { ...c, at: at(c.at) });
    s.trim();
    return s;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const stamp = (v: unknown) => v === null || isStr(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const counts = (v: unknown) => Array.isArray(v) && v.every((x) => Array.isArray(x) && isStr(x[0]) && Number.isInteger(x[1]));

/** Whether kept JSON is a state this code wrote (else the group is walked again). */
export function isWalkStateJson(j: unknown): j is WalkStateJson {
  const s = j as Partial<WalkStateJson> | null;
  return !!s && strings(s.sessions) && strings(s.agents) && strings(s.calls) && counts(s.agentSessions) && counts(s.counted) && Number.isInteger(s.occurrences) && stamp(s.firstSeen) && stamp(s.lastSeen) && typeof s.hasFix === 'boolean'
    && Array.isArray(s.newest) && s.newest.every((x) => isStr(x?.session) && isObs(x?.o))
    && Array.isArray(s.sample) && s.sample.every((x) => isStr(x?.sid) && Number.isInteger(x?.rank) && Number.isInteger(x?.at) && isObs(x?.o));
}
