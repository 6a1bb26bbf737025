// Claude Code specifics beyond the counts: the progress-line fast path reads exactly what a full
// parse reads (or declines), and warm-up subagents are not user work.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../electron/core/importers/claude-code';
import { fixture, tempDir } from '../../helpers/env';
import { parseFile } from './parse-helper';

const FILES = [
  fixture('claude-code', 'spotter', 'tool_heavy.jsonl'),
  fixture('claude-code', 'spotter', 'short.jsonl'),
  fixture('claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-a2898e3.jsonl'),
  fixture('claude-code', 'claude-reliability', 'python-to-rust-port', 'transcript.jsonl'),
];

describe('progress lines without a full parse', () => {
  it('gives the same envelope fields as JSON.parse on every progress line of the real fixtures, and nothing for other lines', () => {
    let fast = 0;
    for (const f of FILES) {
      for (const line of fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
        const full = JSON.parse(line) as Record<string, unknown>;
        const quick = progressLine(line);
        if (full.type !== 'progress') {
          expect(quick).toBeUndefined();
          continue;
        }
        expect(quick).toBeDefined();
        for (const k of ['uuid', 'parentUuid', 'sessionId', 'cwd', 'timestamp', 'isSidechain', 'agentId']) expect(quick![k], k).toEqual(full[k]);
        fast++;
      }
    }
    expect(fast).toBe(83);
  });

  it('declines when the top-level uuid is not certain (falls back to JSON.parse)', () => {
    // uuid before the nested data: the tail holds only a nested uuid.
    const odd = '{"parentUuid":"p","sessionId":"s","type":"progress","uuid":"top","data":{"uuid":"nested"}}';
    expect(progressLine(odd)).toBeUndefined();
    // A nested object before "type": not the envelope shape.
    expect(progressLine('{"parentUuid":"p","x":{"a":1},"type":"progress","data":{},"uuid":"u"}')).toBeUndefined();
    expect(progressLine('{"parentUuid":"p","type":"progress","data":{"k":"v"},"uuid":"u","timestamp":"t"}')).toEqual({ parentUuid: 'p', type: 'progress', uuid: 'u', timestamp: 't' });
  });
});

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
