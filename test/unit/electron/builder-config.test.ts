// electron-builder.yml, checked the way electron-builder itself reads it: its own config loader
// (which merges package.json) and its own JSON schema, then what the schema cannot know: the
// targets we promise, icons that exist and are what their names say, and resources that exist.
// Packaging itself needs Electron's zip from GitHub, which this machine cannot reach (docs/electron.md).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../helpers/env';

// app-builder-lib is electron-builder's engine (a devDependency's dependency): using its loader and
// validator means this test agrees with `electron-builder` on what the file means, and a schema
// update in a new electron-builder version is picked up with it.
const require = createRequire(import.meta.url);
type Config = Record<string, any>;
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const validate = (c: Config) => validateConfiguration(c, new DebugLogger(false));
const targetsOf = (platform: Config | undefined): string[] =>
  ((platform?.target ?? []) as (string | { target: string })[]).map((t) => (typeof t === 'string' ? t : t.target));
const rooted = (p: string) => path.join(PROJECT_ROOT, p);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8).toString('hex'), `${file} is a PNG`).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  let config: Config;
  let pkg: Config;
  beforeAll(async () => {
    config = await getConfig(PROJECT_ROOT, null, null);
    pkg = JSON.parse(fs.readFileSync(rooted('package.json'), 'utf8'));
  });

  it('passes electron-builder\'s own schema, and the schema does catch mistakes', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, linux: { ...config.linux, targets: ['AppImage'] } })).rejects.toThrow(/configuration/i);
    await expect(validate({ ...config, nsis: { ...config.nsis, oneclick: false } })).rejects.toThrow(/configuration/i);
  });

  it('names the app and builds AppImage + deb, dmg and nsis', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(config.productName).toBe('Reverie');
    expect(targetsOf(config.linux)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetsOf(config.mac)).toContain('dmg');
    expect(targetsOf(config.win)).toContain('nsis');
    // Packaging never uploads anywhere by accident.
    expect(config.publish).toBeNull();
    // What the deb target demands only at packaging time (FpmTarget): a maintainer with an e-mail
    // (linux.maintainer, else package.json's author) and the project's homepage.
    expect(config.linux.maintainer ?? `${pkg.author?.name} <${pkg.author?.email}>`).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]+>$/);
    expect(() => new URL(pkg.homepage)).not.toThrow();
  });

  it('points at icons that exist and are what the platforms expect', () => {
    const linuxIcons = rooted(config.linux.icon);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(path.join(linuxIcons, `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
    const icns = fs.readFileSync(rooted(config.mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const ico = fs.readFileSync(rooted(config.win.icon));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    // A 256 px entry is stored as width 0; Windows needs it for large icons and the installer.
    const widths = Array.from({ length: count }, (_, i) => ico[6 + i * 16]);
    expect(widths).toContain(0);
    expect(fs.existsSync(path.join(rooted(config.directories.buildResources), 'icon.png'))).toBe(true);
    // The tray images main loads (electron/main/tray.ts) ship through extraResources.
    for (const f of ['tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) expect(fs.existsSync(rooted(`resources/icons/${f}`)), f).toBe(true);
  });

  it('packages the built app and the resources main reads at run time', () => {
    expect(pkg.main).toBe('out/main/index.cjs');
    // The loader normalizes `files` to file sets; the app's own set is the one without `from`.
    const patterns = (config.files as ({ filter?: string[]; from?: string } | string)[]).flatMap((f) => (typeof f === 'string' ? [f] : f.from ? [] : (f.filter ?? [])));
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(patterns.filter((p) => p.startsWith('!')).every((p) => !/out\/\*\*$|\.cjs|\.html/.test(p))).toBe(true);
    const extra = (config.extraResources ?? []) as { from: string; to: string }[];
    // electron/main/resources.ts reads demo/, seeds/ and icons/ from process.resourcesPath.
    expect(extra.map((e) => e.to).sort()).toEqual(['demo', 'icons', 'seeds']);
    // icons (tray, window) and seeds (seed packs) are needed at run time. The demo sessions are
    // optional: electron-builder skips a missing folder and the app then offers no demo
    // (app.info demoAvailable: false), so their absence is not a packaging error.
    for (const e of extra.filter((x) => x.to !== 'demo')) expect(fs.existsSync(rooted(e.from)), `${e.from} (extraResources) exists`).toBe(true);
    expect(extra.find((x) => x.to === 'demo')?.from).toBe('resources/demo');
  });

  it('keeps Electron and the packager out of the app\'s runtime dependencies', () => {
    for (const dev of ['electron', 'electron-builder', 'electron-vite', 'vite', 'vitest', 'typescript']) {
      expect(pkg.dependencies?.[dev], dev).toBeUndefined();
      expect(pkg.devDependencies?.[dev], dev).toBeDefined();
    }
  });

  it('has no native modules that would need unpacking from the asar', () => {
    // The dream worker stays inside app.asar (Electron reads worker_threads scripts from it since
    // electron/electron#33216); only a native .node addon would have to be unpacked.
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const dir = rooted(`node_modules/${name}`);
      const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Config;
      expect(p.gypfile, `${name} builds a native addon`).toBeFalsy();
      expect(fs.existsSync(path.join(dir, 'binding.gyp')), `${name} has binding.gyp`).toBe(false);
      for (const dep of Object.keys(p.dependencies ?? {})) if (fs.existsSync(rooted(`node_modules/${dep}/package.json`))) walk(dep);
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) walk(dep);
    expect(config.asarUnpack).toBeUndefined();
    expect(seen.size).toBeGreaterThan(5);
  });
});
