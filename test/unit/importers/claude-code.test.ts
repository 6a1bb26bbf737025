// Claude Code specifics beyond the counts: warm-up subagents are not user work.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/env';
import { parseFile } from './parse-helper';

describe('subagents', () => {
  it('a cache warm-up subagent (only prompt "Warmup") is skipped, not imported', async () => {
    const dir = path.join(tempDir(), 'sess', 'subagents');
    fs.mkdirSync(dir, { recursive: true });
    const base = { sessionId: 'sess', cwd: '/p', isSidechain: true, agentId: 'w1', userType: 'external' };
    const file = path.join(dir, 'agent-w1.jsonl');
    fs.writeFileSync(file, [
      { ...base, type: 'user', uuid: 'u1', parentUuid: null, timestamp: '2026-01-01T00:00:00.000Z', message: { role: 'user', content: 'Warmup' } },
      { ...base, type: 'assistant', uuid: 'a1', parentUuid: 'u1', timestamp: '2026-01-01T00:00:01.000Z', message: { id: 'm', role: 'assistant', content: [{ type: 'text', text: 'Ready.' }] } },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const r = await parseFile(file);
    expect([r.tool, r.sessions.length, r.skipped]).toEqual(['claude-code', 0, ['cache warm-up subagent, not user work']]);
  });
});
