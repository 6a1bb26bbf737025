// The store's recovery notices in the app shell: a store whose reverie.json was cut short (a crash
// mid-copy, a full disk) is restored from its newest backup when `reverie serve` opens it, and the
// app says so in a banner the user can dismiss (and that stays dismissed on reload).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp, pageErrors, screenshot, serve, type Served } from './harness';
import { callApi, fixtureStore } from './stores';

describe('store recovery notices', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const store = fixtureStore();
    const doc = path.join(store, 'reverie.json');
    const text = fs.readFileSync(doc, 'utf8');
    expect(fs.readdirSync(path.join(store, 'backups')).some((n) => n.startsWith('reverie.') && n.endsWith('.bak'))).toBe(true);
    fs.writeFileSync(doc, text.slice(0, Math.floor(text.length / 2)));
    [served, browser] = await Promise.all([serve(store), launch()]);
    page = await openApp(browser, served);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows what was restored, keeps working on the restored data, and can be dismissed for good', async () => {
    const banner = page.getByRole('alert', { name: 'Store notices' });
    await banner.waitFor();
    const text = await banner.innerText();
    expect(text).toMatch(/reverie\.json was damaged \(.+\); it was moved to .+ and the store was restored from the backup of \d{4}-\d\d-\d\dT/);
    // The banner repeats exactly what the core reported.
    const info = await callApi<{ notices: string[]; counts: { sessions: number } }>(served.origin, served.token, 'app.info');
    expect(info.notices.length).toBeGreaterThan(0);
    for (const n of info.notices) expect(text).toContain(n);
    // The restored store is usable: the backup (taken when the dream opened the store) holds the
    // imported sessions, and the sidebar counts them.
    expect(info.counts.sessions).toBeGreaterThan(0);
    await page.getByText(`${info.counts.sessions} sessions`).first().waitFor();
    await screenshot(page, 'store-notice-banner');

    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await page.getByText(`${info.counts.sessions} sessions`).first().waitFor();
    await expect(page.getByRole('alert', { name: 'Store notices' }).count()).resolves.toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });

  it('stays up when the app state changes before the store has answered', async () => {
    // Hold app.info back and switch the theme meanwhile: an update while nothing is loaded yet once
    // sent the shell into an endless re-render (React #185), seen when a scheduled dream started
    // with the server.
    const early = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    early.on('pageerror', (e) => errors.push(e.message));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await early.route('**/api/app.info', async (route) => { await held; await route.continue(); });
    await early.goto(served.url);
    await early.getByRole('button', { name: 'Dark theme' }).click();
    await early.getByRole('button', { name: 'Light theme' }).click();
    release();
    await early.getByRole('navigation', { name: 'Screens' }).waitFor();
    await early.getByRole('alert', { name: 'Store notices' }).waitFor();
    expect(errors).toEqual([]);
    await early.close();
  });
});
