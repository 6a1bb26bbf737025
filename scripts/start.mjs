#!/usr/bin/env node
// `npm start`: build, then run the desktop app when Electron's binary is installed; otherwise run
// browser mode on 127.0.0.1 and say why. The store is the OS app-data folder (REVERIE_HOME overrides);
// on an empty store the first screen offers the bundled demo.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package's main export is the binary's path, and it throws when the binary was never downloaded.
    return require('electron');
  } catch (err) {
    return null;
  }
}

const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('The build failed (see above).');
  process.exit(1);
}

const bin = electronBinary();
const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
if (typeof bin === 'string' && hasDisplay && !process.env.REVERIE_BROWSER) {
  console.log('Starting the Reverie desktop app…');
  const child = spawn(bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = typeof bin !== 'string'
    ? "Electron's binary is not installed: npm 11 does not run Electron's download script until you approve it. For the desktop app run: npm install-scripts approve electron && npm rebuild electron"
    : !hasDisplay ? 'There is no display (DISPLAY/WAYLAND_DISPLAY unset).' : 'REVERIE_BROWSER is set.';
  console.log(`Starting Reverie in browser mode. Why: ${why}`);
  const port = process.env.PORT ?? '4810';
  const child = spawn(process.execPath, [path.join(root, 'bin', 'reverie.mjs'), 'serve', '--port', port], { stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
