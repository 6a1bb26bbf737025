// `npm start` decides between the desktop app and browser mode, and says why. --dry-run prints the
// decision without building; ELECTRON_OVERRIDE_DIST_PATH (read by the electron package itself)
// stands in for an installed or missing binary, and ELECTRON_SKIP_BINARY_DOWNLOAD keeps the
// on-demand fetch from touching the network.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from '../../helpers/env';

function start(env: Record<string, string | undefined>): string {
  const clean = { ...process.env };
  for (const k of ['DISPLAY', 'WAYLAND_DISPLAY', 'REVERIE_BROWSER', 'ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_SKIP_BINARY_DOWNLOAD']) delete clean[k];
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.mjs'), '--dry-run'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...clean, ...env } as NodeJS.ProcessEnv });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').at(-1)!;
}

/** A folder that looks like an installed Electron to the electron package (on Linux, Windows and macOS). */
function fakeElectronDist(): string {
  const dir = tempDir('reverie-electron-dist-');
  for (const rel of ['electron', 'electron.exe', 'Electron.app/Contents/MacOS/Electron']) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), '');
  }
  return dir;
}

describe('npm start', () => {
  it.runIf(process.platform === 'linux')('uses browser mode without a display, and says so', () => {
    expect(start({ ELECTRON_OVERRIDE_DIST_PATH: fakeElectronDist() })).toBe('browser: there is no display (DISPLAY and WAYLAND_DISPLAY are unset).');
    expect(start({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' })).toMatch(/^browser: there is no display .*and Electron's binary is not installed\.$/);
  });

  it('honours REVERIE_BROWSER', () => {
    expect(start({ DISPLAY: ':0', REVERIE_BROWSER: '1', ELECTRON_OVERRIDE_DIST_PATH: fakeElectronDist() })).toBe('browser: REVERIE_BROWSER is set.');
  });

  it('starts the desktop app when the binary is there and a display exists', () => {
    expect(start({ DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: fakeElectronDist() })).toMatch(/^desktop: .*reverie-electron-dist-.*[/\\](electron|electron\.exe|Electron)$/);
  });

  it('tries to fetch a missing binary, and falls back to browser mode with the reason and the fix', () => {
    const line = start({ DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(line).toMatch(/^browser: Electron's binary is not installed and the installer finished but left no binary/);
    expect(line).toContain('node node_modules/electron/install.js');
  });
});
