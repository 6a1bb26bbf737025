// Small builders for lessons and agents in tests (write-back, progress): every field the model
// requires, with overrides for what a test is about.
import type { Agent, AgentTool, Lesson } from '../../shared/model';

export function agent(tool: AgentTool, project: string | null, name = `${tool} ${project ?? ''}`.trim()): Agent {
  return { id: `${tool}:${project ?? 'none'}`, tool, project, name };
}

export function lesson(id: string, text: string, over: Partial<Lesson> = {}): Lesson {
  return {
    id,
    kind: 'mistake',
    title: text.slice(0, 60),
    text,
    agents: ['all'],
    support: { sessions: 3, agents: 1, occurrences: 4, firstSeen: '2026-10-01T00:00:00.000Z', lastSeen: '2026-10-05T00:00:00.000Z' },
    confidence: 0.6,
    evidence: [{ sessionId: 's1', eventId: 'e1', agent: 'a', excerpt: 'x' }],
    origin: 'learned',
    status: 'active',
    pinned: false,
    patternKey: `k|${id}`,
    userEdited: false,
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    activatedAt: '2026-10-01T00:00:00.000Z',
    ...over,
  };
}
