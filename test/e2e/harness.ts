// End-to-end harness: starts `reverie serve` (browser mode) on a store as a real child process and
// drives Debian's Chromium with playwright-core. Screenshots land in test-results/screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../helpers/env';

export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && fs.existsSync(p)) return p;
  throw new Error('Chromium not found: install Debian’s chromium package or set CHROMIUM_PATH');
}

export interface Served { url: string; origin: string; token: string; proc: ChildProcess; stop(): Promise<void> }

/**
 * Starts browser mode on `store`; resolves with the tokenized URL once the server printed it.
 * --no-build: the suite tests the build made before it (npm test builds first); a rebuild started
 * by one spec's server would swap files under the others.
 */
export function serve(store: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), 'serve', '--no-build', '--port', '0', '--store', store], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[0], origin: m[1], token: m[2], proc,
        stop: () => new Promise<void>((r) => { if (proc.exitCode !== null) return r(); proc.once('exit', () => r()); proc.kill('SIGTERM'); }),
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}):\n${out}`)); });
  });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Screenshots of the page in the light and the dark theme (the app follows the system theme by
 * default, so emulating the colour scheme switches it), leaving the page in the light theme.
 */
export async function screenshotThemes(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // A function, not a string (the page's CSP forbids eval); typed by hand, as this file is
    // typechecked without the DOM library.
    await page.waitForFunction((s) => {
      const root = (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string | undefined>; classList: { contains(c: string): boolean } } } }).document.documentElement;
      return root.dataset.theme === s && !root.classList.contains('theme-switching');
    }, scheme);
    files.push(await screenshot(page, `${name}-${scheme}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}

const uncaught = new WeakMap<Page, string[]>();
/** Uncaught errors the page threw since openApp opened it. */
export const pageErrors = (page: Page): string[] => uncaught.get(page) ?? [];

/** A page on the served app, in the light theme, at the size the screenshots use. */
export async function openApp(browser: Browser, served: Served, screen?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  uncaught.set(page, errors);
  await page.goto(screen ? served.url.replace('/#', `/?s=${screen}#`) : served.url);
  if (screen) await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: new RegExp(`^${screen}`, 'i') }).click();
  return page;
}

/**
 * Interactive elements on the page without an accessible name (no label, no text, no aria-label,
 * no title): every control must be reachable by role and name, as the specs reach them.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(UNNAMED_SCRIPT) as Promise<string[]>;
}

const UNNAMED_SCRIPT = `(() => {
  const out = [];
  const sel = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="option"], [role="row"][tabindex], [role="switch"]';
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[hidden]') || el.type === 'file') continue;
    const labelledBy = el.getAttribute('aria-labelledby');
    const viaLabel = el.labels && el.labels[0] ? el.labels[0].textContent : '';
    const name = el.getAttribute('aria-label') || (labelledBy && document.getElementById(labelledBy)?.textContent) || viaLabel || (el.innerText || '').trim() || el.getAttribute('title');
    if (!name || !name.trim()) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
})()`;
