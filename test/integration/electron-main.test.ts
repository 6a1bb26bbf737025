// The BUILT desktop app, started under plain Node with only the `electron` module replaced.
// electron-vite builds main, preload and the worker chunk (not the renderer) into a scratch folder (inside
// node_modules/.cache, so the bundles resolve their dependencies exactly as a packaged app does);
// a require hook hands the bundles a recording fake of Electron (test/unit/electron/fake-electron.ts).
// Everything else is real: the core opens a real store under userData, the dream runs in a real
// worker thread from the built chunk, and the IPC handler is the one main registered.
// What this cannot show (a real Chromium enforcing these settings) is listed in docs/electron.md.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { PROJECT_ROOT, runCli, tempDir, until } from '../helpers/env';
import { writeCorpus } from '../unit/claude/corpus';
import { createFakeElectron, FakeWebContents, type FakeElectron } from '../unit/electron/fake-electron';
import { SECURE_WEB_PREFERENCES } from '../helpers/electron-security';

const requireFromHere = createRequire(import.meta.url);
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

let currentFake: FakeElectron | null = null;
const originalLoad = loader._load;

function installElectronHook(): void {
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') {
      if (!currentFake) throw new Error('electron required with no fake installed');
      return currentFake.module;
    }
    return originalLoad.call(this, request, parent, isMain);
  };
}

/** Loads a bundle afresh (its module state is per run) under the given fake. */
function loadBundle(file: string, fake: FakeElectron): void {
  currentFake = fake;
  delete requireFromHere.cache[file];
  requireFromHere(file);
}

const items = (m: { template: MenuItemConstructorOptions[] } | null | undefined): MenuItemConstructorOptions[] => m?.template ?? [];
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as unknown as () => void)();

describe('the built main bundle under a fake electron module', () => {
  const build = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'reverie-electron-harness', randomUUID());
  const mainBundle = path.join(build, 'main', 'index.cjs');
  const preloadBundle = path.join(build, 'preload', 'index.cjs');
  const rendererIndex = path.join(build, 'renderer', 'index.html');
  const ourPage = pathToFileURL(rendererIndex).href;
  const work = tempDir('reverie-electron-');
  const userData = path.join(work, 'userData');
  const storeDir = path.join(userData, 'store');
  const logs: string[] = [];
  let fake: FakeElectron;
  const savedEnv = { REVERIE_HOME: process.env.REVERIE_HOME, ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY };

  beforeAll(async () => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '-c', 'test/unit/electron/electron.vite.main-only.config.ts', '--outDir', build, '--logLevel', 'error'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of [mainBundle, preloadBundle]) expect(fs.existsSync(f), f).toBe(true);
    // A store with recurring patterns, so "Dream now" in the tray has lessons to announce.
    expect(runCli(['import', writeCorpus(work), '--store', storeDir, '--json']).code).toBe(0);
    // Where the window was when the app last quit (on the fake's one 1920×1050 display).
    fs.mkdirSync(userData, { recursive: true });
    fs.writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({ x: 140, y: 90, width: 1010, height: 690, maximized: false, fullScreen: false }));
    // The app must find its store through userData, as it does for a user.
    delete process.env.REVERIE_HOME;
    delete process.env.ANTHROPIC_API_KEY;
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.map(String).join(' ')));
    installElectronHook();
    fake = createFakeElectron({ singleInstanceLock: true, userData, appPath: PROJECT_ROOT });
    loadBundle(mainBundle, fake);
  }, 120_000);

  afterAll(() => {
    loader._load = originalLoad;
    vi.restoreAllMocks();
    for (const [k, v] of Object.entries(savedEnv)) if (v !== undefined) process.env[k] = v;
    fs.rmSync(build, { recursive: true, force: true });
  });

  it('bundles require only built-ins, electron, their own files and packaged runtime dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const requiresOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    const chunks = fs.readdirSync(path.join(build, 'main', 'chunks')).map((f) => path.join(build, 'main', 'chunks', f));
    const worker = chunks.find((f) => /dream-[\w-]+\.cjs$/.test(f));
    expect(worker, 'the dream worker chunk').toBeDefined();
    for (const file of [mainBundle, ...chunks]) {
      for (const req of requiresOf(file)) {
        if (isBuiltin(req) || req === 'electron') continue;
        if (req.startsWith('.')) {
          expect(fs.existsSync(path.resolve(path.dirname(file), req)), `${path.basename(file)} → ${req}`).toBe(true);
          continue;
        }
        const name = req.startsWith('@') ? req.split('/').slice(0, 2).join('/') : req.split('/')[0];
        // electron-builder ships `dependencies` (not devDependencies) in the asar's node_modules.
        expect(pkg.dependencies[name], `${path.basename(file)} requires ${name}, which must be a runtime dependency`).toBeDefined();
      }
    }
    // The worker runs without Electron (and under plain Node for the CLI); a sandboxed preload may only require electron.
    expect(requiresOf(worker!)).not.toContain('electron');
    expect(requiresOf(preloadBundle)).toEqual(['electron']);
    // main finds the page, the preload and the worker beside itself, all under out/ (electron-builder's `files`).
    const main = fs.readFileSync(mainBundle, 'utf8');
    expect(main).toContain('"../renderer/index.html"');
    expect(main).toContain('"../preload/index.cjs"');
    expect(main).toContain(`"./chunks/${path.basename(worker!)}"`);
  });

  it('asks for the single-instance lock and waits for ready before touching anything', () => {
    expect(fake.record.lockRequested).toBe(1);
    expect(fake.app.listenerCount('second-instance')).toBe(1);
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.record.windows).toHaveLength(0);
    expect(fake.record.ipcHandlers.size).toBe(0);
  });

  it('starts: hardened session, one validated IPC channel, menu, window, tray, scheduler', async () => {
    fake.ready();
    await until('the window and the tray', () => fake.record.trays.length > 0 && fake.record.ipcHandlers.size > 0).catch((err: Error) => {
      throw new Error(`${err.message}; error boxes: ${JSON.stringify(fake.record.errorBoxes)}; log: ${logs.join(' | ')}`);
    });
    // The scheduler is the last thing start() starts; the page sees it through the contract.
    const invoke = fake.record.ipcHandlers.get('reverie:invoke')!;
    const status = async () => (await invoke({ sender: fake.record.windows[0].webContents, senderFrame: { url: ourPage, parent: null } }, 'scheduler.status', {})) as { ok: boolean; result?: { active: boolean; nextDueAt: string | null } };
    let s = await status();
    for (let i = 0; i < 400 && !(s.result?.active && s.result.nextDueAt); i++) {
      await new Promise((r) => setTimeout(r, 25));
      s = await status();
    }
    expect(s).toMatchObject({ ok: true, result: { active: true } });
    // The follower starts with it: followed sources flow in while the app runs.
    expect(await invoke({ sender: fake.record.windows[0].webContents, senderFrame: { url: ourPage, parent: null } }, 'follow.list', {})).toMatchObject({ ok: true, result: { watching: true } });
    // The default schedule (nightly) has a next time.
    expect(s.result!.nextDueAt).not.toBeNull();
    expect(fake.record.errorBoxes).toEqual([]);
    expect(fake.record.exitCodes).toEqual([]);
    expect([...fake.record.ipcHandlers.keys()]).toEqual(['reverie:invoke']);
    expect(fake.record.ipcListeners.size).toBe(0);
    expect(fake.record.windows).toHaveLength(1);
    expect(fake.record.trays).toHaveLength(1);
    expect(fake.record.applicationMenu).not.toBeNull();
    expect(fake.record.headerListeners).toHaveLength(1);
    // The store lives in the OS app-data folder.
    expect(fs.existsSync(path.join(storeDir, 'reverie.json'))).toBe(true);
  });

  it('opens its one window with Electron\'s security checklist and its own built page', () => {
    const [win] = fake.record.windows;
    expect(win.options.webPreferences).toMatchObject(SECURE_WEB_PREFERENCES);
    expect(win.options.webPreferences?.preload).toBe(preloadBundle);
    expect(win.options.show).toBe(false);
    // Reopened where it was.
    expect(win.options).toMatchObject({ x: 140, y: 90, width: 1010, height: 690 });
    expect(win.loaded).toEqual({ kind: 'file', target: rendererIndex });
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    // Icons named by main exist in resources/.
    for (const image of fake.record.images) expect(fs.existsSync(image), image).toBe(true);
    if (win.options.icon) expect(fs.existsSync(String(win.options.icon))).toBe(true);
  });

  it('sends a strict CSP on every response, replacing any the response carried', () => {
    let headers: Record<string, string[]> | undefined;
    fake.record.headerListeners[0]({ url: ourPage, responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers!['content-security-policy']).toBeUndefined();
    const csp = headers!['Content-Security-Policy'];
    expect(csp).toHaveLength(1);
    const directives = Object.fromEntries(csp[0].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toMatchObject({ 'default-src': "'none'", 'script-src': "'self'", 'connect-src': "'none'", 'object-src': "'none'", 'frame-ancestors': "'none'", 'base-uri': "'none'" });
    expect(csp[0]).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });

  it('blocks navigation and new windows; web links go to the OS browser, nothing else does', () => {
    const wc = fake.record.windows[0].webContents;
    expect(wc.windowOpenHandler!({ url: 'https://docs.anthropic.com/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(wc.navigate('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(wc.navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(wc.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.navigate('will-navigate', pathToFileURL(path.join(build, 'renderer', 'other.html')).href)).toBe(true);
    // Reloading our own page (hash routes included) is not navigation away.
    expect(wc.navigate('will-navigate', `${ourPage}#/dreams`)).toBe(false);
    expect(fake.record.openedExternally).toEqual(['https://docs.anthropic.com/', 'https://evil.example/phish', 'http://127.0.0.1:9/']);
    let webviewPrevented = false;
    wc.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) }, {}, {});
    expect(webviewPrevented).toBe(true);
    // Any other web contents (a devtools page, a future window) is locked down the same way.
    const other = new FakeWebContents(99);
    fake.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(other.navigate('will-navigate', 'https://example.com/')).toBe(true);
  });

  it('grants the page no permissions but clipboard writes from our own page', async () => {
    const ask = (permission: string, requestingUrl: string) => new Promise<boolean>((resolve) => fake.record.permissionRequestHandler!({}, permission, resolve, { requestingUrl }));
    expect(await ask('clipboard-sanitized-write', ourPage)).toBe(true);
    expect(await ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal']) expect(await ask(p, ourPage), p).toBe(false);
  });

  describe('the IPC handler', () => {
    const call = (event: unknown, ...args: unknown[]) => fake.record.ipcHandlers.get('reverie:invoke')!(event, ...args) as Promise<{ ok: boolean; result?: unknown; error?: { type: string; message: string } }>;
    const fromPage = () => ({ sender: fake.record.windows[0].webContents, senderFrame: { url: ourPage, parent: null } });

    it('answers our page with the real core', async () => {
      const r = await call(fromPage(), 'app.info', {});
      expect(r.ok).toBe(true);
      expect(r.result).toMatchObject({ host: 'electron', storeDir, version: '0.1.0-harness', empty: false });
    });

    it('refuses malformed payloads with invalid-input or unknown-method, never a throw', async () => {
      const cases: [unknown[], string][] = [
        [[], 'invalid-input'],
        [[42, {}], 'invalid-input'],
        [['', {}], 'invalid-input'],
        [['x'.repeat(500), {}], 'invalid-input'],
        [['app.info', {}, 'extra'], 'invalid-input'],
        [['app.info', { sneaky: true }], 'invalid-input'],
        [['dreams.get', { id: 42 }], 'invalid-input'],
        [['dreams.get', 'd-1'], 'invalid-input'],
        [['dreams.run', { engine: 'gpt' }], 'invalid-input'],
        [['lessons.list', { all: 'yes' }], 'invalid-input'],
        [['no.such.method', {}], 'unknown-method'],
        [['__proto__', {}], 'unknown-method'],
        [['constructor', {}], 'unknown-method'],
      ];
      for (const [args, type] of cases) {
        const r = await call(fromPage(), ...args);
        expect(r.ok, JSON.stringify(args).slice(0, 80)).toBe(false);
        expect(r.error?.type, JSON.stringify(args).slice(0, 80)).toBe(type);
        expect(r.error?.message.length).toBeGreaterThan(5);
      }
    });

    it('refuses every sender that is not our window\'s top frame showing our page, before touching the store', async () => {
      // reverie.json names the dream log and how many dreams its committed part holds.
      const recordedDreams = () => JSON.parse(fs.readFileSync(path.join(storeDir, 'reverie.json'), 'utf8')).dreamLog?.dreams ?? 0;
      const dreamsBefore = recordedDreams();
      const wc = fake.record.windows[0].webContents;
      const senders = [
        { sender: new FakeWebContents(7), senderFrame: { url: ourPage, parent: null } },
        { sender: wc, senderFrame: { url: 'https://evil.example/', parent: null } },
        { sender: wc, senderFrame: { url: ourPage, parent: { url: ourPage } } },
        { sender: wc, senderFrame: null },
        { sender: wc, senderFrame: { url: pathToFileURL(path.join(work, 'index.html')).href, parent: null } },
        { sender: null, senderFrame: { url: ourPage, parent: null } },
      ];
      for (const event of senders) {
        const r = await call(event, 'dreams.run', {});
        expect(r).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
      }
      expect(recordedDreams()).toBe(dreamsBefore);
    });
  });

  it('keeps the API key from Settings encrypted with safeStorage, and the core dreams with it', async () => {
    const call = (...args: unknown[]) => fake.record.ipcHandlers.get('reverie:invoke')!({ sender: fake.record.windows[0].webContents, senderFrame: { url: ourPage, parent: null } }, ...args) as Promise<{ ok: boolean; result?: any; error?: { type: string } }>;
    const key = 'sk-ant-api03-harnessKEY0123456789abcdef';
    expect((await call('claude.status', {})).result.keyPresent).toBe(false);
    expect(await call('claude.setKey', { key })).toMatchObject({ ok: true, result: { keyPresent: true, source: 'app', canStore: true } });
    const onDisk = fs.readFileSync(path.join(userData, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('harnessKEY');
    expect(fs.readFileSync(path.join(storeDir, 'reverie.json'), 'utf8')).not.toContain('harnessKEY');
    // The core's Claude engine reads the key through the app's key store.
    expect((await call('claude.status', {})).result.keyPresent).toBe(true);
    expect(await call('claude.setKey', { key: 'not a key' })).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    expect(await call('claude.clearKey', {})).toMatchObject({ ok: true, result: { keyPresent: false, source: null } });
    expect((await call('claude.status', {})).result.keyPresent).toBe(false);
  });

  it('has a menu with the usual roles, screen shortcuts that ask the page to navigate, and help in the browser', () => {
    const menu = items(fake.record.applicationMenu);
    const roles = menu.map((m) => m.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help']));
    const go = menu.find((m) => m.label === 'Go')!.submenu as MenuItemConstructorOptions[];
    expect(go.map((i) => i.accelerator)).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+6']);
    const wc = fake.record.windows[0].webContents;
    click(go.find((i) => i.label === 'Dreams'));
    expect(wc.sent.at(-1)).toEqual({ channel: 'reverie:navigate', args: ['dreams'] });
    const help = menu.find((m) => m.role === 'help')!.submenu as MenuItemConstructorOptions[];
    click(help[0]);
    expect(fake.record.openedExternally.at(-1)).toMatch(/^https:\/\//);
  });

  it('a second launch brings the running window to the front', () => {
    const win = fake.record.windows[0];
    win.minimized = true;
    win.focused = false;
    fake.app.emit('second-instance', {}, ['reverie'], PROJECT_ROOT);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
    expect(fake.record.windows).toHaveLength(1);
  });

  it('tray: the last dream\'s status, "Dream Now" notifies new lessons, "Open" shows the window', async () => {
    const tray = fake.record.trays[0];
    const win = fake.record.windows[0];
    expect(items(tray.menu)[0]).toMatchObject({ label: 'No dream yet', enabled: false });
    win.blur();
    click(items(tray.menu).find((i) => i.label === 'Dream Now'));
    const note = await until('the new-lessons notification', () => fake.record.notifications[0], 60_000);
    expect(note.shown).toBe(true);
    expect(note.title).toMatch(/^Reverie learnt \d+ new lessons?$/);
    expect(note.body.length).toBeGreaterThan(0);
    await until('the tray to show the dream', () => /^Last dream: \d+ new lessons?, just now$/.test(String(items(tray.menu)[0]?.label)));
    expect(tray.tooltip).toMatch(/^Reverie — Last dream/);
    expect(items(tray.menu).find((i) => i.label === 'Dream Now')?.enabled).toBe(true);
    // The page hears that lessons changed.
    expect(win.webContents.sent.some((s) => s.channel === 'reverie:change' && s.args[0] === 'lessons')).toBe(true);
    // Clicking the notification shows the new lessons.
    win.visible = false;
    note.click();
    expect(win.visible).toBe(true);
    expect(win.webContents.sent.at(-1)).toEqual({ channel: 'reverie:navigate', args: ['lessons'] });
    win.visible = false;
    click(items(tray.menu).find((i) => i.label === 'Open Reverie'));
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('the built preload exposes only the typed API, and passes on nothing but validated values', async () => {
    const preloadFake = createFakeElectron({ singleInstanceLock: true, userData, appPath: PROJECT_ROOT });
    loadBundle(preloadBundle, preloadFake);
    currentFake = fake;
    expect([...preloadFake.record.exposed.keys()]).toEqual(['reverie']);
    const api = preloadFake.record.exposed.get('reverie') as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onChange', 'onNavigate']);
    await api.invoke('lessons.list', { all: true });
    expect(preloadFake.record.rendererInvokes).toEqual([{ channel: 'reverie:invoke', args: ['lessons.list', { all: true }] }]);
    const screens: unknown[] = [];
    const stop = api.onNavigate((s: unknown) => screens.push(s)) as () => void;
    const ipcRenderer = preloadFake.module.ipcRenderer as NodeJS.EventEmitter;
    ipcRenderer.emit('reverie:navigate', { sender: ipcRenderer }, 'settings');
    ipcRenderer.emit('reverie:navigate', { sender: ipcRenderer }, 'file:///etc/passwd');
    ipcRenderer.emit('reverie:navigate', { sender: ipcRenderer }, { toString: () => 'lessons' });
    stop();
    ipcRenderer.emit('reverie:navigate', { sender: ipcRenderer }, 'dreams');
    expect(screens).toEqual(['settings']);
  });

  it('quits cleanly: the store is written and its writer lock released', async () => {
    fake.app.quit();
    await until('the app to quit after shutdown', () => fake.record.quitCalls >= 2);
    expect(fake.record.trays[0].destroyed).toBe(true);
    // Another process can now open the store as its writer.
    const opened = await openCore({ storeDir, host: 'cli', worker: sourceWorkerLauncher() });
    expect(opened.store.data.dreams.length).toBeGreaterThan(0);
    await opened.close();
  });

  it('a second copy of the app hands over to the first and starts nothing', async () => {
    const second = createFakeElectron({ singleInstanceLock: false, userData: path.join(work, 'second'), appPath: PROJECT_ROOT });
    loadBundle(mainBundle, second);
    second.ready();
    await new Promise((r) => setTimeout(r, 200));
    expect(second.record.lockRequested).toBe(1);
    expect(second.record.quitCalls).toBe(1);
    expect(second.record.windows).toHaveLength(0);
    expect(second.record.ipcHandlers.size).toBe(0);
    expect(fs.existsSync(path.join(work, 'second'))).toBe(false);
  });
});
