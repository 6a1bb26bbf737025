#!/usr/bin/env node
// `npm test`: every check a change must pass, in order, with one summary line at the end.
//   typecheck → layer rules (dependency-cruiser) → unit + integration (vitest) → build → end-to-end (vitest + Playwright, browser mode)
//   → the shared CLI contract check (when ../shared is beside this repository, as in CI).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-test-reports-'));
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

function step(name, cmd, args, opts = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  console.log(`  ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) problems.push(name);
  return r.status === 0;
}

function countVitest(file) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    // A file that failed outside its tests (a beforeAll that threw) leaves them all skipped: count
    // the file, so the last line never reads "0 failed" for a failed run.
    failed += (j.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
    skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  } catch {
    failed++;
  }
}

function vitest(name, config, file) {
  const out = path.join(reports, file);
  const ok = step(name, bin('vitest'), ['run', ...(config ? ['--config', config] : []), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  countVitest(out);
  return ok;
}

function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)) if (fs.existsSync(p)) return p;
  return null;
}

/** The layer rules (.dependency-cruiser.cjs): each rule that holds counts as a passed test, each broken one as a failed test. */
function layers() {
  const out = path.join(reports, 'layers.json');
  // The json reporter exits 0 even with violations: the summary decides.
  if (!step('layer rules (dependency-cruiser)', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', '--output-to', out, 'electron', 'shared', 'renderer'])) return void failed++;
  try {
    const { summary } = JSON.parse(fs.readFileSync(out, 'utf8'));
    for (const v of summary.violations) console.log(`  ✗ ${v.rule.name}: ${v.from} → ${v.to}`);
    const broken = new Set(summary.violations.map((v) => v.rule.name));
    console.log(`  ${summary.ruleSetUsed.forbidden.length - broken.size} of ${summary.ruleSetUsed.forbidden.length} rules hold (${summary.totalCruised} modules)`);
    passed += summary.ruleSetUsed.forbidden.length - broken.size;
    failed += broken.size;
    if (broken.size) problems.push('layer rules');
  } catch {
    failed++;
    problems.push('layer rules (no readable report)');
  }
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json']) && step('typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json']);
layers();
vitest('unit + integration tests', null, 'unit.json');
const built = step('build', process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
if (!chromiumPath() && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
  step('install Debian chromium', 'bash', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq chromium >/dev/null']);
}
if (!built) problems.push('end-to-end tests (skipped: the build failed)');
else if (!chromiumPath()) {
  console.log('\n✗ end-to-end tests need Chromium: install Debian\'s `chromium` package (or set CHROMIUM_PATH).');
  problems.push('end-to-end tests (no Chromium)');
  failed++;
} else vitest('end-to-end tests (browser mode, Playwright + Chromium)', 'vitest.e2e.config.ts', 'e2e.json');

const contract = path.resolve(root, '..', 'shared', 'contract', 'check.mjs');
if (fs.existsSync(contract)) {
  const ok = step('CLI contract check (../shared/contract/check.mjs)', process.execPath, [contract]);
  if (ok) passed++;
  else failed++;
} else console.log('\n(The shared CLI contract check is not beside this repository; skipped.)');

fs.rmSync(reports, { recursive: true, force: true });
console.log(`\n${problems.length ? `Failed steps: ${problems.join(', ')}` : 'All steps passed.'}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems.length || failed ? 1 : 0);
