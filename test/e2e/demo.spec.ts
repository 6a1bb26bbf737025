// The bundled demo, from the first-run state: "Load demo data" imports it through the real
// importer and dreams once, and the Lessons screen fills with what the demo team keeps doing.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../shared/contract';
import { tempDir } from '../helpers/env';
import { launch, openApp, pageErrors, screenshotThemes, serve, type Served } from './harness';
import { callApi } from './stores';

describe('demo data', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [served, browser] = await Promise.all([serve(path.join(tempDir('reverie-e2e-demo-'), 'store')), launch()]);
    page = await openApp(browser, served);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('loads the demo from the empty state and shows its lessons grouped by kind', async () => {
    await page.getByRole('button', { name: 'Load demo data' }).click();
    await page.getByRole('region', { name: 'Mistakes' }).waitFor({ timeout: 60_000 });
    const info = await callApi<AppInfo>(served.origin, served.token, 'app.info');
    expect(info.counts.sessions).toBeGreaterThanOrEqual(50);
    expect(info.counts.agents).toBe(3);
    await expect(page.getByRole('region', { name: 'Preferences' }).getByRole('listitem').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('region', { name: 'Workflows' }).getByRole('listitem').count()).resolves.toBeGreaterThan(0);
    await page.getByRole('status').filter({ hasText: /Dream finished/ }).getByRole('button', { name: 'Dismiss' }).click();
    await screenshotThemes(page, 'lessons-demo');
    expect(pageErrors(page)).toEqual([]);
  });
});
