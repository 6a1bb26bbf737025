// `reverie dream`'s worker started before the CLI loads (electron/cli/dream-ahead.ts): which command
// lines start it, that the core takes it only for the folder it opens, and that the real CLI uses it.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { incrementalDreamStore, takeDreamAhead } from '../../../electron/cli/dream-ahead';
import { fixture, replayClaudeSession, runCli, tempDir } from '../../helpers/env';

const SLOT = Symbol.for('reverie.cli.dreamAhead');
const slots = globalThis as unknown as Record<symbol, unknown>;

/** A stand-in for the warm worker: records what was done to it. */
function fakeWarm() {
  const done: string[] = [];
  return { done, warm: { worker: { ref: () => done.push('ref'), unref: () => done.push('unref') }, stop: () => done.push('stop') } };
}

afterEach(() => { slots[SLOT] = undefined; });

describe('the dream worker started ahead', () => {
  it('is guessed for a plain incremental dream only, in the folder it will open', () => {
    const env = { REVERIE_HOME: '/home/u/.reverie' };
    expect(incrementalDreamStore(['dream'], env)).toBe('/home/u/.reverie');
    expect(incrementalDreamStore(['dream', '--json', '--store', 'rel/store'], env)).toBe(path.resolve('rel/store'));
    expect(incrementalDreamStore(['dream', '--store=/s', '--engine', 'claude'], env)).toBe('/s');
    expect(incrementalDreamStore(['dream', '--engine=heuristic', '--store', '/s', '--json'], env)).toBe('/s');
    // Anything else starts nothing: a full dream reads no index, the rest are other commands.
    for (const argv of [['dream', '--full'], ['dream', 'review', 'd1'], ['dream', '--engine', 'claude', '--preview'], ['dream', '--store'], ['dreams'], ['import', 'x'], [], ['--store', '/s', 'dream']])
      expect(incrementalDreamStore(argv, env), argv.join(' ')).toBeNull();
  });

  it('is taken, and kept alive, only by a core opening the folder it reads; another folder stops it', () => {
    const a = fakeWarm();
    slots[SLOT] = { storeDir: '/s', warm: a.warm };
    expect(takeDreamAhead('/s')).toBe(a.warm);
    expect(a.done).toEqual(['ref']);
    expect(takeDreamAhead('/s')).toBeUndefined(); // taken once

    const b = fakeWarm();
    slots[SLOT] = { storeDir: '/s', warm: b.warm };
    expect(takeDreamAhead('/other')).toBeUndefined();
    expect(b.done).toEqual(['stop']);
    expect(slots[SLOT]).toBeUndefined();
  });

  it('the CLI starts it before it loads and its dream takes it over: one worker, the index read once', () => {
    const work = tempDir();
    const store = path.join(work, 'store');
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'logs'), 3);
    expect(runCli(['import', path.join(work, 'logs'), '--store', store, '--json']).code).toBe(0);
    expect(runCli(['dream', '--store', store, '--json']).code).toBe(0); // writes the observation index
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'more'), 2);
    expect(runCli(['import', path.join(work, 'more'), '--store', store, '--json']).code).toBe(0);

    const r = runCli(['dream', '--store', store, '--json'], { env: { REVERIE_TRACE: '1' } });
    expect(r.code).toBe(0);
    const steps = r.stderr.split('\n').filter((l) => l.startsWith('[trace]')).map((l) => l.replace(/^\[trace\] \S+ thread \d+ /, ''));
    expect(steps).toContain('cli: dream worker started ahead');
    expect(steps).toContain('cli: dream worker taken over');
    expect(steps.filter((s) => s === 'worker: warm start')).toHaveLength(1);
    expect(steps.filter((s) => s === 'worker: observation index read')).toHaveLength(1);
    expect((r.json as { status: string; stats: { sessionsRead: number } }).stats.sessionsRead).toBe(2);
  });
});
