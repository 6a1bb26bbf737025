// The CLI runs from an esbuild bundle of its TypeScript sources, built on demand into out/cli/ (git-
// ignored), like `serve` builds the UI (electron/cli/ui-build.ts). Why not tsx, which runs the sources
// as they are: its loader and per-file transforms cost ~100 MB of memory in every CLI process and
// again in every dream worker thread; the same code bundled costs less than half, and a year of logs
// on a laptop has that memory to spend on the logs instead.
//
// Plain JavaScript on purpose: bin/reverie.mjs loads this before any TypeScript can run.
//
// Three self-contained bundles (no shared chunks): main.mjs (the CLI), dream-worker.mjs (the dream
// worker thread, which then loads only the dream's code) and dream-ahead.mjs (a few KB: starts
// `reverie dream`'s worker before main.mjs loads, electron/cli/dream-ahead.ts). Packages stay external (zod aside: see the
// build) and resolve from node_modules as they do from the sources; the bundles sit two folders below
// the project root, and electron/core/platform/node.ts finds the root from wherever its code runs, so every project path
// (resources, out/renderer, package.json) resolves as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT = path.join(ROOT, 'out', 'cli');

/** Output name → entry source, relative to the root. */
export const ENTRIES = { main: 'electron/cli/main.ts', 'dream-worker': 'electron/worker/dream.ts', 'dream-ahead': 'electron/cli/dream-ahead.ts' };

/**
 * What shapes the bundles besides the sources they import (esbuild's metafile lists those): these
 * build settings, the TypeScript settings esbuild reads (tsconfig.json, as tsx does) and the installed
 * packages (an esbuild upgrade arrives through the lockfile).
 */
export const SETTINGS = ['scripts/cli-bundle.mjs', 'tsconfig.json', 'package-lock.json'];

const META = 'meta.json';

/**
 * An input whose modification time is this close to the build's start or later may have changed
 * while esbuild was reading it (the kernel's file clock can lag the wall clock by a tick): it is
 * recorded as changed, so the next start builds again.
 */
const CLOCK_SLOP_MS = 20;

/** A file's modification time, or null when it is not there. */
function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Whether the bundles in `out` were built from the inputs as they are now: each input's modification
 * time must be the one recorded after the build. Equality rather than "older than the build": a file
 * restored with an older time (an rsync, an archive, a copy keeping times) is a change too. A JSON
 * read and one stat per input (~140 files), a few milliseconds, so every CLI start can afford it.
 * @returns {{ state: 'missing' } | { state: 'stale', changed: string } | { state: 'fresh' }}
 */
export function bundleState({ root = ROOT, out = CLI_OUT, entries = ENTRIES } = {}) {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(out, META), 'utf8'));
    for (const name of Object.keys(entries)) fs.statSync(path.join(out, `${name}.mjs`));
  } catch {
    return { state: 'missing' };
  }
  if (!meta || typeof meta.files !== 'object') return { state: 'missing' }; // written by an older layout of this file
  for (const [rel, mtimeMs] of Object.entries(meta.files)) if (mtimeOf(path.join(root, rel)) !== mtimeMs) return { state: 'stale', changed: rel };
  return { state: 'fresh' };
}

/**
 * Writes `contents` to `file` through a temporary file and a rename, so a process starting meanwhile
 * reads the old file or the new one, never half of one. Several CLI processes may build at once (the
 * test suite starts many): each writes its own temporary file, and the renames replace one complete
 * bundle with another built from the same sources.
 */
function writeAtomic(file, contents) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, contents);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Builds the bundles into `out` (a few tens of milliseconds). No lock: concurrent builds are cheap and
 * safe (see writeAtomic), while waiting on a lock would cost every start. meta.json is written last, so
 * bundles without it count as missing; it records every input's modification time, taken after the
 * build (an input changed during the build is recorded as changed).
 */
export async function buildBundle({ root = ROOT, out = CLI_OUT, entries = ENTRIES, settings = SETTINGS } = {}) {
  const esbuild = await import('esbuild');
  const startedAt = Date.now();
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, path.join(root, src)])),
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The oldest Node the package supports (package.json "engines"): nothing is lowered for it.
      target: 'node20.6',
      // Packages stay external, but zod: it is ~100 module files, and resolving and linking them cost
      // each CLI start and each dream worker about 0.1 s (measured); bundled, they are one file's parse.
      plugins: [{ name: 'packages-external-but-zod', setup: (b) => b.onResolve({ filter: /^[^./]/ }, ({ path: p }) => (p === 'zod' || p.startsWith('zod/') ? undefined : { external: true })) }],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    fs.mkdirSync(out, { recursive: true });
    for (const f of result.outputFiles) writeAtomic(f.path, f.contents);
    const files = {};
    for (const rel of [...Object.keys(result.metafile.inputs).sort(), ...settings]) {
      const mtimeMs = mtimeOf(path.join(root, rel));
      files[rel] = mtimeMs !== null && mtimeMs >= startedAt - CLOCK_SLOP_MS ? -1 : mtimeMs;
    }
    writeAtomic(path.join(out, META), `${JSON.stringify({ esbuild: esbuild.version, files }, null, 1)}\n`);
  } finally {
    // esbuild serves builds from a child process; end it rather than keep it (and its memory) for the CLI's lifetime.
    await esbuild.stop?.();
  }
}

/** esbuild's first error as one line (`file:line: text`), or the error's first line. */
function firstLine(err) {
  const e = err?.errors?.[0];
  if (e) return `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`;
  return String(err?.message ?? err).split('\n')[0];
}

/**
 * The bundled CLI's entry file, built first when missing or stale; null when it cannot be built
 * (esbuild missing, a syntax error, a read-only install), after a one-line notice through `log`: the
 * caller then runs the sources through tsx, which reports a source error the way it always has.
 */
export async function ensureCliBundle(log, opts = {}) {
  const out = opts.out ?? CLI_OUT;
  const main = path.join(out, 'main.mjs');
  if (bundleState(opts).state === 'fresh') return main;
  try {
    await buildBundle(opts);
    return main;
  } catch (err) {
    log(`notice: the CLI bundle could not be built (${firstLine(err)}); running from the TypeScript sources through tsx instead.`);
    return null;
  }
}
