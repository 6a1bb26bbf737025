// The plain-Node seam (CLI, browser bridge, tests, bench): core runs in plain Node, either from the
// CLI's esbuild bundle (out/cli/, scripts/cli-bundle.mjs) or from its TypeScript sources through tsx
// (vitest, the bench, the CLI when its bundle cannot be built). Electron's main process uses the
// worker electron-vite bundles instead (electron/main), and nothing above this file knows which.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerLauncher } from '../dreaming/runner';

/** The folder this code runs from: electron/core/platform in the sources, out/cli in the CLI bundle, out/main in Electron's. */
const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The nearest folder above this code holding a package.json: the project root whether this file runs
 * from its source folder or bundled into out/cli or out/main (a fixed number of '..' fits one layout only).
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..', '..'); // no package.json anywhere: the source layout
  }
}

export const PROJECT_ROOT = projectRoot(HERE);

/** The dream worker from its TypeScript entry, through tsx's loader: for code running from the sources (tests, the bench). */
export function sourceWorkerLauncher(): WorkerLauncher {
  return { file: path.join(PROJECT_ROOT, 'electron', 'worker', 'dev-entry.mjs') };
}

/**
 * The dream worker the CLI (and its `serve`) starts. Run from the bundle, the bundled worker built
 * beside it (out/cli/dream-worker.mjs, from the same sources in the same build): the worker thread
 * then pays no tsx loader either, the larger half of a small dream's memory. Run from the sources
 * (vitest, or the tsx fallback when the bundle cannot be built), there is no such file beside this
 * one and the source worker runs, so the code under test is the code in the worker too.
 */
export function cliWorkerLauncher(): WorkerLauncher {
  const bundled = path.join(HERE, 'dream-worker.mjs');
  return fs.existsSync(bundled) ? { file: bundled, bundle: true } : sourceWorkerLauncher();
}

export const DEMO_DIR = path.join(PROJECT_ROOT, 'resources', 'demo');

export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
