// Settings screen: thresholds and schedule saved through the core, the API key explained in
// browser mode, write-back previewed, the theme switch.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/model';
import { launch, openApp, pageErrors, screenshotThemes, serve, unnamedControls, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('Settings screen', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(fixtureStore(), { ANTHROPIC_API_KEY: '' }), launch()]);
    page = await openApp(browser, served, 'settings');
    await page.getByRole('spinbutton', { name: 'Minimum sessions' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('saves changed thresholds and schedule, and only those', async () => {
    await screenshotThemes(page, 'settings');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('spinbutton', { name: 'Minimum sessions' }).fill('4');
    await page.getByRole('combobox', { name: 'Schedule' }).selectOption('0 */6 * * *');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('All changes saved').waitFor();
    const s = await callApi<Settings>(served.origin, served.token, 'settings.get');
    expect(s.minSessions).toBe(4);
    expect(s.schedule.cron).toBe('0 */6 * * *');
    expect(s.schedule.afterNewSessions).toBe(20);
  });

  it('refuses an invalid value with the core’s message and keeps the stored one', async () => {
    await page.getByRole('textbox', { name: 'Cron pattern' }).fill('every day at noon');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').first().waitFor();
    const s = await callApi<Settings>(served.origin, served.token, 'settings.get');
    expect(s.schedule.cron).toBe('0 */6 * * *');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('says where the API key lives in browser mode', async () => {
    const key = page.getByRole('region', { name: 'Anthropic API key' });
    await expect(key.innerText()).resolves.toMatch(/only the desktop app keeps one/i);
    await expect(key.getByRole('textbox').count()).resolves.toBe(0);
  });

  it('previews write-back targets before writing', async () => {
    const wb = page.getByRole('region', { name: 'Write-back targets' });
    await wb.getByRole('button', { name: 'Preview write-back' }).click();
    await wb.getByRole('table', { name: 'Write-back targets' }).or(wb.getByText('No agent has lessons to write yet.')).waitFor();
  });

  it('switches the theme and remembers it', async () => {
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    // Read as soon as the document is parsed: the stored theme is applied when the bundle starts,
    // before React renders (which waits for the font) and before the data answers.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    await page.getByRole('button', { name: 'System theme' }).waitFor();
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    await page.getByRole('button', { name: 'System theme' }).click();
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('light');
    expect(pageErrors(page)).toEqual([]);
  });
});
