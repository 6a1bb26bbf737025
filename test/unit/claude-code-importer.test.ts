import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../shared/model';
import { claudeCode } from '../../electron/core/importers/claude-code';
import type { ParsedSession } from '../../electron/core/importers/types';
import { fixture } from '../helpers/env';

async function parse(file: string) {
  const warnings: unknown[] = [];
  const skipped: string[] = [];
  const sessions: ParsedSession[] = [];
  for await (const s of claudeCode.parse(file, { file, warn: (w) => warnings.push(w), skip: (r) => skipped.push(r) })) sessions.push(s);
  return { sessions, warnings, skipped };
}
const live = (events: SessionEvent[]) => events.filter((e) => e.branch === 'active');

describe('Claude Code importer on the real fixtures', () => {
  it('follows the active branch across a rewind and a compaction', async () => {
    const { sessions } = await parse(fixture('claude-code', 'claude-code-log-synthetic', 'dag_compact_after_rewind.jsonl'));
    expect(sessions).toHaveLength(1);
    const texts = live(sessions[0].events).filter((e) => e.kind === 'user' && !e.injected).map((e) => e.text);
    expect(texts).toEqual(['Start', 'Second attempt', 'Keep going', 'After compaction']);
    const abandoned = sessions[0].events.filter((e) => e.branch === 'abandoned').map((e) => e.text);
    expect(abandoned).toEqual(['First attempt', 'First answer']);
    // The compaction summary is model-written, never user input.
    expect(sessions[0].events.find((e) => e.text.startsWith('This session is being continued'))?.injected).toBe(true);
  });

  it('reads tool errors, rejections and interrupts, merging a split reply', async () => {
    const { sessions } = await parse(fixture('claude-code', 'spotter', 'short.jsonl'));
    const [s] = sessions;
    expect(s.id).toBe('55604662-cf2a-4331-851a-ec234028f8ca');
    expect(s.project).toBe('/home/marco/projects/spotter');
    const results = s.events.filter((e) => e.kind === 'tool_result');
    expect(results.map((r) => [r.tool?.name, r.isError, r.rejected])).toEqual([['Bash', true, true], ['Glob', true, true]]);
    // Parallel tool results are siblings in the tree, not a rewind.
    expect(results.every((r) => r.branch === 'active')).toBe(true);
    expect(s.events.some((e) => e.interrupt)).toBe(true);
    // The reply split over lines sharing message.id becomes one assistant text.
    expect(s.events.filter((e) => e.kind === 'assistant')).toHaveLength(1);
    expect(s.events.map((e) => e.seq)).toEqual(s.events.map((_, i) => i));
  });

  it('skips the compaction summariser and imports a real subagent with its errors', async () => {
    expect((await parse(fixture('claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-acompact-e1f845.jsonl'))).skipped).toHaveLength(1);
    const { sessions } = await parse(fixture('claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-a2898e3.jsonl'));
    expect(sessions[0].id).toMatch(/^4d5611e5-241a-462a-8d15-5122611a9569\/agent-/);
    expect(sessions[0].events.filter((e) => e.isError).length).toBe(8);
  });

  it('detects by content', () => {
    expect(claudeCode.detect('{"type":"queue-operation","sessionId":"x"}\n{"parentUuid":null,"sessionId":"x","type":"user","uuid":"u"}', 'whatever.txt')).toBe(true);
    expect(claudeCode.detect('{"timestamp":"t","type":"session_meta","payload":{}}', 'a.jsonl')).toBe(false);
  });
});
