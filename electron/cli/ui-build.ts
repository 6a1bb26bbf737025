// Building the app from a source checkout, shared by `npm start` (scripts/start.mjs, which always
// builds: the desktop app needs main and preload too) and `reverie serve` (which builds only when
// the UI in out/renderer is missing or older than what it is built from, so a fresh clone's
// `serve` shows the app instead of a 404, and a second start costs nothing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** What the renderer bundle is built from: its sources, the shared contract it imports, the build settings and the installed packages. */
export const UI_INPUTS = ['renderer', 'shared', 'electron.vite.config.ts', 'tsconfig.web.json', 'package-lock.json'];

export type UiState = { state: 'missing' } | { state: 'stale'; newer: string } | { state: 'fresh' };

/** The newest file (by modification time) under `entries` (files or folders, relative to `root`). */
export function newestInput(root: string, entries: readonly string[] = UI_INPUTS): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return; // an optional input that is not there (no lockfile yet): nothing to compare
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(path.join(p, name));
    } else if (!newest || st.mtimeMs > newest.mtimeMs) newest = { file: path.relative(root, p), mtimeMs: st.mtimeMs };
  };
  for (const e of entries) visit(path.join(root, e));
  return newest;
}

/** Whether `rendererDir` holds a UI built after every input changed last. */
export function uiState(root: string, rendererDir: string, entries: readonly string[] = UI_INPUTS): UiState {
  let built: number;
  try {
    built = fs.statSync(path.join(rendererDir, 'index.html')).mtimeMs;
  } catch {
    return { state: 'missing' };
  }
  const newest = newestInput(root, entries);
  return newest && newest.mtimeMs > built ? { state: 'stale', newer: newest.file } : { state: 'fresh' };
}

/** Runs `electron-vite build` in `root` (main, preload and renderer into out/); returns null or why it failed. */
export function buildApp(root: string): string | null {
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!fs.existsSync(cli)) return 'electron-vite is not installed (run `npm ci` in the source folder)';
  // The build's own output is noise here; its errors (stderr) are what the user needs to see.
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error) return `the build could not start (${r.error.message})`;
  return r.status === 0 ? null : `the build failed (exit ${r.status ?? r.signal}; its errors are above)`;
}

export type EnsureResult = { built: boolean; error?: string };

/**
 * Builds the app when the UI is missing or stale. Several `serve`s may start at once (the end-to-end
 * tests start many): the build runs under a lock on out/, and a process that waited for another's
 * build looks again before building, so one build serves them all.
 */
export async function ensureUiBuilt(root: string, rendererDir: string, log: (line: string) => void): Promise<EnsureResult> {
  if (uiState(root, rendererDir).state === 'fresh') return { built: false };
  const out = path.dirname(rendererDir);
  fs.mkdirSync(out, { recursive: true });
  const release = await lockfile.lock(out, { lockfilePath: path.join(out, '.build.lock'), stale: 60_000, retries: { retries: 240, minTimeout: 250, maxTimeout: 500 } });
  try {
    const state = uiState(root, rendererDir);
    if (state.state === 'fresh') return { built: false };
    log(state.state === 'missing' ? 'The UI is not built yet: building it (once, a few seconds)…' : `The UI is older than ${state.newer}: rebuilding it…`);
    const error = buildApp(root);
    return error ? { built: false, error } : { built: true };
  } finally {
    await release();
  }
}
