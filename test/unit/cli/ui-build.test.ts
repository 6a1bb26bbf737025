// `reverie serve` builds the UI when out/renderer is missing or older than its sources: the
// staleness check on a temp tree with chosen modification times, and the build step's failure path.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureUiBuilt, newestInput, UI_INPUTS, uiState } from '../../../electron/cli/ui-build';
import { PROJECT_ROOT, tempDir } from '../../helpers/env';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Writes `rel` under `root` with the given modification time. */
function file(root: string, rel: string, when: Date): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, rel);
  fs.utimesSync(p, when, when);
}

/** A source tree whose inputs were last changed at minute 0 and whose build (if any) is at `builtAt`. */
function tree(builtAt?: number): { root: string; renderer: string } {
  const root = tempDir('reverie-ui-build-');
  file(root, 'renderer/index.html', at(0));
  file(root, 'renderer/src/App.tsx', at(-5));
  file(root, 'shared/contract/index.ts', at(-3));
  file(root, 'electron.vite.config.ts', at(-10));
  const renderer = path.join(root, 'out', 'renderer');
  if (builtAt !== undefined) file(root, 'out/renderer/index.html', at(builtAt));
  return { root, renderer };
}

describe('whether the UI needs a build', () => {
  it('is missing when out/renderer has no index.html', () => {
    const { root, renderer } = tree();
    expect(uiState(root, renderer)).toEqual({ state: 'missing' });
    fs.mkdirSync(renderer, { recursive: true });
    expect(uiState(root, renderer)).toEqual({ state: 'missing' });
  });

  it('is fresh when built after every input changed', () => {
    const { root, renderer } = tree(1);
    expect(uiState(root, renderer)).toEqual({ state: 'fresh' });
  });

  it('is stale when any input, however deep, changed after the build, and names it', () => {
    const { root, renderer } = tree(1);
    file(root, 'renderer/src/screens/deep/Settings.tsx', at(2));
    expect(uiState(root, renderer)).toEqual({ state: 'stale', newer: path.join('renderer', 'src', 'screens', 'deep', 'Settings.tsx') });
  });

  it('counts the shared contract and the build settings, not only renderer/', () => {
    for (const rel of ['shared/model.ts', 'electron.vite.config.ts', 'package-lock.json']) {
      const { root, renderer } = tree(1);
      file(root, rel, at(2));
      expect(uiState(root, renderer)).toEqual({ state: 'stale', newer: rel });
    }
  });

  it('ignores node_modules, dot-folders and files outside the inputs', () => {
    const { root, renderer } = tree(1);
    file(root, 'renderer/node_modules/x/index.js', at(9));
    file(root, 'renderer/.cache/y', at(9));
    file(root, 'electron/core/core.ts', at(9));
    file(root, 'test/unit/z.test.ts', at(9));
    expect(uiState(root, renderer)).toEqual({ state: 'fresh' });
    expect(newestInput(root)).toEqual({ file: path.join('renderer', 'index.html'), mtimeMs: at(0).getTime() });
  });

  it('names inputs that exist in this repository (a rename would make the check blind)', () => {
    for (const e of UI_INPUTS) expect(fs.existsSync(path.join(PROJECT_ROOT, e)), e).toBe(true);
  });
});

describe('building it', () => {
  it('does nothing when the UI is fresh', async () => {
    const { root, renderer } = tree(1);
    const lines: string[] = [];
    expect(await ensureUiBuilt(root, renderer, (l) => lines.push(l))).toEqual({ built: false });
    expect(lines).toEqual([]);
  });

  it('says what it does and why a build could not run, and releases its lock', async () => {
    const { root, renderer } = tree(); // no node_modules here: electron-vite is not installed
    const lines: string[] = [];
    const r = await ensureUiBuilt(root, renderer, (l) => lines.push(l));
    expect(r).toEqual({ built: false, error: 'electron-vite is not installed (run `npm ci` in the source folder)' });
    expect(lines).toEqual(['The UI is not built yet: building it (once, a few seconds)…']);
    expect(fs.existsSync(path.join(root, 'out', '.build.lock'))).toBe(false);
    file(root, 'out/renderer/index.html', at(-20));
    const again: string[] = [];
    await ensureUiBuilt(root, renderer, (l) => again.push(l));
    expect(again).toEqual([`The UI is older than ${path.join('renderer', 'index.html')}: rebuilding it…`]);
  });
});
