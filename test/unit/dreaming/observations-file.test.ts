// The observation index on disk: written in pieces (never one string as large as the index) and read
// back validated entry by entry; a damaged file is a clear error naming the file, never a partial index.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../shared/model';
import { INDEX_FILE, indexOfSignals, loadIndex, writeIndexFile } from '../../../electron/core/dreaming/observations';
import { tempDir } from '../../helpers/env';

const signal = (i: number, session: string): Signal => ({
  id: `${session}-s${i}`, sessionId: session, agentId: `agent-${i % 3}`, kind: i % 2 ? 'tool_error' : 'preference', key: `key-${i % 40}`,
  text: `text "${i}" with \\ and ünïcödé`, eventIds: [`${session}-e${i}`], excerpt: `excerpt ${i}`, timestamp: `2026-01-0${1 + (i % 9)}T00:00:00.000Z`,
  ...(i % 2 ? { tool: 'Bash', fix: `fix ${i}` } : {}),
});

describe('observation index file', () => {
  it('round-trips: what is written is what is read', () => {
    const signals = Array.from({ length: 3000 }, (_, i) => signal(i, `s${i % 700}`));
    signals.push({ ...signal(1, 'w'), kind: 'workflow', key: 'wf', steps: ['Read a', 'Edit a', 'Bash test', 'Bash lint', 'Bash build'] });
    const index = indexOfSignals(signals);
    const dir = tempDir();
    writeIndexFile(path.join(dir, INDEX_FILE), index);
    expect(loadIndex(dir)).toEqual(index);
    expect(Object.keys(index.grams).length).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual([INDEX_FILE]);
  });

  it('a damaged entry deep inside is an error naming the file', () => {
    const dir = tempDir();
    const index = indexOfSignals([signal(1, 'a'), signal(2, 'b')]);
    (index.keys['key-1']!.per.a as unknown as { n: number }).n = -3;
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index));
    expect(() => loadIndex(dir)).toThrow(/patterns\.json does not match the observation index schema; run `reverie dream --full`/);
    fs.writeFileSync(path.join(dir, INDEX_FILE), '{"version":1,"sessions":');
    expect(() => loadIndex(dir)).toThrow(/patterns\.json is not valid JSON/);
  });
});
