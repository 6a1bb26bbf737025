// `reverie lessons` with nothing to list says why, as the Lessons screen does: nothing imported, not
// dreamt over yet, lessons held back by the user (deleted, rejected, undone), or nothing recurs.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { whyNoLessons } from '../../../electron/cli/commands/lessons';
import { fixture, replayClaudeSession, runCli, tempDir } from '../../helpers/env';

const counts = (c: Partial<Parameters<typeof whyNoLessons>[0]>) => ({ sessions: 0, events: 0, lessons: 0, agents: 0, dreams: 0, heldBack: 0, ...c });

describe('an empty lesson list', () => {
  it('says why, from the store\'s counts', () => {
    expect(whyNoLessons(counts({}))).toBe('No lessons yet. Import sessions and run `reverie dream`.');
    expect(whyNoLessons(counts({ sessions: 8 }))).toBe('No lessons yet: run `reverie dream` to learn from the 8 sessions imported.');
    expect(whyNoLessons(counts({ sessions: 1, dreams: 2 }))).toMatch(/^No lessons yet: no mistake, correction or workflow recurs across enough of the 1 session\. /);
    expect(whyNoLessons(counts({ sessions: 44, dreams: 2, heldBack: 1 }))).toMatch(/^No lessons: 1 learned from the 44 sessions stays away because you deleted, rejected or undid it /);
  });

  it('after an undo, through the CLI: held back, not "nothing recurs"; --json stays the bare list', () => {
    const work = tempDir();
    const store = path.join(work, 'store');
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'logs'), 3);
    expect(runCli(['import', path.join(work, 'logs'), '--store', store]).code).toBe(0);
    const dream = runCli(['dream', '--store', store, '--json']).json as { id: string; changes: { op: string }[] };
    const adds = dream.changes.filter((c) => c.op === 'add').length;
    expect(adds).toBeGreaterThan(0);
    expect(runCli(['undo', dream.id, '--store', store]).code).toBe(0);
    const text = runCli(['lessons', '--store', store]);
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toContain(`No lessons: ${adds} learned from the 3 sessions`);
    expect(runCli(['lessons', '--store', store, '--json']).json).toEqual([]);
  });
});
