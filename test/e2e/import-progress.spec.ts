// Import at scale through the UI: a generated Claude Code projects folder of a few hundred small
// sessions under a temporary HOME. Discovery lists it with its session count, file count and size
// (counted without reading a file); importing it by path shows live progress (the core notifies
// 'import.progress'), and the result counts every session.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../shared/contract';
import { tempDir } from '../helpers/env';
import { launch, openApp, pageErrors, screenshot, serve, type Served } from './harness';
import { callApi } from './stores';

const SESSIONS = 360;

/** A small, well-formed Claude Code session: a few user/assistant turns with a failing command. */
function writeSession(dir: string, i: number): number {
  const sessionId = randomUUID();
  const cwd = `/home/dev/src/app${i % 3}`;
  let parent: string | null = null;
  let t = Date.parse('2026-09-01T09:00:00Z') + i * 3_600_000;
  const lines: string[] = [];
  const push = (type: 'user' | 'assistant', content: unknown) => {
    const uuid = randomUUID();
    t += 20_000;
    const message = type === 'user' ? { role: 'user', content } : { role: 'assistant', model: 'claude-sonnet-5-5', content: [{ type: 'text', text: content }] };
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd, sessionId, type, message, uuid, timestamp: new Date(t).toISOString() }));
    parent = uuid;
  };
  push('user', `Task ${i}: fix the failing test in module ${i % 17}.`);
  push('assistant', 'Running the tests first.');
  push('user', i % 4 === 0 ? 'no, use pnpm test, not npm test' : 'ok, go on');
  push('assistant', 'Done: the test passes now.');
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(path.join(dir, `${sessionId}.jsonl`), text);
  return Buffer.byteLength(text);
}

describe('Import screen: a discovered folder of a few hundred sessions', () => {
  const home = tempDir('reverie-e2e-home-');
  const projects = path.join(home, '.claude', 'projects');
  let bytes = 0;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    for (let i = 0; i < SESSIONS; i++) {
      const dir = path.join(projects, `-home-dev-src-app${i % 3}`);
      fs.mkdirSync(dir, { recursive: true });
      bytes += writeSession(dir, i);
    }
    // Discovery reads HOME and the tools' own overrides: point them all at the generated home.
    const env = { HOME: home, USERPROFILE: home, CLAUDE_CONFIG_DIR: path.join(home, '.claude'), CODEX_HOME: path.join(home, '.codex'), APPDATA: '' };
    [served, browser] = await Promise.all([serve(path.join(tempDir('reverie-e2e-import-scale-'), 'store'), env), launch()]);
    page = await openApp(browser, served, 'import');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('lists the source with its session count, file count and size', async () => {
    const row = page.getByRole('region', { name: 'Discovered sources' }).getByRole('row', { name: 'Claude Code projects' });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(projects);
    expect(text).toContain(`${SESSIONS} sessions`);
    expect(text).toContain(`${SESSIONS} files · ${Math.round(bytes / 1024)} KB`);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'import-discovered-counts');
  });

  it('imports the folder by path with live progress, then counts every session', async () => {
    // Record every state of the progress card from inside the page: a fast import may show it briefly.
    await page.evaluate(`(() => {
      window.__progress = [];
      new MutationObserver(() => {
        const card = document.querySelector('[aria-label="Import progress"]');
        if (!card) return;
        const count = card.querySelector('[aria-label="Import count"]');
        const s = count ? count.textContent : 'started';
        if (window.__progress.at(-1) !== s) window.__progress.push(s);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('textbox', { name: 'Path on this machine' }).fill(projects);
    await page.getByRole('button', { name: 'Import path' }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result.waitFor({ timeout: 120_000 });
    const seen = (await page.evaluate('window.__progress')) as string[];
    // The progress card appeared; any counts it showed moved forward and stayed within the folder.
    expect(seen.length).toBeGreaterThan(0);
    const done = seen.map((s) => /^(\d+) of (\d+) files/.exec(s ?? '')).filter((m): m is RegExpExecArray => !!m).map((m) => [Number(m[1]), Number(m[2])]);
    for (const [n, total] of done) { expect(total).toBe(SESSIONS); expect(n).toBeLessThanOrEqual(SESSIONS); }
    expect(done.map(([n]) => n)).toEqual([...done.map(([n]) => n)].sort((a, b) => a - b));
    console.log(`import progress states seen: ${JSON.stringify(seen)}`);

    const figures = await result.innerText();
    expect(figures).toMatch(new RegExp(`${SESSIONS}\\s+files read`));
    expect(figures).toMatch(new RegExp(`${SESSIONS}\\s+new sessions`));
    expect((await callApi<AppInfo>(served.origin, served.token, 'app.info')).counts.sessions).toBe(SESSIONS);
    await screenshot(page, 'import-scale-result');
    expect(pageErrors(page)).toEqual([]);
  });
});
