#!/usr/bin/env node
// `npm start`: build, then run the desktop app when Electron can run here; otherwise run browser
// mode on 127.0.0.1 and say why. The store is the OS app-data folder (REVERIE_HOME overrides); on an
// empty store the first screen offers the bundled demo.
//
// Electron's binary is not downloaded at install time (.npmrc has ignore-scripts=true, because a
// failed download would fail the whole install). When it is missing and there is a display to show
// a window on, this fetches it once with Electron's own installer, quietly and with a time limit;
// if that fails (no network to GitHub, a proxy…), browser mode starts and the reason is printed.
//   --dry-run   print the decision (desktop or browser, and why) without building or starting
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dryRun = process.argv.includes('--dry-run');
const FETCH_TIMEOUT_MS = Number(process.env.REVERIE_ELECTRON_FETCH_TIMEOUT_MS ?? 180_000);

function electronBinary() {
  try {
    // The electron package's main export is the binary's path; it throws when the binary was never
    // downloaded. A failed require is not cached, so asking again after a fetch sees the new binary.
    const bin = require('electron');
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** Runs Electron's own installer (node_modules/electron/install.js); returns null or why it failed. */
function fetchElectron() {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!fs.existsSync(installer)) return 'the electron package is not installed (run npm ci)';
  console.log("Fetching Electron's binary (once, about 100 MB)…");
  const r = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), encoding: 'utf8', timeout: FETCH_TIMEOUT_MS });
  if (r.error?.code === 'ETIMEDOUT') return `downloading it took longer than ${Math.round(FETCH_TIMEOUT_MS / 1000)} s`;
  if (r.status !== 0) {
    // @electron/get prints a stack; its first line says what went wrong (ENOTFOUND github.com, 403…).
    const first = `${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
    return `downloading it failed (${first ? `${first.slice(0, 200)}; ` : ''}is github.com reachable?)`;
  }
  return electronBinary() ? null : 'the installer finished but left no binary (ELECTRON_SKIP_BINARY_DOWNLOAD set?)';
}

function decide() {
  if (process.env.REVERIE_BROWSER) return { mode: 'browser', why: 'REVERIE_BROWSER is set.' };
  const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  let bin = electronBinary();
  if (!hasDisplay) {
    return { mode: 'browser', why: `there is no display (DISPLAY and WAYLAND_DISPLAY are unset)${bin ? '' : ", and Electron's binary is not installed"}.` };
  }
  if (!bin) {
    const failed = fetchElectron();
    if (failed) return { mode: 'browser', why: `Electron's binary is not installed and ${failed}. To install it later: node node_modules/electron/install.js` };
    bin = electronBinary();
  }
  return { mode: 'desktop', bin };
}

const choice = decide();
if (dryRun) {
  console.log(choice.mode === 'desktop' ? `desktop: ${choice.bin}` : `browser: ${choice.why}`);
  process.exit(0);
}

// The same build step `reverie serve` uses (electron/cli/ui-build.ts, through tsx like bin/reverie.mjs);
// always run here, as the desktop app needs main and preload as well as the UI.
register();
const { buildApp } = await import('../electron/cli/ui-build.ts');
const buildError = buildApp(root);
if (buildError) {
  console.error(`Could not build the app: ${buildError}.`);
  process.exit(1);
}

if (choice.mode === 'desktop') {
  console.log('Starting the Reverie desktop app…');
  const child = spawn(choice.bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Starting Reverie in browser mode. Why: ${choice.why}`);
  const port = process.env.PORT ?? '4810';
  const child = spawn(process.execPath, [path.join(root, 'bin', 'reverie.mjs'), 'serve', '--port', port], { stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
