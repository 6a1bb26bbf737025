// Dreams screen: history with counts per operation, the diff of a dream, undo, and Dream now.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dream, Lesson } from '../../shared/model';
import { launch, openApp, pageErrors, screenshot, screenshotThemes, serve, unnamedControls, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('Dreams screen', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const history = () => page.getByRole('listbox', { name: 'Dream history' });

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(fixtureStore()), launch()]);
    page = await openApp(browser, served, 'dreams');
    await page.getByRole('listbox', { name: 'Dream history' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('lists the dream with its counts per operation and shows its changes', async () => {
    const [dream] = await callApi<Dream[]>(served.origin, served.token, 'dreams.list');
    const added = dream.changes.filter((c) => c.op === 'add');
    expect(added.length).toBeGreaterThan(0);
    const item = history().getByRole('option').first();
    await expect(item.innerText()).resolves.toContain(`${added.length} added`);
    const section = page.getByRole('region', { name: 'Added' });
    await expect(section.getByRole('article').count()).resolves.toBe(added.length);
    await expect(section.innerText()).resolves.toContain(added[0].after!.title);
    await expect(page.getByRole('group', { name: 'Dream figures' }).innerText()).resolves.toMatch(/sessions read/);
    await screenshotThemes(page, 'dreams');
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('undoes the dream: its lessons are gone and the dream says so', async () => {
    await page.getByRole('button', { name: 'Undo dream' }).click();
    await page.getByRole('status').filter({ hasText: /Dream undone/ }).waitFor();
    await history().getByRole('option').first().getByText('undone').waitFor();
    const lessons = await callApi<Lesson[]>(served.origin, served.token, 'lessons.list', { all: false });
    expect(lessons.filter((l) => l.origin === 'learned')).toEqual([]);
    // The Lessons screen, now empty, says why: held back by the undo, not "nothing recurs".
    const screens = page.getByRole('navigation', { name: 'Screens' });
    await screens.getByRole('button', { name: /Lessons/ }).click();
    const empty = page.getByRole('main').getByText(/stays? away because you deleted, rejected or undid/);
    await empty.waitFor();
    await expect(empty.innerText()).resolves.toMatch(/undone ones until their pattern recurs in more sessions/);
    await expect(page.getByRole('main').innerText()).resolves.not.toMatch(/no mistake, correction or workflow recurs/);
    await screenshot(page, 'lessons-after-undo');
    await screens.getByRole('button', { name: /Dreams/ }).click();
    await history().waitFor();
  });

  it('dreams again from the button, with the engine choice, and shows the new dream first', async () => {
    await expect(page.getByRole('combobox', { name: 'Dream engine' }).inputValue()).resolves.toBe('heuristic');
    const before = (await callApi<Dream[]>(served.origin, served.token, 'dreams.list')).length;
    await page.getByRole('main').getByRole('button', { name: 'Dream now' }).click();
    await page.getByRole('status').filter({ hasText: /Dream finished/ }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => history().getByRole('option').count()).toBe(before + 1);
    expect(pageErrors(page)).toEqual([]);
  });
});
