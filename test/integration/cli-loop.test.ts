// The first honest slice end to end, through the real CLI in a temp store:
// import → dream → lessons JSON with evidence → pin/delete → dream again.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
import { fixture, replayClaudeSession, runCli, tempDir } from '../helpers/env';

describe('CLI: import → dream → lessons → pin/delete → dream', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  const s = (...args: string[]) => runCli([...args, '--store', store]);

  beforeAll(() => {
    // A real session (its `git commit` fails: nothing to commit) replayed three times: a recurring mistake.
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'logs'), 3);
  });

  it('imports the real fixtures plus the replays, reporting counts', () => {
    const r = s('import', fixture('claude-code'), path.join(work, 'logs'), '--json');
    expect(r.code).toBe(0);
    const json = r.json as { sessions: number; events: number; errors: unknown[] };
    expect(json.sessions).toBe(9);
    expect(json.errors).toEqual([]);
    // Same files again: nothing changes.
    expect((s('import', fixture('claude-code'), path.join(work, 'logs'), '--json').json as { sessions: number }).sessions).toBe(0);
  });

  it('dreams a lesson with evidence, and pin/delete persist across dreams', () => {
    const dream = s('dream', '--json');
    expect(dream.code).toBe(0);
    const lessons = s('lessons', '--json').json as Lesson[];
    const mistake = lessons.find((l) => l.kind === 'mistake' && /nothing to commit/i.test(l.text));
    expect(mistake).toBeDefined();
    // The shipped session plus its three replays.
    expect(mistake!.support.sessions).toBe(4);
    expect(mistake!.evidence.length).toBe(4);
    expect(mistake!.evidence[0]).toMatchObject({ sessionId: expect.any(String), eventId: expect.any(String), excerpt: expect.stringMatching(/nothing to commit/) });

    expect(s('lesson', 'pin', mistake!.id).code).toBe(0);
    expect(s('dream', '--json').code).toBe(0);
    const again = (s('lessons', '--json').json as Lesson[]).find((l) => l.id === mistake!.id);
    expect(again?.pinned).toBe(true);

    expect(s('lesson', 'delete', mistake!.id).code).toBe(0);
    expect(s('dream', '--json').code).toBe(0);
    const after = s('lessons', '--json').json as Lesson[];
    expect(after.find((l) => l.patternKey === mistake!.patternKey)).toBeUndefined();
  });

  it('explains usage errors with exit 2 and failures with exit 1', () => {
    const unknown = s('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    expect(s('lesson', 'pin').code).toBe(2);
    const missing = s('lesson', 'pin', 'no-such-lesson');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No lesson with id no-such-lesson/);
  });
});
