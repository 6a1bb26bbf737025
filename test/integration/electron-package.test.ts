// Packaging, as far as it runs without Electron's binary: the real electron-builder packs the real
// build (`npm run build`) for Linux (`--linux dir`), given a stand-in for the unpacked Electron
// runtime (`electronDist`, which electron-builder otherwise downloads from GitHub). Then the app is
// started FROM THE PACKAGE: the asar is extracted to a folder outside the project (so only the
// modules electron-builder packed can be found), and its main bundle runs under the fake electron
// module as a packaged app (isPackaged, process.resourcesPath): demo, icons and the dream worker
// must all come from the package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT, tempDir, until } from '../helpers/env';
import { createFakeElectron, electronRequireHook, type FakeElectron } from '../unit/electron/fake-electron';

const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(file: string): string[]; extractAll(file: string, dest: string): void };


describe('the app as electron-builder packages it', () => {
  const work = tempDir('reverie-package-');
  const dist = path.join(work, 'dist');
  const app = path.join(dist, 'linux-unpacked');
  const resources = path.join(app, 'resources');
  const extracted = path.join(work, 'extracted');
  let files: string[];

  beforeAll(() => {
    const built = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'error'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    // A stand-in for Electron's unpacked runtime: electron-builder copies it and renames the binary.
    const runtime = path.join(work, 'electron-runtime');
    fs.mkdirSync(path.join(runtime, 'resources'), { recursive: true });
    fs.mkdirSync(path.join(runtime, 'locales'));
    fs.writeFileSync(path.join(runtime, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(runtime, 'version'), `v${JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version}`);
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${runtime}`, `-c.directories.output=${dist}`], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    files = asar.listPackage(path.join(resources, 'app.asar')).map((f) => f.replace(/\\/g, '/'));
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('ships the three bundles and the worker inside the asar, resources beside it', () => {
    expect(fs.existsSync(path.join(app, 'reverie'))).toBe(true);
    for (const f of ['/package.json', '/out/main/index.cjs', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files, f).toContain(f);
    expect(files.some((f) => /^\/out\/main\/chunks\/dream-[\w-]+\.cjs$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // Sources, tests and the CLI are not part of the desktop app.
    expect(files.filter((f) => /^\/(electron|shared|renderer|test|scripts|bin|resources)\//.test(f))).toEqual([]);
    for (const dir of ['demo', 'seeds', 'icons']) expect(fs.statSync(path.join(resources, dir)).isDirectory(), dir).toBe(true);
    expect(fs.readdirSync(path.join(resources, 'demo')).length).toBeGreaterThan(0);
    for (const f of ['tray.png', 'trayTemplate.png', 'png/512x512.png']) expect(fs.existsSync(path.join(resources, 'icons', f)), f).toBe(true);
  });

  it('packs the runtime dependencies main needs, and no development tools', () => {
    const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(2, f.split('/')[2].startsWith('@') ? 4 : 3).join('/')));
    for (const m of ['zod', 'proper-lockfile', 'write-file-atomic', '@anthropic-ai/sdk']) expect(modules.has(m), m).toBe(true);
    for (const m of ['electron', 'electron-builder', 'electron-vite', 'vite', 'vitest', 'typescript', 'playwright-core', 'fast-check']) expect(modules.has(m), m).toBe(false);
  });

  describe('started from the package', () => {
    let fake: FakeElectron;
    let hook: ReturnType<typeof electronRequireHook>;
    const userData = path.join(work, 'userData');
    const saved = { resourcesPath: (process as { resourcesPath?: string }).resourcesPath, home: process.env.REVERIE_HOME };
    const call = (method: string, input: unknown = {}) => fake.record.ipcHandlers.get('reverie:invoke')!(
      { sender: fake.record.windows[0].webContents, senderFrame: { url: `file://${path.join(extracted, 'out', 'renderer', 'index.html')}`, parent: null } }, method, input,
    ) as Promise<{ ok: boolean; result?: any; error?: { message: string } }>;

    beforeAll(async () => {
      asar.extractAll(path.join(resources, 'app.asar'), extracted);
      Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true, writable: true });
      delete process.env.REVERIE_HOME;
      vi.spyOn(console, 'log').mockImplementation(() => {});
      hook = electronRequireHook();
      fake = createFakeElectron({ singleInstanceLock: true, userData, appPath: extracted, isPackaged: true });
      hook.load(path.join(extracted, 'out', 'main', 'index.cjs'), fake);
      fake.ready();
      await until('the app to start', () => fake.record.trays.length > 0 && fake.record.ipcHandlers.size > 0, 60_000);
    }, 60_000);

    afterAll(async () => {
      if (fake) {
        fake.app.quit();
        await until('the app to quit', () => fake.record.quitCalls >= 2, 20_000).catch(() => undefined);
      }
      hook?.restore();
      vi.restoreAllMocks();
      Object.defineProperty(process, 'resourcesPath', { value: saved.resourcesPath, configurable: true, writable: true });
      if (saved.home !== undefined) process.env.REVERIE_HOME = saved.home;
    });

    it('opens its page and icons from the package, and offers the bundled demo', async () => {
      expect(fake.record.errorBoxes).toEqual([]);
      expect(fake.record.windows[0].loaded).toEqual({ kind: 'file', target: path.join(extracted, 'out', 'renderer', 'index.html') });
      expect(fake.record.windows[0].options.webPreferences?.preload).toBe(path.join(extracted, 'out', 'preload', 'index.cjs'));
      for (const image of fake.record.images) expect(image.startsWith(path.join(resources, 'icons'))).toBe(true);
      const info = await call('app.info');
      expect(info).toMatchObject({ ok: true, result: { host: 'electron', storeDir: path.join(userData, 'store'), empty: true, demoAvailable: true } });
    });

    it('loads the demo and dreams in the packaged worker, announcing the new lessons', async () => {
      const loaded = await call('app.loadDemo');
      expect(loaded.ok, loaded.error?.message).toBe(true);
      expect(loaded.result.sessions).toBeGreaterThan(0);
      expect(loaded.result.errors).toEqual([]);
      fake.record.windows[0].blur();
      const items = () => fake.record.trays[0].menu?.template ?? [];
      (items().find((i: MenuItemConstructorOptions) => i.label === 'Dream Now')!.click as unknown as () => void)();
      await until('the dream to finish', () => /^Last dream: /.test(String(items()[0]?.label)), 60_000);
      const dreams = await call('dreams.list');
      expect(dreams.ok).toBe(true);
      expect(dreams.result[0]).toMatchObject({ engine: 'heuristic' });
      expect(dreams.result[0].status).toBe('applied');
      // The demo is there so the first screen is never blank: it must teach something.
      const added = dreams.result[0].changes.filter((c: { op: string }) => c.op === 'add').length;
      expect(added).toBeGreaterThan(0);
      await until('the notification', () => fake.record.notifications.length > 0, 60_000);
      expect(fake.record.notifications.at(-1)).toMatchObject({ title: `Reverie learnt ${added} new lesson${added === 1 ? '' : 's'}`, shown: true });
    });
  });
});
