// Progress screen: overall figures and curves, per-lesson recurrence with its trend.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
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
