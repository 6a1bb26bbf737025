// In-memory dream inputs for the Claude engine's unit tests: signals as the importer would have
// extracted them, so the heuristic engine and the refiner run exactly as in a dream.
import { Settings, type Lesson, type Signal, type Tombstone } from '../../../shared/model';
import { heuristicDream } from '../../../electron/core/dreaming/heuristic';
import type { DreamInput, DreamOutput } from '../../../electron/core/dreaming/types';

const at = (day: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + day * 86_400_000).toISOString();

export function signal(kind: Signal['kind'], key: string, text: string, session: number, agent = 'claude-code:/src/shop'): Signal {
  return {
    id: `s${session}:${kind}:${key}`, sessionId: `session-${session}`, agentId: agent, kind, key, text,
    eventIds: [`session-${session}:e1`, `session-${session}:e2`], excerpt: text, timestamp: at(session),
    ...(kind === 'tool_error' ? { tool: 'Bash', fix: 'git status' } : {}),
  };
}

/** A mistake in 3 sessions (a heuristic lesson) and one wish in 4 wordings the heuristic cannot join (for Claude to find). */
export function corpusSignals(): Signal[] {
  return [
    ...[1, 2, 3].map((s) => signal('tool_error', 'bash|nothing to commit, working tree clean', 'On branch master — nothing to commit, working tree clean (exit code 1)', s)),
    signal('correction', 'correction|this repository pnpm workspace leave package lock alone', 'no, this repository is a pnpm workspace — leave package-lock alone', 4),
    signal('correction', 'correction|wrong tool again lockfile here belongs pnpm', 'wrong tool again: the lockfile here belongs to pnpm', 5),
    signal('correction', 'correction|installs go through pnpm readme says', "don't do that; installs go through pnpm, as the readme says", 6, 'codex:/src/api'),
    signal('correction', 'correction|that created node modules classic way want pnpm', 'stop — that created node_modules the classic way, we want pnpm', 7),
    signal('preference', 'preference|always answer in english', 'always answer in English', 8),
  ];
}

export function makeInput(over: { lessons?: Lesson[]; tombstones?: Tombstone[]; settings?: Partial<Settings>; signals?: Signal[] } = {}): DreamInput {
  const signals = over.signals ?? corpusSignals();
  return {
    storeDir: '/nonexistent',
    full: false,
    sessionIds: [...new Set(signals.map((s) => s.sessionId))],
    lessons: over.lessons ?? [],
    tombstones: over.tombstones ?? [],
    settings: Settings.parse(over.settings ?? {}),
    now: '2026-11-25T10:00:00.000Z',
    agentNames: { 'claude-code:/src/shop': 'claude-code:shop', 'codex:/src/api': 'codex:api' },
  };
}

export function heuristic(input: DreamInput, signals = corpusSignals()): DreamOutput {
  return heuristicDream(input, signals);
}

export function lesson(id: string, over: Partial<Lesson> = {}): Lesson {
  return {
    id, kind: 'mistake', title: `Lesson ${id}`, text: `Do the thing ${id} properly.`, agents: ['claude-code:/src/shop'],
    support: { sessions: 3, agents: 1, occurrences: 3, firstSeen: at(1), lastSeen: at(3) }, confidence: 0.6,
    evidence: [{ sessionId: 'session-1', eventId: 'session-1:e2', agent: 'claude-code:shop', excerpt: `evidence for ${id}`, timestamp: at(1) }],
    origin: 'learned', status: 'active', pinned: false, patternKey: `key-${id}`, userEdited: false,
    createdAt: at(0), updatedAt: at(0), activatedAt: at(0), ...over,
  };
}
