// Per-lesson recurrence curves (progress.get → lessons[i].series) on a generated corpus: one session
// per agent per day for 30 days (daily buckets); a mistake that stops on the day its lesson is
// written back, one that keeps recurring every other day, and a lesson scoped to an agent with no
// sessions. Each curve shares the overall curve's buckets and adds up to the lesson's before/after.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/contract/client';
import type { ProgressReport } from '../../../shared/contract/progress';
import type { Agent } from '../../../shared/model';
import { openCore, type Core } from '../../../electron/core/core';
import { PROJECT_ROOT, sourceWorkerLauncher } from '../../../electron/core/platform/node';
import { runWriteback } from '../../../electron/core/writeback';
import { tempDir } from '../../helpers/env';
import { agent, lesson } from '../../helpers/lessons';
import { dayAt, writeCorpus } from '../../helpers/progress-corpus';

const START = '2026-10-01T00:00:00.000Z';
const DAYS = 30;
const WRITE_DAY = 12;

describe('per-lesson recurrence series', () => {
  let core: Core;
  let report: ProgressReport;
  let a: Agent;
  let b: Agent;
  const store = tempDir('reverie-series-');

  beforeAll(async () => {
    a = agent('claude-code', tempDir('reverie-series-a-'), 'shop');
    b = agent('codex', tempDir('reverie-series-b-'), 'api');
    core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), demoDir: path.join(PROJECT_ROOT, 'resources', 'demo') });
    const { keys } = await writeCorpus(core.store, {
      start: START,
      days: DAYS,
      agents: [a, b],
      planted: [
        { id: 'stops', agentId: a.id, command: 'pytest tests/', error: "ModuleNotFoundError: No module named 'app'", fix: 'python -m pytest tests/', every: 1, stopsOnDay: WRITE_DAY },
        { id: 'recurs', agentId: b.id, command: 'npx tsc --noEmit', error: "error TS2307: Cannot find module './db' or its corresponding type declarations.", fix: 'pnpm run build:types', every: 2 },
      ],
    });
    const at5 = dayAt(START, 5, 0);
    core.store.data.lessons.push(
      lesson('stops', 'Run pytest as python -m pytest', { patternKey: keys.stops, agents: [a.id], activatedAt: at5, createdAt: at5 }),
      lesson('recurs', 'Build the types before tsc', { patternKey: keys.recurs, agents: [b.id], activatedAt: at5, createdAt: at5 }),
      lesson('elsewhere', 'A lesson for an agent with no sessions here', { patternKey: keys.stops, agents: ['gemini-cli:/nowhere'], activatedAt: at5, createdAt: at5 }),
    );
    await core.store.writeMain();
    await runWriteback({ storeDir: store, lessons: core.store.data.lessons, agents: core.store.data.agents, settings: core.store.data.settings, dryRun: false, now: dayAt(START, WRITE_DAY, 0), home: tempDir() });
    report = await createClient(core.dispatch).call('progress.get');
  });
  afterAll(async () => core?.close());

  const of = (id: string) => report.lessons.find((l) => l.lessonId === id)!;

  it('gives every lesson a curve on exactly the overall buckets', () => {
    expect(report.bucket).toBe('day');
    expect(report.overall.buckets).toHaveLength(DAYS);
    for (const l of report.lessons) expect(l.series.map((x) => x.start)).toEqual(report.overall.buckets.map((x) => x.start));
  });

  it('counts the lesson\'s own sessions and recurrences per bucket, dropping to zero from the write-back day', () => {
    const l = of('stops');
    expect(l.writtenBackAt).toBe(dayAt(START, WRITE_DAY, 0));
    l.series.forEach((x, day) => {
      expect(x.start).toBe(new Date(Date.parse(START) + day * 86_400_000).toISOString());
      expect(x.sessions).toBe(1); // only agent a's session that day is in scope
      expect(x.recurrences).toBe(day < WRITE_DAY ? 1 : 0);
      expect(x.rate).toBe(x.recurrences);
    });
    // The curve adds up to the before/after windows the trend is judged on.
    expect(l.series.reduce((n, x) => n + x.recurrences, 0)).toBe(l.before.occurrences + l.after.occurrences);
    expect(l.series.reduce((n, x) => n + x.sessions, 0)).toBe(l.before.sessions + l.after.sessions);
    expect(l.trend).toBe('improving');
  });

  it('keeps showing a mistake that still recurs after write-back, with the stalled flag and its explanation', () => {
    const l = of('recurs');
    expect(l.series.map((x) => x.recurrences)).toEqual(Array.from({ length: DAYS }, (_, day) => (day % 2 === 0 ? 1 : 0)));
    expect(l.trend).toBe('stalled');
    expect(l.reasons).toContain('still-recurs');
    expect(l.explanation).toMatch(/still recurs although it is in the agent's file/);
  });

  it('leaves buckets without a session in scope empty (sessions 0), not counted as zero recurrences in real sessions', () => {
    const l = of('elsewhere');
    expect(l.series).toHaveLength(DAYS);
    expect(l.series.every((x) => x.sessions === 0 && x.recurrences === 0 && x.rate === 0)).toBe(true);
  });
});
