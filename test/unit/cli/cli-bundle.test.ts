// The CLI runs from an esbuild bundle built on demand (scripts/cli-bundle.mjs): the staleness check on
// a small temp project with chosen modification times, the build's failure path (tsx takes over),
// concurrent builds, and the real sources bundled into out/ still finding the project's own paths.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle, bundleState, ensureCliBundle, ENTRIES, SETTINGS } from '../../../scripts/cli-bundle.mjs';
import { cliWorkerLauncher, DEMO_DIR, PROJECT_ROOT, sourceWorkerLauncher } from '../../../electron/core/platform/node';
import { tempDir } from '../../helpers/env';

const HOUR = 3600_000;

/** A tiny TypeScript project: main.ts imports lib.ts; build.cfg stands for the build settings. */
function project(): { root: string; out: string; opts: { root: string; out: string; entries: Record<string, string>; settings: string[] } } {
  const root = tempDir('reverie-cli-bundle-');
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'lib.ts'), 'export const twice = (n: number): number => n * 2;\n');
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), "import { twice } from './lib';\nexport const answer: number = twice(21);\n");
  fs.writeFileSync(path.join(root, 'build.cfg'), '');
  // Everything was last changed an hour ago, so the build that follows is clearly newer.
  const past = new Date(Date.now() - HOUR);
  for (const f of ['src/lib.ts', 'src/main.ts', 'build.cfg']) fs.utimesSync(path.join(root, f), past, past);
  const out = path.join(root, 'out', 'cli');
  return { root, out, opts: { root, out, entries: { main: 'src/main.ts' }, settings: ['build.cfg', 'absent.cfg'] } };
}

const touch = (file: string, when: Date) => fs.utimesSync(file, when, when);

describe('the CLI bundle', () => {
  it('is missing, then built with its inputs recorded, then fresh until an input changes', async () => {
    const { root, out, opts } = project();
    expect(bundleState(opts)).toEqual({ state: 'missing' });
    await buildBundle(opts);
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8'));
    expect(Object.keys(meta.files)).toEqual(['src/lib.ts', 'src/main.ts', 'build.cfg', 'absent.cfg']);
    expect(meta.files['absent.cfg']).toBeNull();
    expect(bundleState(opts)).toEqual({ state: 'fresh' });
    expect((await import(pathToFileURL(path.join(out, 'main.mjs')).href)).answer).toBe(42);
    // No temporary file is left behind.
    expect(fs.readdirSync(out).sort()).toEqual(['main.mjs', 'meta.json']);

    touch(path.join(root, 'src', 'lib.ts'), new Date(Date.now() - 60_000));
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'src/lib.ts' });
    await buildBundle(opts);
    expect(bundleState(opts)).toEqual({ state: 'fresh' });
    // An older time is a change too (a file restored from a copy that kept its times).
    touch(path.join(root, 'src', 'lib.ts'), new Date(Date.now() - 2 * HOUR));
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'src/lib.ts' });
    await buildBundle(opts);

    touch(path.join(root, 'build.cfg'), new Date(Date.now() - 60_000));
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'build.cfg' });
    await buildBundle(opts);
    fs.writeFileSync(path.join(root, 'absent.cfg'), '');
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'absent.cfg' });
  });

  it('is stale when an input is gone, and missing without its meta.json or a bundle', async () => {
    const { root, out, opts } = project();
    await buildBundle(opts);
    fs.renameSync(path.join(root, 'src', 'lib.ts'), path.join(root, 'src', 'lib2.ts'));
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'src/lib.ts' });
    fs.renameSync(path.join(root, 'src', 'lib2.ts'), path.join(root, 'src', 'lib.ts'));
    fs.rmSync(path.join(out, 'main.mjs'));
    expect(bundleState(opts)).toEqual({ state: 'missing' });
    await buildBundle(opts);
    fs.rmSync(path.join(out, 'meta.json'));
    expect(bundleState(opts)).toEqual({ state: 'missing' });
  });

  it('records an input that may have changed while the build read it as changed, so the next start builds again', async () => {
    const { root, opts } = project();
    touch(path.join(root, 'src', 'main.ts'), new Date(Date.now() + 1000));
    await buildBundle(opts);
    expect(bundleState(opts)).toEqual({ state: 'stale', changed: 'src/main.ts' });
    touch(path.join(root, 'src', 'main.ts'), new Date(Date.now() - 1000));
    await buildBundle(opts);
    expect(bundleState(opts)).toEqual({ state: 'fresh' });
  });

  it('is rebuilt by ensureCliBundle only when needed, and a failed build says so in one line and hands over to tsx', async () => {
    const { root, out, opts } = project();
    const notices: string[] = [];
    expect(await ensureCliBundle((l) => notices.push(l), opts)).toBe(path.join(out, 'main.mjs'));
    const built = fs.statSync(path.join(out, 'main.mjs')).mtimeMs;
    expect(await ensureCliBundle((l) => notices.push(l), opts)).toBe(path.join(out, 'main.mjs'));
    expect(fs.statSync(path.join(out, 'main.mjs')).mtimeMs).toBe(built);
    expect(notices).toEqual([]);

    fs.writeFileSync(path.join(root, 'src', 'lib.ts'), 'export const twice = (n: number) => n * ;\n');
    expect(await ensureCliBundle((l) => notices.push(l), opts)).toBeNull();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^notice: the CLI bundle could not be built \(src\/lib\.ts:1: .+\); running from the TypeScript sources through tsx instead\.$/);
    expect(notices[0]).not.toContain('\n');
  });

  it('survives many processes building it at once: every one succeeds and the result is whole', async () => {
    const { out, opts } = project();
    const script = pathToFileURL(path.resolve('scripts/cli-bundle.mjs')).href;
    const code = `const m = await import(${JSON.stringify(script)}); await m.buildBundle(${JSON.stringify(opts)});`;
    const codes = await Promise.all(Array.from({ length: 6 }, () => new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' });
      p.on('close', resolve);
    })));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    expect(fs.readdirSync(out).sort()).toEqual(['main.mjs', 'meta.json']);
    expect(bundleState(opts)).toEqual({ state: 'fresh' });
    expect((await import(`${pathToFileURL(path.join(out, 'main.mjs')).href}?after-race`)).answer).toBe(42);
  });

  it('is built from the CLI, dream-worker and dream-ahead entries, with settings that exist', () => {
    expect(Object.keys(ENTRIES).sort()).toEqual(['dream-ahead', 'dream-worker', 'main']);
    for (const src of Object.values(ENTRIES)) expect(fs.existsSync(path.join(PROJECT_ROOT, src)), src).toBe(true);
    for (const s of SETTINGS) expect(fs.existsSync(path.join(PROJECT_ROOT, s)), s).toBe(true);
  });
});

describe('project paths from a bundle', () => {
  // A bundle of platform/node.ts placed where the CLI's lives (a folder two levels below the root),
  // beside a dream-worker.mjs as the CLI build leaves one.
  const dir = path.join(PROJECT_ROOT, 'out', `cli-test-${randomUUID()}`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the same project root, demo folder and bundled worker as the CLI bundle does', async () => {
    await esbuild.build({ entryPoints: [path.join(PROJECT_ROOT, 'electron/core/platform/node.ts')], outfile: path.join(dir, 'node.mjs'), bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    const bare = await import(pathToFileURL(path.join(dir, 'node.mjs')).href);
    expect(bare.PROJECT_ROOT).toBe(PROJECT_ROOT);
    expect(bare.DEMO_DIR).toBe(DEMO_DIR);
    // No worker bundle beside it: the source worker, like the sources themselves get.
    expect(bare.cliWorkerLauncher()).toEqual(sourceWorkerLauncher());
    fs.writeFileSync(path.join(dir, 'dream-worker.mjs'), '');
    // A bundle: its bytes name the code it runs (what patterns kept between dreams are checked against).
    expect(bare.cliWorkerLauncher()).toEqual({ file: path.join(dir, 'dream-worker.mjs'), bundle: true });
  });

  it('runs the source worker when the CLI runs from the sources (vitest, the tsx fallback)', () => {
    expect(cliWorkerLauncher()).toEqual(sourceWorkerLauncher());
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'package.json'))).toBe(true);
  });
});
