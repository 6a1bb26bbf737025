import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/model';
import { classifyUserText, commandStep, errorSignature, extractSignals, stepOf } from '../../../electron/core/dreaming/signals';

let seq = 0;
const ev = (kind: SessionEvent['kind'], text: string, over: Partial<SessionEvent> = {}): SessionEvent => ({
  id: `e${++seq}`, seq, kind, text, timestamp: `2026-11-01T10:00:${String(seq % 60).padStart(2, '0')}Z`, source: { file: 'f.jsonl', line: seq }, ...over,
});
const call = (name: string, text: string, id: string, input?: Record<string, unknown>) => ev('tool_call', `${name} ${text}`, { tool: { name, callId: id, ...(input ? { input: JSON.stringify(input) } : {}) } });
const result = (name: string, id: string, text: string, over: Partial<SessionEvent> = {}) => ev('tool_result', text, { tool: { name, callId: id }, ...over });
const session = (events: SessionEvent[]) => extractSignals({ id: 's1', agentId: 'claude-code:/p', events });

describe('error signatures', () => {
  it('equal for the same error with different paths, lines, ids, times, durations and quoted names', () => {
    const a = errorSignature("Error: Cannot find module '/home/ann/shop/src/gen/a.ts' imported from /home/ann/shop/src/x.ts:12:3 at 2026-11-01T10:00:00Z (took 1.2s) id 3f2a9c1e-1111-2222-3333-444455556666 0x7ffd12ab");
    const b = errorSignature("Error: Cannot find module 'C:/work/api/gen/b.ts' imported from /srv/api/src/y.ts:99:1 at 2026-12-24T23:59:59Z (took 350ms) id 0a0b0c0d-aaaa-bbbb-cccc-ddddeeeeffff 0xdeadbeef1");
    expect(a).toBe(b);
    expect(a).toContain('cannot find module');
    expect(a).not.toMatch(/home|\bann\b|\d/);
  });
  it('different for different errors, and drops tool noise lines', () => {
    expect(errorSignature('Exit code 1\nOn branch main\nnothing to commit, working tree clean')).toBe('on branch main nothing to commit, working tree clean (exit code 1)');
    expect(errorSignature('TypeError: x is not a function')).not.toBe(errorSignature('SyntaxError: unexpected token'));
    expect(errorSignature('Error: listen EADDRINUSE: address already in use :::3000')).toBe(errorSignature('Error: listen EADDRINUSE: address already in use :::8080'));
  });
});

describe('error signatures keep what identifies the error', () => {
  it('error codes stay; relative paths go whole, with their location', () => {
    const a = errorSignature("Exit code 2\nsrc/db.ts(3,20): error TS2307: Cannot find module './schema' or its corresponding type declarations.");
    expect(a).toBe('<path>: error ts2307: cannot find module <name> or its corresponding type declarations. (exit code 2)');
    expect(a).toBe(errorSignature("Exit code 2\nlib/x/api.ts(10,4): error TS2307: Cannot find module '../gen' or its corresponding type declarations."));
    expect(a).not.toBe(errorSignature("Exit code 2\nsrc/db.ts(3,20): error TS2305: Cannot find module './schema' or its corresponding type declarations."));
    expect(errorSignature('error[E0382]: borrow of moved value: `v`')).toContain('e0382');
    expect(errorSignature("Error: ENOENT: no such file or directory, open 'a.json'")).toContain('enoent');
    expect(errorSignature("Error: spawn npm { errno: -2, code: 'ENOENT' }")).toContain("'enoent'");
  });
  it('exit codes stay, in the output and beside it; a silent failure has no signature', () => {
    expect(errorSignature('Exit code 127\nbash: foo: command not found')).not.toBe(errorSignature('Exit code 1\nbash: foo: command not found'));
    expect(errorSignature('Command failed with exit code 3 after 12 tries')).toBe('command failed with exit code 3 after <n> tries');
    expect(errorSignature('Exit code 1')).toBe('');
  });
});

describe('user corrections and preferences in many wordings', () => {
  const corrections = [
    'no, use pnpm', 'No. Use pnpm instead of npm.', 'nope, that is the wrong file', "don't add comments", 'do not touch the migrations folder',
    'stop running the whole test suite', 'Actually, put it in utils instead', "that's wrong, the port is configured in .env", 'you forgot to run the linter',
    'I told you to use tabs', 'why did you delete the fixture?', 'use vitest, not jest', 'Wrong: the API returns cents, not dollars.', 'never commit directly to main',
    'wait, revert that', 'please don\'t reformat the whole file',
  ];
  const preferences = [
    'always run lint first', 'From now on, write tests before the implementation.', 'we use conventional commits in this repo', 'Remember to update the changelog',
    'make sure to run the type checker before committing', 'I prefer small focused commits', 'By default, answer in English', 'before every commit run the formatter',
    'Please always use pnpm', 'in the future keep functions under 40 lines',
  ];
  const neither = [
    'Fix the failing test in parser.ts', 'Can you add a dark mode toggle?', 'thanks, looks good', 'no problem, take your time', 'ok', 'never mind',
    'What does this function return?', "I don't know why the build fails", 'Add a README section about installation', 'yes',
  ];
  it.each(corrections)('correction: %s', (t) => expect(classifyUserText(t, true).kind).toBe('correction'));
  it.each(preferences)('preference: %s', (t) => expect(classifyUserText(t, true).kind).not.toBeNull());
  it.each(preferences)('a stated rule is a preference even before the agent acted: %s', (t) => expect(classifyUserText(t, false).kind).toBe('preference'));
  it.each(neither)('neither: %s', (t) => expect(classifyUserText(t, true).kind).toBeNull());
  it('a correction needs something to correct: the first message of a session is not one', () => {
    expect(classifyUserText('no, use pnpm', false).kind).toBeNull();
  });
  it('ignores pasted code and long pasted logs', () => {
    expect(classifyUserText('```\nnever do this\n```', true).kind).toBeNull();
    expect(classifyUserText(`no ${'x'.repeat(400)}`, true).kind).toBeNull();
  });
});

describe('signals of one session', () => {
  it('a failed call with the next successful action as its fix, and the excerpt naming both', () => {
    const s = session([
      ev('user', 'Fix the tests'),
      call('Bash', 'npm test', 'c1', { command: 'npm test' }),
      result('Bash', 'c1', 'Error: watch mode is not supported in CI at /a/b.ts:3', { isError: true }),
      call('Read', 'package.json', 'c2'),
      result('Read', 'c2', '{...}'),
      call('Bash', 'npm test -- --run', 'c3', { command: 'npm test -- --run' }),
      result('Bash', 'c3', 'ok'),
    ]);
    const err = s.find((x) => x.kind === 'tool_error')!;
    expect(err.fix).toBe('Bash npm test -- --run');
    expect(err.key).toBe(`shell|${errorSignature('Error: watch mode is not supported in CI at /a/b.ts:3')}`);
    expect(err.eventIds).toHaveLength(3);
    expect(err.excerpt).toMatch(/npm test[\s\S]*watch mode[\s\S]*--run/);
  });
  it('no fix when the user stepped in before anything succeeded', () => {
    const s = session([
      call('Bash', 'make', 'c1', { command: 'make' }), result('Bash', 'c1', 'make: *** No rule', { isError: true }),
      ev('user', 'no, use just'), call('Bash', 'just build', 'c2', { command: 'just build' }), result('Bash', 'c2', 'ok'),
    ]);
    expect(s.find((x) => x.kind === 'tool_error')!.fix).toBeUndefined();
    expect(s.find((x) => x.kind === 'correction')!.text).toBe('no, use just');
  });
  it('a rejected call followed by a different instruction is one rejection signal, not also a correction', () => {
    const s = session([
      ev('user', 'set it up'), call('Bash', 'npm install', 'c1', { command: 'npm install' }),
      result('Bash', 'c1', "The user doesn't want to proceed with this tool use.", { rejected: true, isError: true }),
      ev('user', 'use pnpm install instead'),
    ]);
    expect(s.map((x) => x.kind)).toEqual(['rejection']);
    expect(s[0].text).toBe('use pnpm install instead');
    expect(s[0].key).toBe('rejection|family:package-manager install pnpm');
  });
  it('an interrupt followed by an instruction is an interrupt signal', () => {
    const s = session([
      ev('user', 'refactor the module'), call('Edit', 'a.ts', 'c1'),
      ev('user', '[Request interrupted by user]', { interrupt: true, injected: true }), ev('user', 'keep the public API unchanged'),
    ]);
    expect(s.filter((x) => x.kind === 'interrupt').map((x) => x.text)).toEqual(['keep the public API unchanged']);
  });
  it('ordered steps of successful work, looking around and failures left out', () => {
    const s = session([
      call('Read', 'a.ts', 'r1'), result('Read', 'r1', 'x'),
      call('Edit', 'src/a.ts', 'c1', { file_path: '/p/src/a.ts' }), result('Edit', 'c1', 'ok'),
      call('Bash', 'pnpm lint', 'c2', { command: 'cd /p && pnpm lint --fix' }), result('Bash', 'c2', 'ok'),
      call('Bash', 'pnpm test', 'c3', { command: 'pnpm test' }), result('Bash', 'c3', 'fail', { isError: true }),
      call('Bash', 'pnpm test', 'c4', { command: 'pnpm test -- --run' }), result('Bash', 'c4', 'ok'),
      call('Bash', 'git commit', 'c5', { command: 'git commit -m "x"' }), result('Bash', 'c5', 'ok'),
    ]);
    expect(s.find((x) => x.kind === 'workflow')!.steps).toEqual(['edit *.ts', 'run pnpm lint', 'run pnpm test', 'run git commit']);
  });
  it('abandoned branches and injected text give no signals; extraction is deterministic', () => {
    const events = [
      ev('user', 'go'), call('Bash', 'x', 'c1', { command: 'x' }),
      result('Bash', 'c1', 'boom', { isError: true, branch: 'abandoned' }),
      ev('user', 'no, never do that', { injected: true }),
    ];
    expect(session(events)).toEqual([]);
    const again = [ev('user', 'go'), ev('assistant', 'ok'), ev('user', 'no, use yarn')];
    expect(session(again)).toEqual(session(again));
  });
});

describe('steps', () => {
  it.each([
    ['cd app && FOO=1 npm run lint -- --fix', 'npm run lint'], ['pytest tests/test_a.py -q', 'pytest'], ['python -m pytest -x', 'python -m pytest'],
    ['git commit -am "x"', 'git commit'], ['/usr/bin/make build', 'make build'], ['cargo test --release', 'cargo test'],
  ])('%s → %s', (cmd, step) => expect(commandStep(cmd)).toBe(step));
  it('looking around is not a step', () => {
    expect(stepOf(call('Bash', 'ls', 'x', { command: 'ls -la' }))).toBeNull();
    expect(stepOf(call('Grep', 'foo', 'y'))).toBeNull();
  });
});
