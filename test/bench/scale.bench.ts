// `npm run bench -- scale` (issue 15): a year of logs on a laptop. Every figure is a whole process of the
// real CLI (bin/reverie.mjs), peak RSS as the OS counted it (/usr/bin/time -v, else /proc/<pid>/status
// VmHWM), printed beside its target; speed as a ratio against a bare read + JSON.parse loop over the same
// files, run as a whole process in the same run. The machine is shared: run it under `nice`, and trust
// the ratios more than the seconds.
//   1. many small sessions: 10,000 Claude Code sessions of ~12 KB   import ≥ 0.5× the loop, peak < 300 MB
//   2. few large sessions:  a Claude Code corpus of 3 MB sessions  import ≥ 0.5× the loop, peak < 300 MB
//   2b. a big ChatGPT export (one conversations.json of 200 MB, streamed) import ≥ 0.5× the loop, peak < 300 MB
//   3. a 20,000-session mixed corpus (Claude Code, Codex, ChatGPT export): import as above; full dream < 400 MB
//   4. a 100,000-session store from the generator: full dream < 2 min and < 1 GB, incremental dream after
//      500 new sessions < 5 s (median of three runs), open → lesson list < 500 ms, Lessons paint < 1 s, bridge p95 during a dream < 100 ms
// Sizes: REVERIE_BENCH_SCALE_SMALL (10000), REVERIE_BENCH_SCALE_LARGE_MB (100), REVERIE_BENCH_SCALE_EXPORT_MB (200),
// REVERIE_BENCH_SCALE_MIXED (20000), REVERIE_BENCH_SCALE_STORE (100000); REVERIE_BENCH_SCALE_ONLY=small,large,export,mixed,store runs a part.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INDEX_FILE, unfold } from '../../electron/core/dreaming/observations';
import { loadIndex, writeIndexFile } from '../../electron/core/dreaming/observations-file';
import { writeQualityCorpus } from './dream-corpus';
import { generateStore } from './generate-store';
import { ensureChatgptExport, ensureCorpus, ensureSmallCorpus, type Corpus } from './import-corpus';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const CLI = path.join(root, 'bin', 'reverie.mjs');
const TARGET = { importRatio: 0.5, importPeakMB: 300, mixedDreamPeakMB: 400, storeDreamS: 120, storeDreamPeakMB: 1024, incrementalS: 5, openToListMs: 500, paintMs: 1000, bridgeP95Ms: 100 };

interface Proc { wallS: number; userS: number; sysS: number; peakMB: number; stdout: string }

/** Runs `node args…` as its own process; wall, CPU and peak RSS as the OS reports them. */
async function timed(args: string[], timeoutS = 1800): Promise<Proc> {
  if (fs.existsSync('/usr/bin/time')) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: timeoutS * 1000 });
    const wallS = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-1500)}`);
    const num = (label: string) => Number(new RegExp(`${label}: ([0-9.]+)`).exec(r.stderr)?.[1] ?? NaN);
    return { wallS, userS: num('User time \\(seconds\\)'), sysS: num('System time \\(seconds\\)'), peakMB: num('Maximum resident set size \\(kbytes\\)') / 1024, stdout: r.stdout };
  }
  // Without GNU time: the kernel's high-water mark of the child, polled until it exits (it only grows).
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwmKB = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        hwmKB = Math.max(hwmKB, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch { /* exited between two polls */ }
    }, 20);
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(kill);
      if (code !== 0) return reject(new Error(`${args.join(' ')} failed (${code}): ${stderr.slice(-1500)}`));
      resolve({ wallS: (performance.now() - t0) / 1000, userS: NaN, sysS: NaN, peakMB: hwmKB / 1024, stdout });
    });
  });
}

const ok = (good: boolean) => (good ? 'ok' : 'MISSED');
const mb = (n: number) => `${n.toFixed(0)} MB`;
const s1 = (n: number) => `${n.toFixed(1)} s`;
const cpuSplit = (p: Proc) => (Number.isNaN(p.userS) ? '' : `, CPU ${s1(p.userS + p.sysS)} of which kernel ${((100 * p.sysS) / Math.max(0.001, p.userS + p.sysS)).toFixed(0)} %`);
const freshStore = () => fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-bench-scale-store-'));

/** The bare loop and the real import over the same files, as whole processes, alternating; plus redaction's share. */
async function importShape(name: string, corpus: Corpus, keepStore = false): Promise<{ store: string; imp: Proc }> {
  const size = corpus.bytes / 1048576;
  console.log(`${name}: ${corpus.files.length.toLocaleString('en')} files, ${size.toFixed(0)} MB (${corpus.dir})`);
  const base = await timed([path.join(here, 'bare-loop.mjs'), corpus.dir]);
  const store = freshStore();
  const imp = await timed([CLI, 'import', '--json', '--store', store, corpus.dir]);
  const result = JSON.parse(imp.stdout) as { sessions: number; events: number; errors: unknown[] };
  const ratio = base.wallS / imp.wallS;
  console.log(`  bare read + JSON.parse loop   ${s1(base.wallS).padStart(8)}  ${(size / base.wallS).toFixed(1).padStart(6)} MB/s  peak ${mb(base.peakMB)}${cpuSplit(base)}`);
  console.log(`  reverie import                ${s1(imp.wallS).padStart(8)}  ${(size / imp.wallS).toFixed(1).padStart(6)} MB/s  peak ${mb(imp.peakMB)}${cpuSplit(imp)}; ${result.sessions.toLocaleString('en')} sessions, ${result.events.toLocaleString('en')} events, ${result.errors.length} errors`);
  // On a busy shared machine wall time mostly measures the wait for a CPU: the CPU-time ratio is shown beside it.
  const cpuRatio = (base.userS + base.sysS) / (imp.userS + imp.sysS);
  console.log(`  import = ${ratio.toFixed(2)}× the loop (target ≥ ${TARGET.importRatio}×) ${ok(ratio >= TARGET.importRatio)}${Number.isNaN(cpuRatio) ? '' : `; in CPU time ${cpuRatio.toFixed(2)}×`}; peak ${mb(imp.peakMB)} (target < ${TARGET.importPeakMB} MB) ${ok(imp.peakMB < TARGET.importPeakMB)}`);
  // Redaction's share: the same files parsed by the real importers in another process, every event
  // redacted as import does it, the redaction time beside the whole import's wall time.
  const red = JSON.parse((await timed(['--import', 'tsx', path.join(here, 'scale-worker.ts'), 'parse-redact', corpus.dir])).stdout) as { events: number; changed: number; parseMs: number; redactMs: number };
  console.log(`  redaction ${s1(red.redactMs / 1000)} over ${red.events.toLocaleString('en')} events (${red.changed} changed) = ${((100 * red.redactMs) / 1000 / imp.wallS).toFixed(1)} % of the import's wall time (parsing alone ${s1(red.parseMs / 1000)})`);
  ccusage(corpus, imp, base);
  if (!keepStore) fs.rmSync(store, { recursive: true, force: true });
  return { store, imp };
}

/** ccusage reads the same Claude Code files (token usage only); side by side when installed. */
function ccusage(corpus: Corpus, imp: Proc, base: Proc): void {
  const bin = process.env.REVERIE_BENCH_CCUSAGE || spawnSync('which', ['ccusage'], { encoding: 'utf8' }).stdout.trim();
  if (!bin || !fs.existsSync(bin)) return;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-bench-ccusage-'));
  fs.symlinkSync(corpus.dir, path.join(home, 'projects'));
  const t0 = performance.now();
  const r = spawnSync(bin, ['daily', '--json', '--offline'], { encoding: 'utf8', env: { ...process.env, CLAUDE_CONFIG_DIR: home }, maxBuffer: 1 << 26 });
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(home, { recursive: true, force: true });
  if (r.status !== 0) return void console.log(`  ccusage: failed (${r.stderr.trim().split('\n').pop()})`);
  console.log(`  ccusage daily (same files) ${s1(s)} = ${(base.wallS / s).toFixed(2)}× the loop; Reverie import ${(s / imp.wallS).toFixed(2)}× ccusage's speed`);
}

function ensureMixedCorpus(sessions: number): Corpus {
  const dir = path.join(os.tmpdir(), `reverie-bench-mixed-${sessions}`);
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`generating a ${sessions}-session mixed corpus in ${dir} …`);
    writeQualityCorpus(dir, { sessions, seed: 15 });
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  }
  const files = fs.readdirSync(dir).filter((f) => /\.jsonl?$/.test(f)).map((f) => path.join(dir, f));
  return { dir, files, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

async function dream(store: string, full: boolean): Promise<{ p: Proc; changes: number; read: number }> {
  const p = await timed([CLI, 'dream', '--json', '--store', store, ...(full ? ['--full'] : [])]);
  const d = JSON.parse(p.stdout) as { changes: unknown[]; stats?: { sessionsRead?: number } };
  return { p, changes: d.changes.length, read: d.stats?.sessionsRead ?? NaN };
}

/** Takes sessions out of a store's observation index with the project's own code: as if they were imported after its last dream. */
function withoutSessions(dir: string, ids: string[]): void {
  const index = loadIndex(dir);
  for (const id of ids) unfold(index, id);
  const file = path.join(dir, INDEX_FILE);
  writeIndexFile(`${file}.bench`, index);
  fs.renameSync(`${file}.bench`, file);
}

/** The files a dream rewrites, copied aside, to start each timed run from the same state. */
function snapshot(dir: string): { restore: () => void } {
  const files = ['index.json', 'reverie.json', INDEX_FILE];
  const saved = files.map((f) => [f, fs.readFileSync(path.join(dir, f))] as const);
  return { restore: () => { for (const [f, bytes] of saved) fs.writeFileSync(path.join(dir, f), bytes); } };
}

/**
 * A year of logs repeats itself: a tenth of user messages and half of the errors come from a few real
 * ones, so the same wishes recur in ~14,000 of 100,000 sessions and the same errors in hundreds —
 * what a dream must mine without holding every observation of them.
 */
const RECURRING = 0.1;

/**
 * A full dream's peak on a quarter of the store, same generator: how the peak grows with sessions
 * (issue 15: beyond a small entry per session, memory must not grow with them).
 */
function fullDreamPeakAt(sessions: number): Promise<{ sessions: number; peakMB: number }> {
  const dir = freshStore();
  generateStore(dir, { sessions, eventsPerSession: 40, signals: 'extracted', recurring: RECURRING });
  spawnSync('sync');
  return dream(dir, true).then((d) => ({ sessions, peakMB: d.p.peakMB })).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

async function storeAtScale(sessions: number): Promise<void> {
  const quarter = await fullDreamPeakAt(Math.round(sessions / 4));
  const dir = freshStore();
  try {
    // The signals import would have stored: an incremental dream folds what a full one extracts.
    const g = generateStore(dir, { sessions, eventsPerSession: 40, signals: 'extracted', recurring: RECURRING });
    console.log(`store: ${g.sessions.toLocaleString('en')} sessions, ${g.events.toLocaleString('en')} events, ${g.signals.toLocaleString('en')} signals, ${g.lessons} lessons, ${(g.bytes / 1048576).toFixed(0)} MB, generated in ${s1(g.ms / 1000)}`);
    spawnSync('sync'); // the generator's writes are not the dream's
    const full = await dream(dir, true);
    console.log(`  full dream          ${s1(full.p.wallS).padStart(8)} (target < ${TARGET.storeDreamS} s) ${ok(full.p.wallS < TARGET.storeDreamS)}; peak ${mb(full.p.peakMB)} (target < 1 GB) ${ok(full.p.peakMB < TARGET.storeDreamPeakMB)}; ${full.changes} changes, ${full.read} sessions read${cpuSplit(full.p)}`);
    const perSession = ((full.p.peakMB - quarter.peakMB) * 1024) / (g.sessions - quarter.sessions);
    console.log(`  full dream's growth ${quarter.sessions.toLocaleString('en')} → ${g.sessions.toLocaleString('en')} sessions: peak ${mb(quarter.peakMB)} → ${mb(full.p.peakMB)}, ${perSession.toFixed(1)} KB per session (the index's entry per session and per key, the session index, GC slack)`);
    // 500 new sessions: the last 500 of the store, imported after its last dream — not in the observation
    // index (taken out of it with the project's own code), not dreamt over, and a dream over the other
    // 99,500 recorded before them (what a store looks like the day after). Three runs, each from that same
    // state, and their median judged: one run of a few seconds on a shared machine is mostly its noise.
    const indexFile = path.join(dir, 'index.json');
    const last500 = () => Object.keys((JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { locations: Record<string, unknown> }).locations).slice(-500);
    const markUndreamt = (ids: string[]) => {
      const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { undreamt: string[] };
      index.undreamt = ids;
      fs.writeFileSync(indexFile, JSON.stringify(index));
    };
    const newOnes = last500();
    withoutSessions(dir, newOnes);
    markUndreamt([]);
    await dream(dir, false);
    const before = snapshot(dir);
    const median = async (setup: () => void) => {
      const runs: Awaited<ReturnType<typeof dream>>[] = [];
      for (let i = 0; i < 3; i++) {
        setup();
        // The bench's own setup writes are flushed before the timed run: new sessions reach a real store
        // by an import some time before a dream, not a second before.
        spawnSync('sync');
        runs.push(await dream(dir, false));
      }
      return { inc: [...runs].sort((a, b) => a.p.wallS - b.p.wallS)[1]!, all: runs.map((r) => s1(r.p.wallS).trim()).join(', '), peak: Math.max(...runs.map((r) => r.p.peakMB)) };
    };
    const fresh = await median(() => { before.restore(); markUndreamt(newOnes); });
    console.log(`  incremental dream   ${s1(fresh.inc.p.wallS).padStart(8)} after 500 new sessions, whole process, median of ${fresh.all} (target < ${TARGET.incrementalS} s) ${ok(fresh.inc.p.wallS < TARGET.incrementalS)}; peak ${mb(fresh.peak)}; ${fresh.inc.read} sessions read${cpuSplit(fresh.inc.p)}`);
    // The same 500 folded again (grown since their last import, as a session an agent was still writing):
    // what they showed before is taken out of every pattern, so those are walked whole. Shown, no target.
    const again = await median(() => markUndreamt(newOnes));
    console.log(`  …the same 500 folded again ${s1(again.inc.p.wallS).padStart(3)} (grown sessions: median of ${again.all}); peak ${mb(again.peak)}${cpuSplit(again.inc.p)}`);
    // Importing into it: the peak target holds "at any corpus size", the store's size included.
    const more = ensureSmallCorpus(300, 12, console.log);
    const imp = await timed([CLI, 'import', more.dir, '--store', dir]);
    console.log(`  import 300 sessions into it ${s1(imp.wallS).padStart(5)}; peak ${mb(imp.peakMB)} (target < ${TARGET.importPeakMB} MB) ${ok(imp.peakMB < TARGET.importPeakMB)}${cpuSplit(imp)}`);
    const { measureStore } = await import('./store.bench');
    const figures = await measureStore(dir);
    console.log(`  open → lesson list ${figures.openToListMs.toFixed(0)} ms (target < ${TARGET.openToListMs} ms) ${ok(figures.openToListMs < TARGET.openToListMs)}; bridge p95 during a dream ${figures.bridgeP95Ms.toFixed(0)} ms (target < ${TARGET.bridgeP95Ms} ms) ${ok(figures.bridgeP95Ms < TARGET.bridgeP95Ms)}`);
    if (fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
      const { measureLessonsPaint } = await import('./ui.bench');
      const paint = await measureLessonsPaint(dir);
      console.log(`  Lessons paint ${paint.ms.toFixed(0)} ms (small store ${paint.smallMs.toFixed(0)} ms → ${(paint.ms / paint.smallMs).toFixed(2)}×; target < ${TARGET.paintMs} ms) ${ok(paint.ms < TARGET.paintMs)}`);
    } else console.log('  Lessons paint: not measured (needs the built renderer: npx electron-vite build)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function scaleBench(): Promise<void> {
  const only = (process.env.REVERIE_BENCH_SCALE_ONLY ?? 'small,large,export,mixed,store').split(',');
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs; peak RSS from ${fs.existsSync('/usr/bin/time') ? '/usr/bin/time -v' : '/proc/<pid>/status VmHWM'}`);
  if (only.includes('small')) await importShape('many small sessions', ensureSmallCorpus(Number(process.env.REVERIE_BENCH_SCALE_SMALL ?? 10_000), 12, console.log));
  if (only.includes('large')) await importShape('few large sessions', ensureCorpus(Number(process.env.REVERIE_BENCH_SCALE_LARGE_MB ?? 100), console.log));
  if (only.includes('export')) await importShape('a big ChatGPT export', ensureChatgptExport(Number(process.env.REVERIE_BENCH_SCALE_EXPORT_MB ?? 200), console.log));
  if (only.includes('mixed')) {
    const { store } = await importShape('mixed corpus', ensureMixedCorpus(Number(process.env.REVERIE_BENCH_SCALE_MIXED ?? 20_000)), true);
    try {
      const d = await dream(store, true);
      console.log(`  full dream ${s1(d.p.wallS)}, peak ${mb(d.p.peakMB)} (target < ${TARGET.mixedDreamPeakMB} MB) ${ok(d.p.peakMB < TARGET.mixedDreamPeakMB)}; ${d.changes} changes, ${d.read} sessions read${cpuSplit(d.p)}`);
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  }
  if (only.includes('store')) await storeAtScale(Number(process.env.REVERIE_BENCH_SCALE_STORE ?? 100_000));
}
