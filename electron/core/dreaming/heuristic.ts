// The heuristic engine (offline, deterministic): groups signals into patterns by signature, keeps
// those with enough support, and curates them against the current lessons into a changeset.
import { createHash } from 'node:crypto';
import type { Change, Evidence, Lesson, LessonKind, Signal, Support } from '../../../shared/model';
import { clip } from '../importers/text';
import type { DreamInput, DreamOutput } from './types';

export interface Pattern {
  key: string;
  kind: Signal['kind'];
  signals: Signal[];
  sessions: Set<string>;
  agents: Set<string>;
}

const MAX_EVIDENCE = 6;

export function minePatterns(signals: Signal[]): Pattern[] {
  const byKey = new Map<string, Pattern>();
  for (const s of signals) {
    let p = byKey.get(s.key);
    if (!p) byKey.set(s.key, (p = { key: s.key, kind: s.kind, signals: [], sessions: new Set(), agents: new Set() }));
    p.signals.push(s);
    p.sessions.add(s.sessionId);
    p.agents.add(s.agentId);
  }
  return [...byKey.values()];
}

const lessonKind = (k: Signal['kind']): LessonKind => (k === 'tool_error' ? 'mistake' : k === 'workflow' ? 'workflow' : 'preference');

export const lessonIdFor = (patternKey: string) => `l-${createHash('sha1').update(patternKey).digest('hex').slice(0, 12)}`;

function supportOf(p: Pattern): Support {
  const stamps = p.signals.map((s) => s.timestamp).filter((t): t is string => !!t).sort();
  return { sessions: p.sessions.size, agents: p.agents.size, occurrences: p.signals.length, firstSeen: stamps[0] ?? null, lastSeen: stamps[stamps.length - 1] ?? null };
}

function evidenceOf(p: Pattern, agentNames: Record<string, string>): Evidence[] {
  // One piece of evidence per session first, newest first, so the drawer shows breadth.
  const seen = new Set<string>();
  const ordered = [...p.signals].sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''));
  const out: Evidence[] = [];
  for (const s of ordered) {
    if (seen.has(s.sessionId) || out.length >= MAX_EVIDENCE) continue;
    seen.add(s.sessionId);
    const eventId = s.kind === 'tool_error' ? (s.eventIds[1] ?? s.eventIds[0]) : s.eventIds[s.eventIds.length - 1];
    out.push({ sessionId: s.sessionId, eventId, agent: agentNames[s.agentId] ?? s.agentId, excerpt: s.excerpt, timestamp: s.timestamp });
  }
  return out;
}

/** Most frequent value, ties broken by first occurrence: deterministic. */
function mode(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (!best || n > counts.get(best)!) best = v;
  return best;
}

function wordingOf(p: Pattern): { title: string; text: string } {
  const sample = mode(p.signals.map((s) => s.text)) ?? p.key;
  const firstLine = clip(sample.split('\n')[0].trim(), 140);
  if (p.kind === 'tool_error') {
    const tool = p.signals[0].tool ?? 'a tool';
    const fix = mode(p.signals.map((s) => s.fix));
    return {
      title: `${tool} fails: ${clip(firstLine, 80)}`,
      text: fix ? `When ${tool} fails with "${firstLine}", do what worked before: ${clip(fix, 160)}.` : `${tool} keeps failing with "${firstLine}"; check the cause before retrying the same call.`,
    };
  }
  return { title: clip(firstLine, 80), text: firstLine };
}

export function confidenceOf(support: Support, minSessions: number): number {
  // Saturates with support: minSessions sessions ≈ 0.6, twice that ≈ 0.85.
  const x = support.sessions / Math.max(1, minSessions);
  return Math.round(Math.min(0.99, 1 - Math.exp(-0.95 * x)) * 100) / 100;
}

export function heuristicDream(input: DreamInput, signals: Signal[]): DreamOutput {
  const { settings, now } = input;
  const patterns = minePatterns(signals);
  const tombstoned = new Set(input.tombstones.map((t) => t.patternKey));
  const byKey = new Map(input.lessons.map((l) => [l.patternKey, l]));
  const changes: Change[] = [];
  let qualified = 0;
  for (const p of patterns.sort((a, b) => b.sessions.size - a.sessions.size || a.key.localeCompare(b.key))) {
    if (p.sessions.size < settings.minSessions) continue;
    qualified++;
    if (tombstoned.has(p.key)) continue;
    const support = supportOf(p);
    const evidence = evidenceOf(p, input.agentNames);
    const agents = p.agents.size >= settings.minAgentsForTeam ? ['all'] : [...p.agents].sort();
    const existing = byKey.get(p.key);
    if (!existing) {
      const id = lessonIdFor(p.key);
      const { title, text } = wordingOf(p);
      const lesson: Lesson = {
        id, kind: lessonKind(p.kind), title, text, agents, support, confidence: confidenceOf(support, settings.minSessions), evidence,
        origin: 'learned', status: 'active', pinned: false, patternKey: p.key, userEdited: false, createdAt: now, updatedAt: now, activatedAt: now,
      };
      changes.push({ id: `c${changes.length + 1}`, op: 'add', lessonId: id, before: null, after: lesson, related: [], reason: `Seen in ${support.sessions} sessions (${support.occurrences} times) across ${support.agents} agent(s).`, decision: 'applied' });
    } else if (existing.status !== 'retired' && (support.occurrences !== existing.support.occurrences || support.sessions !== existing.support.sessions)) {
      const after: Lesson = { ...existing, support, evidence, agents: existing.pinned ? existing.agents : agents, confidence: confidenceOf(support, settings.minSessions), updatedAt: now };
      changes.push({ id: `c${changes.length + 1}`, op: 'reinforce', lessonId: existing.id, before: existing, after, related: [], reason: `Support grew from ${existing.support.sessions} to ${support.sessions} sessions.`, decision: 'applied' });
    }
  }
  const sessionsRead = new Set(signals.map((s) => s.sessionId)).size;
  const message = changes.length
    ? undefined
    : qualified
      ? 'Nothing new: every recurring pattern is already a lesson (or was deleted by you).'
      : `Nothing worth learning yet: no pattern recurs in ${settings.minSessions} or more of the ${input.sessionIds.length} sessions read. Reverie learns from repetition; import more sessions of the same kind of work.`;
  return { changes, stats: { sessionsRead: Math.max(sessionsRead, input.sessionIds.length), signalsRead: signals.length, patterns: patterns.length }, message };
}
