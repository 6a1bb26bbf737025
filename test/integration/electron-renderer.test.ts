// The built page as the desktop window runs it, as far as Chromium without Electron can show: the
// renderer bundle under the desktop CSP (sent as a header, as main's session hook does) with the
// preload's API (`window.reverie`: invoke, onChange, onNavigate) wired to a real core's dispatch.
// It must work through IPC alone (the desktop CSP has connect-src 'none'), trip no CSP violation
// while it renders, follow the menu's "show this screen", and have the CSP refuse what it should.
// What differs in Electron (file:// instead of an http origin, contextBridge) is in docs/electron.md.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { DESKTOP_CSP } from '../../electron/main/csp';
import { launch } from '../e2e/harness';
import { PROJECT_ROOT, runCli, tempDir } from '../helpers/env';
import { writeCorpus } from '../unit/claude/corpus';

const ORIGIN = 'http://reverie.invalid';

/** The page's globals these callbacks touch (they run in Chromium; this project's Node typecheck has no DOM lib). */
interface PageElement { textContent: string | null; src: string }
interface PageGlobals extends Record<string, unknown> {
  document: {
    body: { append(e: PageElement): void };
    createElement(tag: 'script'): PageElement;
    addEventListener(type: 'securitypolicyviolation', fn: (e: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number }) => void): void;
  };
  getComputedStyle(e: unknown): { fontFamily: string };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png' };

describe('the built renderer under the desktop CSP and preload API', () => {
  const work = tempDir('reverie-renderer-');
  const build = path.join(work, 'build');
  const store = path.join(work, 'store');
  let core: Core;
  let browser: Browser;
  let page: Page;
  const calls: string[] = [];
  const outside: string[] = [];
  const failed: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '-c', 'test/unit/electron/electron.vite.renderer-only.config.ts', '--outDir', build, '--logLevel', 'error'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(runCli(['import', writeCorpus(work), '--store', store, '--json']).code).toBe(0);
    expect(runCli(['dream', '--store', store, '--json']).code).toBe(0);
    core = await openCore({ storeDir: store, host: 'electron', worker: sourceWorkerLauncher() });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('request', (req) => {
      if (!req.url().startsWith(`${ORIGIN}/`) && !req.url().startsWith('data:')) outside.push(req.url());
    });
    page.on('requestfailed', (req) => failed.push(`${req.url()} ${req.failure()?.errorText}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    // The window's page, with main's CSP header on every response.
    await page.route(`${ORIGIN}/**`, async (route) => {
      const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, '') || 'index.html';
      const file = path.join(build, 'renderer', rel);
      if (!file.startsWith(path.join(build, 'renderer')) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
      await route.fulfill({ status: 200, body: fs.readFileSync(file), headers: { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': DESKTOP_CSP } });
    });
    // The preload's API, as contextBridge exposes it: invoke goes to the core's dispatch.
    await page.exposeFunction('__reverieInvoke', async (method: string, input: unknown) => {
      calls.push(method);
      return core.dispatch(method, input);
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as PageGlobals;
      const violations: string[] = [];
      w.__violations = violations;
      w.document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
      const navigators: ((screen: string) => void)[] = [];
      w.__navigate = (screen: string) => navigators.forEach((l) => l(screen));
      w.reverie = Object.freeze({
        invoke: (method: string, input: unknown) => (w.__reverieInvoke as (m: string, i: unknown) => Promise<unknown>)(method, input),
        onChange: () => () => {},
        onNavigate: (listener: (screen: string) => void) => {
          navigators.push(listener);
          return () => navigators.splice(navigators.indexOf(listener), 1);
        },
      });
    });
    await page.goto(`${ORIGIN}/index.html`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await core?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const violations = () => page.evaluate(() => ((globalThis as unknown as PageGlobals).__violations as string[]).slice());
  /**
   * Violations other than zod's feature probe: zod 4 tries `new Function("")` once to decide
   * whether it may compile parsers, catches the refusal and validates without eval. The CSP is right
   * to refuse it; the probe is recognised by the exact bundle line it comes from.
   */
  const unexpectedViolations = async () => {
    const lineOf = (file: string, n: number) => {
      const full = path.join(build, 'renderer', 'assets', file);
      return fs.existsSync(full) ? (fs.readFileSync(full, 'utf8').split('\n')[n - 1] ?? '') : '';
    };
    return (await violations()).filter((v) => {
      const m = /^script-src eval \S+\/assets\/([^/:]+\.js):(\d+)$/.exec(v);
      return !(m && /^\s*new Function\(""\);\s*$/.test(lineOf(m[1], Number(m[2]))));
    });
  };

  it('renders the lessons through IPC alone, with no CSP violation and no network', async () => {
    await page.getByRole('main', { name: 'Lessons' }).getByRole('listitem').first().waitFor({ timeout: 30_000 });
    expect(calls).toContain('lessons.list');
    expect(await unexpectedViolations()).toEqual([]);
    expect(outside).toEqual([]);
    // The bundled font and styles loaded under font-src/style-src 'self'.
    const font = await page.evaluate(() => (globalThis as unknown as PageGlobals).getComputedStyle((globalThis as unknown as PageGlobals).document.body).fontFamily);
    expect(font).toMatch(/Inter/);
  });

  it('follows the menu\'s "show this screen"', async () => {
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).__navigate as (s: string) => void)('dreams'));
    await page.getByRole('main', { name: 'Dreams' }).waitFor();
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).__navigate as (s: string) => void)('settings'));
    await page.getByRole('main', { name: 'Settings' }).waitFor();
    expect(await unexpectedViolations()).toEqual([]);
  });

  it('the desktop CSP refuses network, inline script and foreign scripts from the page', async () => {
    const before = (await violations()).length;
    await page.evaluate(async () => {
      await fetch('https://example.com/exfiltrate').catch(() => undefined);
      const { document } = (globalThis as unknown as PageGlobals);
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
      const foreign = document.createElement('script');
      foreign.src = 'https://cdn.example.com/x.js';
      document.body.append(foreign);
      await new Promise((r) => setTimeout(r, 200));
    });
    const seen = (await violations()).slice(before).join('\n');
    expect(seen).toMatch(/connect-src https:\/\/example\.com/);
    expect(seen).toMatch(/script-src(-elem)? inline/);
    expect(seen).toMatch(/script-src(-elem)? https:\/\/cdn\.example\.com/);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__inlineRan)).toBeUndefined();
    // Chromium never sent the foreign script's request: the CSP stopped it.
    expect(failed).toContain('https://cdn.example.com/x.js csp');
    expect(refused.some((m) => /connect-src 'none'/.test(m))).toBe(true);
  });
});
