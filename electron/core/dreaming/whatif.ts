// What-if: in how many past sessions would a lesson have applied? Its own pattern keys count
// directly; for wording without keys (a candidate, a seeded or typed lesson) every signal key
// whose text reads alike counts too.
import type { Evidence, Lesson } from '../../../shared/model';
import { coveredKeys } from './claude/keys';
import { excerptOf, observationsOf, type ObservationIndex } from './observations';
import { minePatterns, representative } from './mine';
import { idfOf, instructionSimilarity, signedTokens, vectorOf } from './similarity';

const ALIKE = 0.5;

export interface WhatIfResult { sessions: number; agents: number; of: number; examples: Evidence[] }

export function whatIf(index: ObservationIndex, target: { lesson?: Lesson; text?: string }, agentNames: Record<string, string>): WhatIfResult {
  const matched = new Set<string>(target.lesson ? [...coveredKeys(target.lesson.patternKey), ...(target.lesson.signalKeys ?? [])].filter((k) => index.keys.has(k)) : []);
  const text = target.text ?? (target.lesson ? `${target.lesson.title} ${target.lesson.text}` : '');
  if (text) {
    const keys = [...index.keys].filter(([, e]) => e.kind !== 'workflow');
    const docs = keys.map(([k, e]) => signedTokens(e.kind === 'tool_error' ? k.slice(k.indexOf('|') + 1) : representative(e)));
    const query = signedTokens(text);
    const idf = idfOf([...docs, query]);
    const qv = vectorOf(query, idf);
    keys.forEach(([k], i) => { if (instructionSimilarity(qv, vectorOf(docs[i], idf)) >= ALIKE) matched.add(k); });
  }
  // Other wordings of a matched wish count too: whatever the dream would cluster with it.
  for (const p of minePatterns(index, 1)) if (p.keys.some((k) => matched.has(k))) p.keys.forEach((k) => matched.add(k));
  const sessions = new Map<string, Evidence>();
  const agents = new Set<string>();
  for (const k of [...matched].sort())
    for (const [sid, o] of observationsOf(index.keys.get(k)!)) {
      agents.add(o.a);
      if (!sessions.has(sid)) sessions.set(sid, { sessionId: sid, eventId: o.e, agent: agentNames[o.a] ?? o.a, excerpt: excerptOf(o) || k.slice(k.indexOf('|') + 1), timestamp: o.t1 });
    }
  const examples = [...sessions.values()].sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? '') || a.sessionId.localeCompare(b.sessionId)).slice(0, 5);
  return { sessions: sessions.size, agents: agents.size, of: index.sessions.size, examples };
}
