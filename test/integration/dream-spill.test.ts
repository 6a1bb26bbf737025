// A full dream rebuilds the observation index from every session; it spills the index to scratch files
// as it grows (dreaming/observations-spill.ts) so its observations are never all in memory at once. When
// the spills happen must change nothing: the index written and the dream's changes are those of the
// same dream folded in one go, and no scratch file is left.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../shared/model';
import { importPaths } from '../../electron/core/importers';
import { computeDream } from '../../electron/core/dreaming/compute';
import { fold, emptyIndex, INDEX_FILE, type ObservationIndex } from '../../electron/core/dreaming/observations';
import { readIndexFile, writeIndexFile } from '../../electron/core/dreaming/observations-file';
import { IndexSpill } from '../../electron/core/dreaming/observations-spill';
import { dreamInput } from '../../electron/core/handlers/dream-input';
import { fixture, tempDir } from '../helpers/env';
import { storesClosedAfterEach } from '../helpers/open-stores';
import { recurringSession } from '../unit/dreaming/corpus';

const { openStore } = storesClosedAfterEach();
/** An index as plain data: its Maps as objects, a key read from the file parsed. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (_, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)));
const SPILL = 'REVERIE_DREAM_SPILL_SIGNALS';
afterEach(() => { delete process.env[SPILL]; });

/** A session's signals: a recurring error with the session's path in it, a preference, and one-off keys. */
const signalsOf = (s: number): Signal[] => Array.from({ length: 9 }, (_, i) => ({
  id: `s${s}-${i}`, sessionId: `s${s}`, agentId: `agent-${s % 3}`, kind: i % 3 ? 'tool_error' : 'preference',
  key: i < 4 ? `shared-${i}` : `one-off-${s}-${i}`, text: `text ${s} ${i}`, eventIds: [`s${s}-e${i}`], excerpt: `excerpt ${i}`,
  timestamp: `2026-01-0${1 + (s % 9)}T00:00:00.000Z`, ...(i % 3 ? { tool: 'Bash', fix: `fix ${i}` } : {}),
}));

describe('a full dream spilling its observation index', () => {
  it('folds into the same bytes whenever it spills, and removes its scratch files', () => {
    const dir = tempDir();
    const inOneGo = emptyIndex();
    for (let s = 0; s < 400; s++) {
      fold(inOneGo, `s${s}`, `agent-${s % 3}`, null, signalsOf(s));
      if (s === 200) fold(inOneGo, 's3', 'agent-0', null, signalsOf(3));
    }
    const indexOut = path.join(dir, `${INDEX_FILE}.d-test.tmp`);
    process.env[SPILL] = '50';
    const spill = new IndexSpill(indexOut);
    let index: ObservationIndex = emptyIndex();
    let spills = 0;
    for (let s = 0; s < 400; s++) {
      fold(index, `s${s}`, `agent-${s % 3}`, null, signalsOf(s));
      const next = spill.folded(index, 9);
      if (next !== index) spills++;
      index = next;
      // A session folded again after a spill replaces what it showed before, as in memory.
      if (s === 200) fold(index, 's3', 'agent-0', null, signalsOf(3));
    }
    expect(spills).toBe(Math.floor(400 / Math.ceil(50 / 9)));
    writeIndexFile(path.join(dir, 'spilled'), index);
    writeIndexFile(path.join(dir, 'in-one-go'), inOneGo);
    expect(fs.readFileSync(path.join(dir, 'spilled')).equals(fs.readFileSync(path.join(dir, 'in-one-go')))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.spill-'))).toHaveLength(1);
    spill.remove();
    expect(fs.readdirSync(dir).sort()).toEqual(['in-one-go', 'spilled']);
  });

  it('a full dream over real logs: the same index and the same changes, spilled every few signals or not at all', async () => {
    const work = tempDir();
    for (let i = 0; i < 6; i++) recurringSession(path.join(work, 'logs'), i % 2 ? '/home/dev/src/api' : '/home/dev/src/shop', i);
    const store = await openStore();
    await importPaths(store, [path.join(work, 'logs'), ...['claude-code', 'codex', 'gemini-cli', 'chatgpt', 'aider'].map((f) => fixture(f))]);
    const dream = (name: string) => {
      const input = dreamInput(store, true, '2026-12-03T00:00:00.000Z', path.join(store.dir, `${INDEX_FILE}.${name}.tmp`));
      const output = computeDream(input);
      // What the file holds (the agent table's order follows when agents were first written: a spill fixes it earlier).
      return { output, index: plain(readIndexFile(input.indexOut!)) };
    };
    const reference = dream('whole');
    process.env[SPILL] = '7';
    const spilled = dream('spilled');
    expect(reference.output.stats.signalsRead).toBeGreaterThan(30);
    expect(reference.output.changes.length).toBeGreaterThan(0);
    expect(spilled.index).toEqual(reference.index);
    // Lesson ids and evidence are made from what was observed: the changes are equal, word for word.
    expect(JSON.stringify(spilled.output)).toBe(JSON.stringify(reference.output));
    expect(fs.readdirSync(store.dir).filter((f) => f.includes('.spill-'))).toEqual([]);
  });
});
