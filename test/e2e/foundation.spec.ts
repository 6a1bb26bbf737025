// The foundation loop in a real browser: sessions imported and dreamt through the CLI show up on
// the Lessons screen; pinning persists across a reload.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, replayClaudeSession, runCli, tempDir } from '../helpers/env';
import { launch, screenshot, serve, type Served } from './harness';

describe('browser mode: lessons on screen', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'logs'), 3);
    expect(runCli(['import', path.join(work, 'logs'), '--store', store]).code).toBe(0);
    expect(runCli(['dream', '--store', store]).code).toBe(0);
    served = await serve(store);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('lists the learned lesson and keeps a pin after reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(served.url);
    const lesson = page.getByRole('listitem').filter({ hasText: /nothing to commit/i }).first();
    await lesson.waitFor();
    await screenshot(page, 'foundation-lessons');
    await lesson.getByRole('button', { name: 'Pin', exact: true }).click();
    await page.getByText('pinned', { exact: true }).first().waitFor();
    await page.reload();
    const again = page.getByRole('listitem').filter({ hasText: /nothing to commit/i }).first();
    await again.getByRole('button', { name: 'Unpin' }).waitFor();
    const pinned = JSON.parse(runCli(['lessons', '--json', '--store', store]).stdout) as { pinned: boolean; text: string }[];
    expect(pinned.find((l) => /nothing to commit/i.test(l.text))?.pinned).toBe(true);
  });

  it('refuses API calls without the token', async () => {
    const res = await fetch(`${served.origin}/api/lessons.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
