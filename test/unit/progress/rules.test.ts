import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../shared/model';
import { claudePatternKey } from '../../../electron/core/dreaming/claude/keys';
import { bucketStart, buckets, lessonMatcher, trendOf } from '../../../electron/core/progress/compute';
import { breaks, findContradictions, handRules, hookSnippet, parseRules, suggest, trackRules } from '../../../electron/core/progress/rules';
import { lesson } from '../../helpers/lessons';

const sig = (over: Partial<Signal>): Signal => ({ id: 'x', sessionId: 's1', agentId: 'a', kind: 'correction', key: 'k', text: '', eventIds: ['e'], excerpt: '', timestamp: null, ...over });

describe('hand-written rules', () => {
  it('are bullets and imperative lines outside the Reverie block, code fences and front matter', () => {
    const text = ['---', 'alwaysApply: true', '---', '# Rules', 'Always run the tests first.', 'Some prose about the project.', '- **Use pnpm**, never npm.', '```', '- not a rule', '```', '<!-- reverie:begin -->', '- a Reverie lesson', '<!-- reverie:end -->', '  2. Keep PRs small please', '- ok'].join('\n');
    expect(parseRules(text)).toEqual([
      { line: 5, text: 'Always run the tests first.' },
      { line: 7, text: 'Use pnpm, never npm.' },
      { line: 14, text: 'Keep PRs small please' },
    ]);
  });

  it('are broken by a correction about the same thing, or by running a command they reject', () => {
    expect(breaks('Never use npm here; use pnpm.', sig({ text: 'no, use pnpm not npm' }))).toBe(true);
    expect(breaks('Never use npm here; use pnpm.', sig({ kind: 'tool_error', excerpt: 'Bash npm install\n→ npm ERR! x' }))).toBe(true);
    expect(breaks('Never use npm here; use pnpm.', sig({ kind: 'tool_error', excerpt: 'Bash pnpm install\n→ ERR' }))).toBe(false);
    expect(breaks('Keep functions small.', sig({ text: 'please write docs for the parser' }))).toBe(false);
  });

  it('get a suggestion only once broken in two sessions: a hook, moving up, or sharper wording', () => {
    const files = [{ file: 'CLAUDE.md', text: Array.from({ length: 12 }, (_, i) => `- Rule number ${i} about topic${i} details${i}`).join('\n'), agentIds: ['a'], tool: 'codex' as const }];
    const rules = handRules(files);
    expect(rules[11]).toMatchObject({ position: 12, of: 12 });
    expect(suggest(rules[11], [sig({})])?.kind).toBe('move-up');
    expect(suggest(rules[0], [sig({ text: 'topic0 details0 again' })])).toMatchObject({ kind: 'sharpen', text: expect.stringContaining('"topic0 details0 again"') });
    const hook = { ...rules[0], text: 'Never use npm; use pnpm.', tool: 'claude-code' as const };
    const h = suggest(hook, [sig({ kind: 'tool_error', excerpt: 'npm install' })]);
    expect(h?.kind).toBe('hook');
    const cfg = JSON.parse(h!.snippet!) as { hooks: { PreToolUse: { matcher: string; hooks: { type: string; command: string }[] }[] } };
    expect(cfg.hooks.PreToolUse[0]).toMatchObject({ matcher: 'Bash', hooks: [{ type: 'command', command: expect.stringContaining('exit 2') }] });
    const sessions = [{ id: 's1', agentId: 'a', at: '2026-10-01T00:00:00Z' }, { id: 's2', agentId: 'a', at: '2026-10-02T00:00:00Z' }];
    const once = trackRules([rules[0]], sessions, new Map([['s1', [sig({ sessionId: 's1', text: 'topic0 details0 wrong' })]]]));
    expect(once[0]).toMatchObject({ broken: { sessions: 1, occurrences: 1 }, suggestion: null });
    const twice = trackRules([rules[0]], sessions, new Map([['s1', [sig({ sessionId: 's1', text: 'topic0 details0 wrong' })]], ['s2', [sig({ sessionId: 's2', text: 'topic0 details0 wrong again' })]]]));
    expect(twice[0]).toMatchObject({ broken: { sessions: 2, lastAt: '2026-10-02T00:00:00Z' }, suggestion: { kind: 'sharpen' } });
  });

  const hasJq = spawnSync('jq', ['--version']).status === 0;
  it.skipIf(!hasJq)('suggest a hook that really blocks the rejected command and lets others through', () => {
    const cmd = (JSON.parse(hookSnippet(['npm'], "Never use npm here; use pnpm.")) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } }).hooks.PreToolUse[0].hooks[0].command;
    const run = (c: string) => spawnSync('sh', ['-c', cmd], { input: JSON.stringify({ tool_input: { command: c } }), encoding: 'utf8' });
    expect(run('npm install')).toMatchObject({ status: 2, stderr: expect.stringContaining('Never use npm here') });
    expect(run('cd web && npm run build').status).toBe(2);
    expect(run('pnpm install').status).toBe(0);
    expect(run('echo npmx').status).toBe(0);
  });

  it('contradictions need overlapping scope, and seeded practices never conflict among themselves', () => {
    const rules = handRules([{ file: 'AGENTS.md', text: '- Use pnpm, not npm.\n', agentIds: ['codex:/api'], tool: 'codex' }]);
    const lessons = [
      lesson('learned', 'Run npm install before the tests.', { agents: ['codex:/api'] }),
      lesson('elsewhere', 'Use yarn for installs.', { agents: ['claude-code:/shop'] }),
      lesson('s1', 'Use npm ci in CI.', { origin: 'seeded' }),
      lesson('s2', 'Use pnpm install with a frozen lockfile.', { origin: 'seeded' }),
    ];
    const found = findContradictions(lessons, rules).map((c) => [c.a.ref, c.b.ref].sort().join(' vs '));
    expect(found).toContain('AGENTS.md:1 vs learned');
    expect(found).toContain('AGENTS.md:1 vs s1');
    expect(found.some((f) => f.includes('elsewhere') && f.includes('AGENTS.md'))).toBe(false);
    expect(found).not.toContain('s1 vs s2');
  });
});

describe('which signals are a lesson\'s pattern again', () => {
  it('its pattern key, its signal keys, the keys a Claude-made lesson covers; wording for seeded ones', () => {
    expect(lessonMatcher(lesson('a', 'x', { patternKey: 'bash|boom', signalKeys: ['bash|bang'] }))(sig({ key: 'bash|bang' }))).toBe(true);
    const claude = lessonMatcher(lesson('c', 'x', { patternKey: claudePatternKey(['k1', 'k2']) }));
    expect([claude(sig({ key: 'k1' })), claude(sig({ key: 'k2' })), claude(sig({ key: 'k3' }))]).toEqual([true, true, false]);
    const seeded = lessonMatcher(lesson('s', 'Never use npm here; use pnpm.', { origin: 'seeded', patternKey: 'seed|x' }));
    expect(seeded(sig({ kind: 'correction', key: 'other', text: 'no, use pnpm not npm' }))).toBe(true);
    expect(seeded(sig({ kind: 'tool_error', key: 'other', text: 'no, use pnpm not npm' }))).toBe(false);
    expect(lessonMatcher(lesson('l', 'Never use npm here; use pnpm.', { patternKey: 'k' }))(sig({ key: 'other', text: 'no, use pnpm not npm' }))).toBe(false);
  });
});

describe('trends and buckets', () => {
  const w = (sessions: number, occurrences: number) => ({ sessions, sessionsWithRecurrence: Math.min(sessions, occurrences), occurrences, rate: sessions ? occurrences / sessions : 0, from: null, to: null });
  it('need three sessions after the pivot and a halved rate to call improving', () => {
    expect(trendOf(w(5, 0), w(5, 0), 'x')).toBe('no-signal');
    expect(trendOf(w(5, 5), w(2, 0), 'x')).toBe('too-early');
    expect(trendOf(w(5, 5), w(5, 0), null)).toBe('too-early');
    expect(trendOf(w(10, 10), w(10, 5), 'x')).toBe('improving');
    expect(trendOf(w(10, 10), w(10, 6), 'x')).toBe('stalled');
    expect(trendOf(w(10, 0), w(10, 3), 'x')).toBe('stalled');
  });

  it('buckets by day, ISO week (Monday) or month', () => {
    expect(bucketStart('2026-11-25T18:00:00Z', 'day')).toBe('2026-11-25T00:00:00.000Z');
    expect(bucketStart('2026-11-25T18:00:00Z', 'week')).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart('2026-11-29T18:00:00Z', 'week')).toBe('2026-11-23T00:00:00.000Z');
    expect(bucketStart('2026-11-25T18:00:00Z', 'month')).toBe('2026-11-01T00:00:00.000Z');
    expect(buckets([{ at: '2026-11-24T01:00:00Z', n: 2 }, { at: '2026-11-26T01:00:00Z', n: 0 }, { at: '2026-12-01T01:00:00Z', n: 1 }], 'week')).toEqual([
      { start: '2026-11-23T00:00:00.000Z', sessions: 2, recurrences: 2, rate: 1 },
      { start: '2026-11-30T00:00:00.000Z', sessions: 1, recurrences: 1, rate: 1 },
    ]);
  });
});
