// Timeline screen: every session on one axis, virtualized, with markers; reading a session.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/model';
import { launch, openApp, pageErrors, screenshotThemes, serve, unnamedControls, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('Timeline screen', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let sessions: Session[];

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(fixtureStore()), launch()]);
    sessions = (await callApi<{ sessions: Session[] }>(served.origin, served.token, 'sessions.list', { limit: 1000 })).sessions;
    page = await openApp(browser, served, 'timeline');
    await page.getByRole('grid', { name: 'Sessions over time' }).getByRole('row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows the sessions of every agent with error, correction and lesson markers', async () => {
    const grid = page.getByRole('grid', { name: 'Sessions over time' });
    const newest = [...sessions].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''))[0];
    await grid.getByRole('row', { name: new RegExp(escape(newest.title.slice(0, 30))) }).first().waitFor();
    const withErrors = sessions.filter((s) => s.errorCount > 0).length;
    expect(withErrors).toBeGreaterThan(0);
    await expect(grid.locator('.mark.err').count()).resolves.toBeGreaterThan(0);
    await expect(grid.locator('.mark.learn').count()).resolves.toBeGreaterThan(0);
    await expect(grid.getByRole('row', { name: 'Dream' }).count()).resolves.toBeGreaterThan(0);
    await screenshotThemes(page, 'timeline');
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('jumps to a day from the overview', async () => {
    const oldest = [...sessions].filter((s) => s.startedAt).sort((a, b) => a.startedAt!.localeCompare(b.startedAt!))[0];
    const svg = page.getByRole('img', { name: /Sessions per (day|week)/ }).locator('svg');
    const box = (await svg.boundingBox())!;
    const grid = page.getByRole('grid', { name: 'Sessions over time' });
    await expect(grid.evaluate((el) => el.scrollTop)).resolves.toBe(0);
    await svg.click({ position: { x: 2, y: box.height / 2 } });
    // The list scrolled down to the oldest day (the newest sessions are at the top).
    await expect.poll(() => grid.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await grid.getByRole('row', { name: new RegExp(escape(oldest.title.slice(0, 30))) }).first().waitFor();
    await grid.evaluate((el) => { el.scrollTop = 0; });
  });

  it('filters to sessions with errors or corrections', async () => {
    await page.getByRole('combobox', { name: 'Show' }).selectOption('errors');
    const n = sessions.filter((s) => s.errorCount + s.correctionCount > 0).length;
    await expect.poll(() => page.locator('.page-head .sub').innerText()).toMatch(new RegExp(`^${n} sessions? of ${sessions.length}`));
    await page.getByRole('combobox', { name: 'Show' }).selectOption('all');
  });

  it('opens a session beside the list and walks rows with the keyboard', async () => {
    const grid = page.getByRole('grid', { name: 'Sessions over time' });
    const rows = grid.locator('.tl-row');
    await rows.first().click();
    const reader = page.getByRole('region', { name: 'Session' });
    await reader.getByRole('log', { name: 'Conversation' }).locator('.event').first().waitFor();
    const firstTitle = await reader.locator('h2').innerText();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => reader.locator('h2').innerText()).not.toBe(firstTitle);
    await screenshotThemes(page, 'timeline-session');
    await reader.getByRole('button', { name: 'Close session' }).click();
    await reader.waitFor({ state: 'detached' });
    expect(pageErrors(page)).toEqual([]);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
