// Progress screen: overall figures and curves, per-lesson recurrence with its trend.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { runWriteback } from '../../electron/core/writeback';
import { tempDir } from '../helpers/env';
import { agent, lesson } from '../helpers/lessons';
import { dayAt, writeCorpus } from '../helpers/progress-corpus';
import { launch, openApp, pageErrors, screenshotThemes, serve, unnamedControls, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('Progress screen', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(fixtureStore()), launch()]);
    page = await openApp(browser, served, 'progress');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows overall figures, the recurrence curve and every lesson with its trend', async () => {
    const kpis = page.getByRole('group', { name: 'Overall figures' });
    await kpis.waitFor();
    await expect(kpis.innerText()).resolves.toMatch(/recurrences per session/);
    // The chart is drawn (recharts renders an SVG surface with the area path).
    await page.getByRole('region', { name: /Recurrences per session/ }).locator('svg path').first().waitFor();
    const lessons = await callApi<Lesson[]>(served.origin, served.token, 'lessons.list');
    const list = page.getByRole('list', { name: "Lessons' recurrence" });
    await expect(list.getByRole('listitem').count()).resolves.toBe(lessons.length);
    const row = list.getByRole('listitem', { name: lessons[0].title });
    await expect(row.innerText()).resolves.toMatch(/Improving|Stalled|Too early|No signal/);
    await expect(row.innerText()).resolves.toMatch(/\d\.\d\d → \d\.\d\d/);
    await screenshotThemes(page, 'progress');
    expect(await unnamedControls(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });
});

describe('Progress screen: per-lesson curves around the write-back date', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const START = '2026-10-01T00:00:00.000Z';
  const WRITE_DAY = 14;

  beforeAll(async () => {
    // A generated month: one mistake stops the day its lesson is written back, one keeps recurring.
    const store = path.join(tempDir('reverie-e2e-curves-'), 'store');
    const a = agent('claude-code', tempDir('reverie-e2e-proj-a-'), 'shop');
    const b = agent('codex', tempDir('reverie-e2e-proj-b-'), 'api');
    const core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const { keys } = await writeCorpus(core.store, {
        start: START, days: 28, agents: [a, b],
        planted: [
          { id: 'stops', agentId: a.id, command: 'pytest tests/', error: "ModuleNotFoundError: No module named 'app'", fix: 'python -m pytest tests/', every: 1, stopsOnDay: WRITE_DAY },
          { id: 'recurs', agentId: b.id, command: 'npx tsc --noEmit', error: "error TS2307: Cannot find module './db'", fix: 'pnpm run build:types', every: 2 },
        ],
      });
      const at7 = dayAt(START, 7, 0);
      core.store.data.lessons.push(
        lesson('stops', 'Run pytest as python -m pytest', { patternKey: keys.stops, agents: [a.id], activatedAt: at7, createdAt: at7 }),
        lesson('recurs', 'Build the types before running tsc', { patternKey: keys.recurs, agents: [b.id], activatedAt: at7, createdAt: at7 }),
      );
      await core.store.writeMain();
      await runWriteback({ storeDir: store, lessons: core.store.data.lessons, agents: core.store.data.agents, settings: core.store.data.settings, dryRun: false, now: dayAt(START, WRITE_DAY, 0), home: tempDir() });
    } finally {
      await core.close();
    }
    [served, browser] = await Promise.all([serve(store), launch()]);
    page = await openApp(browser, served, 'progress');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws each lesson\'s curve with its write-back and activation marks, and keeps the stalled explanation', async () => {
    const list = page.getByRole('list', { name: "Lessons' recurrence" });
    const stops = list.getByRole('listitem', { name: 'Run pytest as python -m pytest' });
    const recurs = list.getByRole('listitem', { name: 'Build the types before running tsc' });
    for (const row of [stops, recurs]) {
      const curve = row.getByRole('img', { name: /^Recurrence curve: 28 points, written back .+, active since / });
      await curve.locator('.recharts-line path').first().waitFor();
      await expect(curve.locator('.recharts-reference-line').count()).resolves.toBe(2);
    }
    await expect(stops.innerText()).resolves.toMatch(/Improving/);
    await expect(recurs.innerText()).resolves.toMatch(/Stalled/);
    await expect(recurs.getByRole('note').innerText()).resolves.toMatch(/still recurs although it is in the agent's file/);
    // The improving lesson's line falls to the bottom after the mark; the stalled one keeps zig-zagging.
    const report = await callApi<{ lessons: { lessonId: string; series: { recurrences: number }[] }[] }>(served.origin, served.token, 'progress.get');
    const series = (id: string) => report.lessons.find((l) => l.lessonId === id)!.series.map((x) => x.recurrences);
    expect(series('stops')).toEqual(Array.from({ length: 28 }, (_, d) => (d < WRITE_DAY ? 1 : 0)));
    expect(series('recurs').slice(WRITE_DAY).some((n) => n > 0)).toBe(true);
    await list.scrollIntoViewIfNeeded();
    await screenshotThemes(page, 'progress-lesson-curves');
    expect(pageErrors(page)).toEqual([]);
  });
});
