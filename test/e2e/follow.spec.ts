// Following and Cursor in the UI (browser mode, against `serve` with a temporary HOME): discovery
// lists Cursor's databases with their chat counts and imports them; the Cursor chats show on the
// Timeline; "Follow" on a discovered Claude Code folder imports its sessions in the background, and a
// session written afterwards arrives with no import; Settings lists the followed source and turns it off.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, FollowList } from '../../shared/contract';
import { buildCursorUserDir } from '../fixtures/cursor/build';
import { PROJECT_ROOT, replayClaudeSession, tempDir, until } from '../helpers/env';
import { launch, openApp, pageErrors, screenshot, serve, unnamedControls, type Served } from './harness';
import { callApi } from './stores';

const CLAUDE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'follow', 'claude-short.jsonl');

describe('Following and Cursor chats', () => {
  const work = tempDir('reverie-e2e-follow-');
  const home = path.join(work, 'home');
  const projects = path.join(home, '.claude', 'projects', '-home-dev-src-shop');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const call = <T>(method: string, input: unknown = {}) => callApi<T>(served.origin, served.token, method, input);
  let sessions = 0;
  const refreshCount = async () => (sessions = (await call<AppInfo>('app.info')).counts.sessions);

  beforeAll(async () => {
    await buildCursorUserDir(path.join(home, '.config', 'Cursor'));
    replayClaudeSession(CLAUDE, projects, 1);
    [served, browser] = await Promise.all([serve(path.join(work, 'store'), { HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', APPDATA: '' }), launch()]);
    page = await openApp(browser, served, 'import');
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('lists Cursor in discovery with its chats counted, and imports them', async () => {
    const found = page.getByRole('region', { name: 'Discovered sources' });
    const chats = found.getByRole('row', { name: 'Cursor chats' });
    await chats.getByText('2 sessions').waitFor();
    await found.getByRole('row', { name: 'Cursor workspace chats' }).getByText('2 sessions').waitFor();
    await screenshot(page, 'import-discover-cursor');
    await chats.getByRole('button', { name: 'Import Cursor chats' }).click();
    await page.getByRole('region', { name: 'Import result' }).getByText(/Cursor chats/).waitFor();
    await found.getByRole('button', { name: 'Import Cursor workspace chats' }).click();
    await page.getByRole('region', { name: 'Import result' }).getByText(/Cursor workspace chats/).waitFor();
    expect(await refreshCount()).toBe(4);
    expect(await unnamedControls(page)).toEqual([]);
  });

  it('shows the Cursor chats on the Timeline', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^timeline/i }).click();
    const grid = page.getByRole('grid', { name: 'Sessions over time' });
    await grid.getByRole('row', { name: /Fix the flaky login test — Cursor · shop/ }).waitFor();
    await grid.getByRole('row', { name: /Explain the cart reducer — Cursor · shop/ }).waitFor();
    await grid.getByRole('row', { name: /Add pagination to GET \/orders\. — Cursor · api/ }).waitFor();
    await screenshot(page, 'timeline-cursor');
  });

  it('follows a discovered folder: its sessions, and one written later, arrive with no import', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^import/i }).click();
    const row = page.getByRole('region', { name: 'Discovered sources' }).getByRole('row', { name: 'Claude Code projects' });
    await row.getByRole('button', { name: 'Follow Claude Code projects' }).click();
    await row.getByRole('button', { name: 'Follow Claude Code projects' }).getByText('Following').waitFor();
    const before = sessions;
    await until('the followed folder imported', async () => (await refreshCount()) === before + 1);
    // The agent writes a new session; nobody clicks anything.
    replayClaudeSession(CLAUDE, projects, 1);
    await until('the new session', async () => (await refreshCount()) === before + 2);
  });

  it('Settings lists the followed source with its last import, and turns it off', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^settings/i }).click();
    const section = page.getByRole('region', { name: 'Followed sources' });
    const row = section.getByRole('row', { name: 'Claude Code projects' });
    await row.getByText(path.join(home, '.claude', 'projects')).waitFor();
    await row.getByText(/1 session/).first().waitFor();
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-followed');
    await row.getByRole('switch', { name: `Follow ${path.join(home, '.claude', 'projects')}` }).click();
    await until('the source turned off', async () => (await call<FollowList>('follow.list')).sources[0]?.enabled === false);
    expect(await unnamedControls(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    expect(fs.existsSync(path.join(home, '.config', 'Cursor', 'User', 'globalStorage', 'state.vscdb-journal'))).toBe(false);
  });
});
