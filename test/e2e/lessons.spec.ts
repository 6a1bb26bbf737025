// Lessons screen in a real browser: grouping, filters and search, the evidence drawer with the
// source message in context, pin, inline edit, delete with undo, seeding, keyboard use.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
import { launch, openApp, pageErrors, screenshotThemes, serve, unnamedControls, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('Lessons screen', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const lessons = () => callApi<Lesson[]>(served.origin, served.token, 'lessons.list', { all: true });
  const lessonCard = () => page.getByRole('listitem').filter({ hasText: /nothing to commit/i }).first();

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(fixtureStore()), launch()]);
    page = await openApp(browser, served);
    await lessonCard().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('loads without layout jumps', async () => {
    // Cumulative layout shift since navigation (Chromium's Layout Instability API).
    const cls = (await page.evaluate(`new Promise((resolve) => {
      let sum = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; }).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => resolve(sum), 300);
    })`)) as number;
    expect(cls).toBeLessThan(0.02);
  });

  it('groups the learned lesson under its kind with support and confidence, in both themes', async () => {
    const mistakes = page.getByRole('region', { name: 'Mistakes' });
    await expect(mistakes.getByRole('listitem').count()).resolves.toBeGreaterThan(0);
    const text = await lessonCard().innerText();
    expect(text).toMatch(/\d+ sessions/);
    expect(text).toMatch(/\d+% confidence/);
    await screenshotThemes(page, 'lessons');
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('filters by search and kind, and teaches how to get back', async () => {
    await page.getByRole('searchbox', { name: 'Search lessons' }).fill('no such lesson anywhere');
    await page.getByRole('region', { name: 'No lessons match' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await lessonCard().waitFor();
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('preference');
    await page.getByRole('region', { name: 'No lessons match' }).waitFor();
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('mistake');
    await lessonCard().waitFor();
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
  });

  it('opens the evidence drawer with the source message in its conversation', async () => {
    const [first] = (await lessons()).filter((l) => /nothing to commit/i.test(l.text));
    await lessonCard().getByRole('button', { name: /^Evidence/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Evidence' });
    await drawer.waitFor();
    const context = drawer.getByLabel('Conversation context').first();
    await context.waitFor();
    // The evidence event itself is marked within its neighbours.
    const here = context.locator('[aria-current="true"]');
    await expect(here.innerText()).resolves.toMatch(/nothing to commit/i);
    await expect(context.locator('.event').count()).resolves.toBeGreaterThan(1);
    expect(await drawer.getByRole('article').count()).toBe(first.evidence.length);
    await screenshotThemes(page, 'lessons-evidence');
    await drawer.getByRole('button', { name: 'Open full session' }).first().click();
    const session = page.getByRole('dialog', { name: 'Session' });
    await session.getByRole('log', { name: 'Conversation' }).waitFor();
    await page.keyboard.press('Escape');
    await session.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('pins from the keyboard and keeps it', async () => {
    await lessonCard().focus();
    await page.keyboard.press('p');
    await lessonCard().getByText('pinned', { exact: true }).waitFor();
    const pinned = (await lessons()).find((l) => /nothing to commit/i.test(l.text));
    expect(pinned?.pinned).toBe(true);
    await lessonCard().getByRole('button', { name: 'Unpin' }).click();
    await lessonCard().getByRole('button', { name: 'Pin', exact: true }).waitFor();
  });

  it('edits a lesson inline; the edit is stored and marked', async () => {
    await lessonCard().getByRole('button', { name: 'Edit' }).click();
    const text = page.getByRole('textbox', { name: 'Lesson text' });
    await text.fill('Check `git status` before committing: nothing to commit means the change is already in.');
    // The new wording's reach in past sessions, before saving.
    await page.getByText(/Would have applied in \d+ of \d+ past sessions/).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await lessonCard().getByText('edited', { exact: true }).waitFor();
    const edited = (await lessons()).find((l) => /nothing to commit/i.test(l.text));
    expect(edited?.text).toMatch(/^Check `git status`/);
    expect(edited?.userEdited).toBe(true);
  });

  it('deletes with an undo toast that restores the lesson', async () => {
    const before = (await lessons()).length;
    await lessonCard().getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByRole('status').filter({ hasText: /Deleted/ });
    await toast.waitFor();
    expect((await lessons()).length).toBe(before - 1);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await lessonCard().waitFor();
    expect((await lessons()).length).toBe(before);
  });

  it('seeds lessons from pasted markdown with a preview', async () => {
    await page.getByRole('button', { name: 'Seed lessons' }).click();
    const dialog = page.getByRole('dialog', { name: 'Seed lessons' });
    await dialog.getByRole('textbox', { name: /Lessons to seed/ }).fill('## Practices\n- Run the whole test suite before every commit.\n- Keep pull requests under 400 changed lines.\n');
    await dialog.getByText('2 lessons to add').waitFor();
    await screenshotThemes(page, 'lessons-seed');
    await dialog.getByRole('button', { name: 'Seed', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: /Run the whole test suite/i }).waitFor();
    const seeded = (await lessons()).filter((l) => l.origin === 'seeded');
    expect(seeded.map((l) => l.text).join('\n')).toMatch(/400 changed lines/);
  });

  it('moves between screens with the keyboard', async () => {
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('button', { name: /^Lessons/ }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(nav.getByRole('button', { name: /^Dreams/ }).getAttribute('aria-current')).resolves.toBe('page');
    await page.keyboard.press('Control+1');
    await expect(nav.getByRole('button', { name: /^Lessons/ }).getAttribute('aria-current')).resolves.toBe('page');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Pin or unpin').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    expect(pageErrors(page)).toEqual([]);
  });
});
