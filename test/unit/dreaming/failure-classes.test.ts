// The ways lessons went wrong on data the engine was not tuned to, one test each: the same mistake
// in two projects, a banner quoted as the error, a fix tied to one call's arguments, titles that are
// log text, workflows that lost their steps, a one-agent mistake left waiting, corrections in other
// languages, a Codex fork counted twice.
import { describe, expect, it } from 'vitest';
import type { Lesson, SessionEvent, Signal } from '../../../shared/model';
import { heuristicDream, lessonIdFor } from '../../../electron/core/dreaming/heuristic';
import { extractSignals, errorSignature, tellingLines } from '../../../electron/core/dreaming/signals';
import { input } from './helpers';

let n = 0;
const ev = (kind: SessionEvent['kind'], text: string, over: Partial<SessionEvent> = {}): SessionEvent => ({
  id: `e${++n}`, seq: n, kind, text, timestamp: `2026-11-${String(1 + (n % 27)).padStart(2, '0')}T10:00:00Z`, source: { file: 'f.jsonl', line: n }, ...over,
});
const shell = (command: string, out: string, error = false): SessionEvent[] => {
  const id = `c${++n}`;
  return [
    ev('tool_call', `Bash ${command}`, { tool: { name: 'Bash', callId: id, input: JSON.stringify({ command }) } }),
    ev('tool_result', out, { tool: { name: 'Bash', callId: id }, ...(error ? { isError: true } : {}) }),
  ];
};
const edit = (file: string): SessionEvent[] => {
  const id = `c${++n}`;
  return [
    ev('tool_call', `Edit ${file}`, { tool: { name: 'Edit', callId: id, input: JSON.stringify({ file_path: file }) } }),
    ev('tool_result', 'ok', { tool: { name: 'Edit', callId: id } }),
  ];
};
const session = (id: string, agentId: string, events: SessionEvent[]) => extractSignals({ id, agentId, events: [ev('user', 'Can you fix the build?'), ...events] });
const added = (signals: Signal[], over: Parameters<typeof input>[0] = {}) =>
  heuristicDream(input(over), signals).changes.filter((c) => c.op === 'add').map((c) => c.after!);

describe('mistakes', () => {
  it('the line that failed, not the banner a package manager echoes before it', () => {
    const out = '\n> shop@1.4.2 test\n> vitest run\n\n RUN  v3.2.1 /home/dev/shop\n\n ✓ src/a.test.ts (3 tests) 12ms\n FAIL  src/b.test.ts > parses\nTypeError: Cannot read properties of undefined (reading \'id\')\n Test Files  1 failed | 1 passed (2)\nnpm ERR! code ELIFECYCLE';
    expect(tellingLines(out)).toEqual(["TypeError: Cannot read properties of undefined (reading 'id')"]);
    // With no error marker at all, the last line says how it ended.
    expect(tellingLines('> api@2.0.0 build\n> tsc -p .\n\nBuild stopped after 3 files')).toEqual(['Build stopped after 3 files']);
  });

  it('the same mistake in two projects is one key: project names and versions are normalized', () => {
    const a = errorSignature("> shop@1.4.2 build\nError: Cannot find module '@shop/ui@1.4.2' from /home/dev/shop/src/index.ts", { project: '/home/dev/shop' });
    const b = errorSignature("> billing@0.9.0 build\nError: Cannot find module '@billing/ui@0.9.0' from /srv/billing/src/index.ts", { project: '/srv/billing' });
    expect(a).toBe(b);
    expect(errorSignature('error: package shop v1.2.3 failed to build', { project: '/x/shop' })).toBe(errorSignature('error: package billing v2.0.11 failed to build', { project: '/y/billing' }));
  });

  it('one lesson across projects, its quote without either project, its title a rule', () => {
    const signals = [0, 1, 2, 3].flatMap((i) => {
      const project = i % 2 ? '/home/dev/shop' : '/home/dev/billing';
      const name = project.split('/').pop();
      return session(`m${i}`, `claude-code:${project}`, [
        ...shell(`npx vitest run src/case-${i}.test.ts`, `\n> ${name}@1.${i}.0 test\n> vitest run\nError: Cannot find module '${project}/src/gen/schema-${i}.ts' imported from ${project}/src/case-${i}.ts:${i + 3}`, true),
        ...shell('npm run codegen', 'generated 4 files'),
        ...shell(`npx vitest run src/case-${i}.test.ts`, 'ok'),
      ]);
    });
    const ls = added(signals).filter((l) => l.kind === 'mistake');
    expect(ls).toHaveLength(1);
    expect(ls[0].title).toBe('Run `npm run codegen` before `npx vitest run`');
    expect(ls[0].text).toMatch(/^Run `npm run codegen` before `npx vitest run`: otherwise it fails with "Error: Cannot find module/);
    expect(`${ls[0].title} ${ls[0].text}`).not.toMatch(/shop|billing|<\w+>|vitest run src|> |@1\./);
    expect(ls[0].agents).toEqual(['all']);
  });

  it('the fix is what changed between the failed and the succeeding call, not the arguments of one call', () => {
    const signals = [0, 1, 2].flatMap((i) => session(`f${i}`, 'codex:/home/dev/api', [
      ...shell(`pytest tests/test_${i}.py -k case${i}`, 'ERROR: usage: pytest: error: unrecognized arguments: --cov', true),
      ...shell(`pytest tests/test_${i}.py -k case${i} -p no:cacheprovider`, 'ok'),
    ]));
    const [l] = added(signals).filter((x) => x.kind === 'mistake');
    expect(l.title).toBe('Add `-p no:cacheprovider` to `pytest`');
    expect(l.text).not.toMatch(/test_\d|case\d/);
  });
});

describe('scope by support', () => {
  const mistakeIn = (i: number, agentId: string) => session(`s${agentId.length}-${i}`, agentId, [
    ...shell('cargo build', 'error: failed to open: /home/dev/rs/target/debug/.cargo-lock: Blocking waiting for file lock', true),
    ...shell('cargo clean && cargo build', 'ok'),
  ]);
  it('a mistake one agent made in 100+ sessions is an active lesson for that agent, even when team lessons fill the cap', () => {
    const mine = Array.from({ length: 110 }, (_, i) => mistakeIn(i, 'codex:/home/dev/rs')).flat();
    const stray = mistakeIn(0, 'claude-code:/home/dev/web');
    // Twelve strong team lessons already fill every agent's cap.
    const team: Lesson[] = Array.from({ length: 12 }, (_, i) => ({
      id: `team-${i}`, kind: 'preference', title: `Team rule ${i}`, text: `Team rule number ${i}.`, agents: ['all'], origin: 'learned', status: 'active', pinned: false,
      support: { sessions: 12, agents: 4, occurrences: 12, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-20T00:00:00Z' }, confidence: 0.99,
      evidence: [{ sessionId: 'x', eventId: 'y', agent: 'a', excerpt: 'z' }], patternKey: `preference|team${i}`, signalKeys: [`preference|team${i}`], userEdited: false,
      createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z', activatedAt: '2026-11-01T00:00:00Z',
    }));
    const out = heuristicDream(input({ lessons: team }), [...mine, ...stray]);
    const add = out.changes.find((c) => c.op === 'add' && c.after!.kind === 'mistake')!;
    expect(add.after).toMatchObject({ status: 'active', agents: ['codex:/home/dev/rs'] });
    expect(add.after!.id).toBe(lessonIdFor(add.after!.patternKey!));
  });
});

describe('corrections by structure, in any language', () => {
  it("Cline feedback right after the agent reported completion is a correction, whatever its words", () => {
    const s = extractSignals({ id: 'cl', agentId: 'cline:/p', events: [
      ev('user', '给首页加一个搜索框'),
      ev('assistant', '我已经完成了搜索框。', { completion: true }),
      ev('user', '不对，搜索框应该放在导航栏里，不要放在页面底部。'),
    ] });
    expect(s.filter((x) => x.kind === 'correction').map((x) => x.text)).toEqual(['不对，搜索框应该放在导航栏里，不要放在页面底部。']);
    // An acceptance is not.
    const ok = extractSignals({ id: 'cl2', agentId: 'cline:/p', events: [ev('user', 'x'), ev('assistant', 'Done.', { completion: true }), ev('user', 'Danke, passt so.')] });
    expect(ok.filter((x) => x.kind === 'correction')).toEqual([]);
  });
  it('the words after a refused call are a rejection signal in any language, keyed by their own words', () => {
    const s = extractSignals({ id: 'de', agentId: 'claude-code:/p', events: [
      ev('user', 'Richte das Projekt ein'),
      ...shell('npm install', 'The user rejected this tool use', false).map((e) => (e.kind === 'tool_result' ? { ...e, rejected: true, isError: true } : e)),
      ev('user', 'Nein, benutze bitte pnpm statt npm.'),
    ] });
    const r = s.find((x) => x.kind === 'rejection')!;
    expect(r.text).toBe('Nein, benutze bitte pnpm statt npm.');
    expect(r.key).toMatch(/pnpm/);
    expect(r.key).toMatch(/benutz/);
  });
});

describe('workflows', () => {
  it('keeps both halves of a compound command and names the file every session edits', () => {
    const signals = [0, 1, 2].flatMap((i) => session(`w${i}`, 'claude-code:/home/dev/db', [
      ...edit('/home/dev/db/prisma/schema.prisma'),
      ...shell('npx prisma migrate dev --name x' + i + ' && npx prisma generate', 'ok'),
      ...shell('npm test', 'ok'),
      ...shell(`git commit -am "migration ${i}"`, 'ok'),
    ]));
    const [w] = added(signals).filter((l) => l.kind === 'workflow');
    expect(w.text).toBe('Follow the routine that worked before, in this order: edit `prisma/schema.prisma` → `npx prisma migrate dev` → `npx prisma generate` → `npm test` → `git commit`.');
  });
});

describe('Codex forks', () => {
  it("a fork's copied opening turns count once", async () => {
    const { indexOfSignals } = await import('../../../electron/core/dreaming/observations');
    const { minePatterns } = await import('../../../electron/core/dreaming/mine');
    const opening = (id: string) => extractSignals({ id, agentId: 'codex:/p', events: [ev('user', 'Never commit to main directly.', { id: 'L3' }), ev('assistant', 'ok', { id: 'L4' })] });
    // The parent and two forks of it repeat the same first turn: one session of support, not three.
    const signals = [...opening('codex:parent'), ...opening('codex:fork1'), ...opening('codex:fork2')];
    const forks = { 'codex:fork1': 'codex:parent', 'codex:fork2': 'codex:fork1' };
    expect(minePatterns(indexOfSignals(signals, forks), 2)).toEqual([]);
    expect(minePatterns(indexOfSignals(signals), 2)[0].sessions.size).toBe(3);
  });
});
