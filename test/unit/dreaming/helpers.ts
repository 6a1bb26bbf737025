// In-memory signals and dream inputs for the curation tests.
import { Settings, type Lesson, type Signal, type Tombstone } from '../../../shared/model';
import type { DreamInput } from '../../../electron/core/dreaming/types';

export const day = (d: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + d * 86_400_000).toISOString();

export function sig(kind: Signal['kind'], key: string, text: string, session: number, over: Partial<Signal> = {}): Signal {
  return {
    id: `s${session}:${kind}:${key}`, sessionId: `session-${session}`, agentId: over.agentId ?? 'claude-code:/src/shop', kind, key, text,
    eventIds: [`session-${session}:e1`, `session-${session}:e2`], excerpt: text, timestamp: day(session),
    ...(kind === 'tool_error' ? { tool: 'Bash' } : {}), ...over,
  };
}

export const pref = (text: string, session: number, over: Partial<Signal> = {}) => sig('correction', `correction|${text.toLowerCase().replace(/[^a-z ]/g, '')}`, text, session, over);

export function input(over: { lessons?: Lesson[]; tombstones?: Tombstone[]; settings?: Partial<Settings>; sessions?: number } = {}): DreamInput {
  return {
    storeDir: '/nonexistent', full: false, sessionIds: Array.from({ length: over.sessions ?? 0 }, (_, i) => `session-${i}`),
    lessons: over.lessons ?? [], tombstones: over.tombstones ?? [], settings: Settings.parse(over.settings ?? {}),
    now: '2026-11-25T10:00:00.000Z', agentNames: {},
  };
}
