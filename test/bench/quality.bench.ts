// `npm run bench -- quality`: learning quality on an INDEPENDENT corpus (quality-corpus.ts, issue 13).
// Each seed's corpus is imported through the real core into a temp store, dreamt over once, and its
// lessons (candidates too) scored against the ground truth. Seeds 1–5 are for tuning; seeds 100–104
// are held out (never looked at while tuning) and are the headline.
// QUALITY_SESSIONS (default 2000) and QUALITY_SEEDS ("1,2,100") shrink a run while working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../../shared/contract/client';
import type { Lesson } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { writeQualityCorpus2 } from './quality-corpus';
import { scoreQuality, type QualityScore } from './quality-score';

const TUNE = [1, 2, 3, 4, 5];
const HELD_OUT = [100, 101, 102, 103, 104];

interface SeedRun { seed: number; score: QualityScore; importMs: number; dreamMs: number; lessons: Lesson[] }

/** Generates, imports, dreams and scores one seed; everything lives in a temp folder removed after. */
export async function runQualitySeed(seed: number, sessions: number): Promise<SeedRun> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-quality-'));
  try {
    const truth = await writeQualityCorpus2(path.join(work, 'logs'), { seed, sessions });
    const core = await openCore({ storeDir: path.join(work, 'store'), host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const api = createClient(core.dispatch);
      const t0 = performance.now();
      const imp = await api.call('import.paths', { paths: [path.join(work, 'logs')] });
      const importMs = performance.now() - t0;
      if (imp.errors.length) throw new Error(`seed ${seed}: ${imp.errors.length} import errors, first: ${JSON.stringify(imp.errors[0])}`);
      const t1 = performance.now();
      await api.call('dreams.run', {});
      const dreamMs = performance.now() - t1;
      const lessons = await api.call('lessons.list', { all: true });
      return { seed, score: scoreQuality(truth, lessons), importMs, dreamMs, lessons };
    } finally {
      await core.close();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);
const f2 = (x: number | null): string => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(2));
const row = (label: string, value: string, target: string, ok: boolean | null): string => `  ${label.padEnd(58)} ${value.padStart(9)}   target ${target.padEnd(7)} ${ok === null ? '' : ok ? 'ok' : 'MISS'}`;

function report(name: string, runs: SeedRun[]): void {
  const s = runs.map((r) => r.score);
  const sum = (f: (x: QualityScore) => number): number => s.reduce((a, x) => a + f(x), 0);
  const recall = mean(s.map((x) => x.recall));
  const precision = mean(s.map((x) => x.precision));
  const ev = s.map((x) => x.evidenceAccuracy).filter((x): x is number => x !== null);
  const evMean = ev.length ? mean(ev) : null;
  console.log(`\n${name}: seeds ${runs.map((r) => r.seed).join(', ')} (${s[0]?.patterns ?? 0} planted patterns each; figures are means over seeds, counts are totals; failure classes count candidates too)`);
  console.log(row('recall (patterns with a correct ACTIVE lesson)', f2(recall), '≥ 0.95', recall >= 0.95));
  console.log(row('  recall if candidates counted', f2(mean(s.map((x) => x.recallWithCandidates))), '', null));
  console.log(row('precision (active lessons that are correct)', f2(precision), '≥ 0.95', precision >= 0.95));
  console.log(row('duplicates (extra lessons for one pattern, incl. candidates)', String(sum((x) => x.duplicates)), '0', sum((x) => x.duplicates) === 0));
  console.log(row('evidence accuracy', f2(evMean), '≥ 0.95', evMean !== null && evMean >= 0.95));
  const fc = (k: 1 | 2 | 3 | 4 | 5 | 6 | 8): number => sum((x) => x.failures[k]);
  const classes: [string, number][] = [
    ['1 one preference → several lessons (extra lessons)', fc(1)],
    ['2 task request learned as a preference (lessons)', fc(2)],
    ['3 same mistake in two projects → two lessons (extra)', fc(3)],
    ['4 quoted error is a banner/header line (lessons)', fc(4)],
    ['5 fix names per-call arguments (lessons)', fc(5)],
    ['6 raw log text or placeholder in title/text (lessons)', fc(6)],
    ['7a workflow dropped distinctive steps', sum((x) => x.failures[7].droppedSteps)],
    ['7b workflow not found', sum((x) => x.failures[7].notFound)],
    ['8 one-agent mistake not active + scoped to its agent', fc(8)],
  ];
  for (const [label, n] of classes) console.log(row(`failure ${label}`, String(n), '0', n === 0));
  console.log(row('lessons (active / candidates, per seed)', `${f2(mean(s.map((x) => x.lessons)))} / ${f2(mean(s.map((x) => x.candidates)))}`, '', null));
  console.log(row('dream time (s, per seed)', f2(mean(runs.map((r) => r.dreamMs / 1000))), '', null));
  console.log(row('dream time / import time', f2(mean(runs.map((r) => r.dreamMs / r.importMs))), '', null));

  // Per pattern: the seeds that missed it and, for each different reason, the first seed's words.
  const missed = new Map<string, { seed: number; reason: string }[]>();
  for (const r of runs) for (const m of r.score.missed) missed.set(m.id, [...(missed.get(m.id) ?? []), { seed: r.seed, reason: m.reason ?? '' }]);
  console.log(`  missed patterns${missed.size ? '' : ': none'}`);
  for (const [id, list] of missed) {
    console.log(`    - ${id}: missed in ${list.length}/${runs.length} seeds [${list.map((x) => x.seed).join(',')}]`);
    const shown = new Set<string>();
    for (const x of list) {
      const kind = x.reason.replace(/:.*$/s, '');
      if (shown.has(kind)) continue;
      shown.add(kind);
      console.log(`        seed ${x.seed}: ${x.reason}`);
    }
  }
  const unmatched = new Map<string, string[]>();
  for (const r of runs) for (const u of r.score.unmatched) {
    const key = `(${u.kind}${u.evidenceFor ? `, evidence → ${u.evidenceFor}` : ''}${u.notes.length ? `; ${u.notes.join('; ')}` : ''}) ${JSON.stringify(u.title)}`;
    unmatched.set(key, [...(unmatched.get(key) ?? []), String(r.seed)]);
  }
  console.log(`  unmatched active lessons${unmatched.size ? ' (verbatim titles)' : ': none'}`);
  for (const [what, seeds] of unmatched) console.log(`    - ${what}  [seeds ${seeds.join(',')}]`);
  const flagged = new Map<string, string[]>();
  for (const r of runs) for (const v of r.score.verdicts) if (v.status === 'active' && v.correctFor && v.failures.length) {
    const key = `${v.correctFor}: ${JSON.stringify(v.title)} — ${v.notes.join('; ')}`;
    flagged.set(key, [...(flagged.get(key) ?? []), String(r.seed)]);
  }
  if (flagged.size) console.log('  correct lessons that still show a failure class');
  for (const [what, seeds] of flagged) console.log(`    - ${what}  [seeds ${seeds.join(',')}]`);
}

export default async function qualityBench(): Promise<void> {
  const sessions = Number(process.env.QUALITY_SESSIONS ?? 2000);
  const only = process.env.QUALITY_SEEDS?.split(',').map(Number);
  const groups: [string, number[]][] = [['TUNE (seeds 1–5)', TUNE], ['HELD-OUT (seeds 100–104), the headline', HELD_OUT]];
  console.log(`Independent quality corpus: ${sessions} sessions per seed (Claude Code + Codex + a ChatGPT export), heuristic engine, one dream.`);
  const results: [string, SeedRun[]][] = [];
  for (const [name, seeds] of groups) {
    const runs: SeedRun[] = [];
    for (const seed of seeds.filter((x) => !only || only.includes(x))) {
      const run = await runQualitySeed(seed, sessions);
      console.log(`  seed ${String(seed).padStart(3)}: recall ${f2(run.score.recall)}, precision ${f2(run.score.precision)}, ${run.score.lessons} active + ${run.score.candidates} candidate lessons, dream ${f2(run.dreamMs / 1000)} s`);
      runs.push(run);
    }
    if (runs.length) results.push([name, runs]);
  }
  for (const [name, runs] of results) report(name, runs);
}
