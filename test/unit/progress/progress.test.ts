// Progress on a generated corpus: planted mistakes that stop after their lesson's write-back date
// show as improving; ones that keep recurring are flagged stalled with the right reason (still
// recurs after write-back; never written back; too varied work; noisy store). Hand-written rules
// are tracked and contradictions flagged.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/contract/client';
import type { ProgressReport } from '../../../shared/contract/progress';
import type { Agent, Lesson } from '../../../shared/model';
import { openCore, type Core } from '../../../electron/core/core';
import { PROJECT_ROOT, sourceWorkerLauncher } from '../../../electron/core/platform/node';
import { runWriteback } from '../../../electron/core/writeback';
import { tempDir } from '../../helpers/env';
import { agent, lesson } from '../../helpers/lessons';
import { dayAt, writeCorpus } from '../../helpers/progress-corpus';

const START = '2026-10-01T00:00:00.000Z';
const WRITE_DAY = 15;

describe('progress on a generated corpus', () => {
  let core: Core;
  let report: ProgressReport;
  let agents: Record<'a' | 'b' | 'c' | 'd', Agent>;
  let lessons: Record<string, Lesson>;
  const store = tempDir('reverie-progress-');
  const projA = tempDir('reverie-proj-a-');

  beforeAll(async () => {
    fs.writeFileSync(path.join(projA, 'CLAUDE.md'), '# Shop\n\n- Never use npm here; use pnpm.\n- Keep functions small and focused.\n');
    agents = {
      a: agent('claude-code', projA, 'shop'),
      b: agent('codex', tempDir('reverie-proj-b-'), 'api'),
      c: agent('claude-code', '/nonexistent/reverie/proj-c', 'laptop-only'),
      d: agent('gemini-cli', tempDir('reverie-proj-d-'), 'ops'),
    };
    core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), demoDir: path.join(PROJECT_ROOT, 'resources', 'demo') });
    const { keys } = await writeCorpus(core.store, {
      start: START,
      days: 30,
      agents: Object.values(agents),
      planted: [
        { id: 'm1', agentId: agents.a.id, command: 'pytest tests/', error: "ModuleNotFoundError: No module named 'app'", fix: 'python -m pytest tests/', every: 1, stopsOnDay: WRITE_DAY },
        { id: 'npm', agentId: agents.a.id, command: 'npm install', error: 'npm ERR! code EUNSUPPORTEDPROTOCOL Unsupported URL Type "workspace:"', fix: 'pnpm install', every: 3 },
        { id: 'm2', agentId: agents.b.id, command: 'npx tsc --noEmit', error: "error TS2307: Cannot find module './db' or its corresponding type declarations.", fix: 'pnpm run build:types', every: 1 },
        { id: 'm3', agentId: agents.c.id, command: 'cargo build', error: 'error[E0432]: unresolved import `crate::config`', fix: 'cargo build --features config', every: 2 },
        { id: 'm4', agentId: agents.d.id, command: 'make deploy', error: "make: *** No rule to make target 'deploy'.  Stop.", fix: 'make release', every: 2 },
      ],
      noise: { [agents.d.id]: 4 },
      said: [{ agentId: agents.a.id, text: 'no, use pnpm not npm', every: 5, afterCommand: 'npm run dev' }],
    });
    const at10 = dayAt(START, 10, 0);
    const learned = (id: string, key: string, a: Agent) => lesson(id, `Lesson for ${id}`, { patternKey: key, agents: [a.id], activatedAt: at10, createdAt: at10 });
    lessons = { l1: learned('l1', keys.m1, agents.a), l2: learned('l2', keys.m2, agents.b), l3: learned('l3', keys.m3, agents.c), l4: learned('l4', keys.m4, agents.d) };
    expect(Object.values(lessons).every((l) => l.patternKey)).toBe(true);
    core.store.data.lessons.push(...Object.values(lessons));
    await core.store.writeMain();
    const api = createClient(core.dispatch);
    await api.call('lessons.seed', { packId: 'node' });
    await runWriteback({ storeDir: store, lessons: core.store.data.lessons, agents: core.store.data.agents, settings: core.store.data.settings, dryRun: false, now: dayAt(START, WRITE_DAY, 0), home: tempDir() });
    report = await api.call('progress.get');
  });
  afterAll(async () => core?.close());

  const of = (id: string) => report.lessons.find((l) => l.lessonId === id)!;
  const agentOf = (a: Agent) => report.agents.find((x) => x.agentId === a.id)!;

  it('shows a mistake that stopped after write-back as improving, with counts and dates', () => {
    const l1 = of('l1');
    expect(l1).toMatchObject({ trend: 'improving', pivotKind: 'written-back', writtenBackAt: dayAt(START, WRITE_DAY, 0), reasons: [] });
    expect(l1.before).toMatchObject({ sessions: 15, sessionsWithRecurrence: 15, occurrences: 15, rate: 1 });
    expect(l1.after).toMatchObject({ sessions: 15, sessionsWithRecurrence: 0, occurrences: 0, rate: 0 });
    expect(l1.lastRecurrence?.slice(0, 10)).toBe('2026-10-15');
    // Active from day 10, written back on day 15: days 10–14 are the control (still recurring).
    expect(l1.activeNotWritten).toMatchObject({ sessions: 5, occurrences: 5 });
    expect(l1.explanation).toMatch(/written back on 2026-10-16: 15× in 15 of 15 sessions .*since: 0× in 0 of 15 sessions/);
  });

  it('flags a mistake that keeps recurring after write-back as stalled: still recurs', () => {
    const l2 = of('l2');
    expect(l2.trend).toBe('stalled');
    expect(l2.reasons[0]).toBe('still-recurs');
    expect(l2.after.rate).toBe(1);
    expect(l2.explanation).toMatch(/still recurs although it is in the agent's file/);
  });

  it('flags a lesson whose agent has no file on this machine as stalled: not written back', () => {
    const l3 = of('l3');
    expect(l3).toMatchObject({ trend: 'stalled', pivotKind: 'activated', writtenBackAt: null });
    expect(l3.reasons[0]).toBe('not-written-back');
    expect(agentOf(agents.c)).toMatchObject({ trend: 'stalled', writtenBack: false, reasons: ['not-written-back'] });
  });

  it('names too-varied work when the agent rarely repeats anything', () => {
    const l4 = of('l4');
    expect(l4.trend).toBe('stalled');
    expect(l4.reasons).toEqual(['still-recurs', 'varied-work']);
    expect(agentOf(agents.d).repetition).toBeLessThan(0.25);
    expect(agentOf(agents.b).repetition).toBeGreaterThan(0.9);
  });

  it('gives per-agent and overall curves in daily buckets', () => {
    expect(report.bucket).toBe('day');
    expect(report.overall.sessions).toBe(120);
    expect(report.overall.buckets).toHaveLength(30);
    const a = agentOf(agents.a);
    expect(a.trend).toBe('improving');
    expect(a.buckets).toHaveLength(30);
    expect(a.buckets[0].rate).toBeGreaterThan(a.buckets[29].rate);
    expect(agentOf(agents.b)).toMatchObject({ trend: 'stalled', reasons: ['still-recurs'] });
  });

  it('tracks hand-written rules: how often they are still broken, and a suggestion', () => {
    const npm = report.rules.find((r) => r.text.startsWith('Never use npm'))!;
    expect(npm).toMatchObject({ file: path.join(projA, 'CLAUDE.md'), line: 3, position: 1, of: 2 });
    // npm install fails every 3rd day (10 sessions) and "no, use pnpm not npm" is typed every 5th: 14 distinct days.
    expect(npm.broken.sessions).toBe(14);
    expect(npm.suggestion?.kind).toBe('hook');
    const small = report.rules.find((r) => r.text.startsWith('Keep functions small'))!;
    expect(small.broken.sessions).toBe(0);
    expect(small.suggestion).toBeNull();
    // Reverie's own block in the same file is not read as hand-written rules.
    expect(fs.readFileSync(path.join(projA, 'CLAUDE.md'), 'utf8')).toContain('reverie:begin');
    expect(report.rules.filter((r) => r.file === path.join(projA, 'CLAUDE.md'))).toHaveLength(2);
  });

  it('flags a seeded practice that contradicts a hand-written rule', () => {
    const c = report.contradictions.find((x) => [x.a.source, x.b.source].includes('rule') && [x.a.source, x.b.source].includes('seeded'));
    expect(c?.reason).toMatch(/npm/);
  });

  it('calls a store with many candidates and few active lessons noisy', async () => {
    const extra = Array.from({ length: 14 }, (_, i) => lesson(`cand${i}`, `Candidate ${i}`, { status: 'candidate', patternKey: `x|${i}` }));
    core.store.data.lessons.push(...extra);
    // Keep just the four learned lessons active so candidates outnumber them more than 3 to 1 (lessons are replaced, never changed in place).
    core.store.data.lessons = core.store.data.lessons.map((l) => (l.status === 'active' && !['l1', 'l2', 'l3', 'l4'].includes(l.id) ? { ...l, status: 'retired' as const } : l));
    const noisy = await createClient(core.dispatch).call('progress.get');
    expect(noisy.store).toMatchObject({ candidates: 14, active: 4, noisy: true });
    expect(noisy.lessons.find((l) => l.lessonId === 'l2')!.reasons).toEqual(['still-recurs', 'noisy-store']);
  });
});
