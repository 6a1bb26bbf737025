// Support for a pattern Claude proposed, counted by Reverie across the whole store, never taken from
// the answer: the signal keys of the events Claude cited (as the heuristic engine keys them, through
// the observation index's own folding) name every session that showed the same thing, and the
// sessions Claude cited across batches and dreams add those whose signals did not catch it.
import type { Evidence, Signal, Support } from '../../../../shared/model';
import type { SessionDoc } from '../../store/schema';
import { excerptOf, indexOfSignals, observationsOf, type ObservationIndex } from '../observations';
import { eventExcerpt } from './digest';
import type { Candidate } from './ledger';

const MAX_EVIDENCE = 6;

/** Which signal kinds can carry a pattern of each kind. */
const FAMILY: Record<Candidate['kind'], Signal['kind'][]> = {
  mistake: ['tool_error'],
  preference: ['correction', 'preference', 'rejection', 'interrupt'],
  workflow: ['workflow'],
};

/** A synthetic key per cited event: a tombstone over the lesson covers exactly what it was built from. */
export const citeKey = (c: { sessionId: string; eventId: string }) => `claude-cite|${c.sessionId}|${c.eventId}`;

export interface Recounted {
  candidate: Candidate;
  /** Signal keys of the cited events (what the heuristics would call this pattern). */
  keys: string[];
  /** keys + one per cited event: what a lesson made from it owns. */
  ownedKeys: string[];
  /** For each of `keys`, the sessions the index files under it: how much of the pattern a lesson owning that key covers. */
  sessionsOfKey: Record<string, string[]>;
  sessions: Set<string>;
  /** Agent ids behind those sessions, for a lesson's scope. */
  agents: string[];
  support: Support;
  evidence: Evidence[];
}

export interface RecountContext {
  index: ObservationIndex;
  read: (sessionId: string) => SessionDoc | null;
  agentNames: Record<string, string>;
}

/** The keys the heuristics file this signal under (workflows: their stored step n-grams). */
function keysOfSignal(s: Signal): string[] {
  return [...indexOfSignals([s]).keys.keys()];
}

export function recount(candidate: Candidate, ctx: RecountContext): Recounted {
  const kinds = new Set(FAMILY[candidate.kind]);
  const keys = new Set<string>();
  interface Seen { agent: string; t0: string | null; t1: string | null; n: number; eventId: string; excerpt: string; cited: boolean }
  const per = new Map<string, Seen>();
  for (const c of candidate.cites) {
    const doc = ctx.read(c.sessionId);
    const event = doc?.events.find((e) => e.id === c.eventId);
    // A session deleted since, or an event gone after a re-import: that citation no longer counts.
    if (!doc || !event) continue;
    for (const s of doc.signals) if (kinds.has(s.kind) && s.eventIds.includes(c.eventId)) keysOfSignal(s).forEach((k) => keys.add(k));
    const prev = per.get(c.sessionId);
    if (prev) { prev.n++; continue; }
    per.set(c.sessionId, { agent: doc.session.agentId, t0: event.timestamp ?? doc.session.startedAt, t1: event.timestamp ?? doc.session.startedAt, n: 1, eventId: event.id, excerpt: eventExcerpt(event), cited: true });
  }
  const sessionsOfKey: Record<string, string[]> = {};
  for (const k of keys) {
    const entry = ctx.index.keys.get(k);
    const sids: string[] = (sessionsOfKey[k] = []);
    for (const [sid, o] of entry ? observationsOf(entry) : []) {
      sids.push(sid);
      const prev = per.get(sid);
      if (prev) { if (!prev.cited) prev.n += o.n; continue; }
      per.set(sid, { agent: o.a, t0: o.t0, t1: o.t1, n: o.n, eventId: o.e, excerpt: excerptOf(o), cited: false });
    }
  }
  const stamps = [...per.values()].flatMap((s) => [s.t0, s.t1]).filter((t): t is string => !!t).sort();
  const support: Support = {
    sessions: per.size,
    agents: new Set([...per.values()].map((s) => s.agent)).size,
    occurrences: [...per.values()].reduce((n, s) => n + s.n, 0),
    firstSeen: stamps[0] ?? null,
    lastSeen: stamps[stamps.length - 1] ?? null,
  };
  // One excerpt per session, cited events first, newest first: always Reverie's copy of a real event.
  const evidence = [...per.entries()]
    .sort(([sa, a], [sb, b]) => Number(b.cited) - Number(a.cited) || (b.t1 ?? '').localeCompare(a.t1 ?? '') || sa.localeCompare(sb))
    .slice(0, MAX_EVIDENCE)
    .map(([sessionId, s]) => ({ sessionId, eventId: s.eventId, agent: ctx.agentNames[s.agent] ?? s.agent, excerpt: s.excerpt, timestamp: s.t1 }));
  const sortedKeys = [...keys].sort();
  return {
    candidate, keys: sortedKeys, ownedKeys: [...sortedKeys, ...candidate.cites.map(citeKey)], sessionsOfKey,
    sessions: new Set(per.keys()), agents: [...new Set([...per.values()].map((s) => s.agent))].sort(), support, evidence,
  };
}
