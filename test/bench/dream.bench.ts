// Dreaming: learning quality on a generated multi-agent corpus with ground truth (recall,
// precision, duplicates, evidence accuracy, compression), and speed of a full dream over 10,000
// sessions and of an incremental one after 100 new sessions, through the real worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../../shared/contract/client';
import type { Lesson } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { writeQualityCorpus, type Planted } from './dream-corpus';
import { generateStore } from './generate-store';

const TARGETS = { recall: 0.95, precision: 0.9, fullMs: 30_000, incrementalMs: 2_000 };
const bare = (id: string) => id.replace(/^(codex|chatgpt):/, '');

export function score(planted: Planted[], lessons: Lesson[], events: number) {
  // A lesson matches the planted pattern whose sessions hold most of its evidence and whose marker it names.
  const matchOf = (l: Lesson) => {
    const best = planted
      .map((p) => ({ p, hits: l.evidence.filter((e) => p.sessions.has(bare(e.sessionId))).length }))
      .filter((m) => m.hits > 0 && m.p.marker.test(`${l.title} ${l.text}`))
      .sort((a, b) => b.hits - a.hits)[0];
    return best?.p;
  };
  const matches = lessons.map((l) => ({ l, p: matchOf(l) }));
  const found = new Set(matches.filter((m) => m.p).map((m) => m.p!.id));
  const eligible = planted.filter((p) => p.sessions.size >= 3);
  const perItem = new Map<string, number>();
  for (const m of matches) if (m.p) perItem.set(m.p.id, (perItem.get(m.p.id) ?? 0) + 1);
  const evidence = matches.flatMap((m) => (m.p ? m.l.evidence.map((e) => m.p!.sessions.has(bare(e.sessionId))) : []));
  return {
    recall: eligible.filter((p) => found.has(p.id)).length / Math.max(1, eligible.length),
    precision: matches.filter((m) => m.p).length / Math.max(1, lessons.length),
    duplicateRate: [...perItem.values()].filter((n) => n > 1).length / Math.max(1, found.size),
    evidenceAccuracy: evidence.filter(Boolean).length / Math.max(1, evidence.length),
    eventsPerLesson: Math.round(events / Math.max(1, lessons.length)),
    missed: eligible.filter((p) => !found.has(p.id)).map((p) => p.id),
    unmatched: matches.filter((m) => !m.p).map((m) => m.l.title),
  };
}

async function quality(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-dream-quality-'));
  try {
    const { planted, sessions } = writeQualityCorpus(path.join(work, 'logs'));
    const core = await openCore({ storeDir: path.join(work, 'store'), host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const api = createClient(core.dispatch);
      const imp = await api.call('import.paths', { paths: [path.join(work, 'logs')] });
      const t = Date.now();
      const dream = await api.call('dreams.run', {});
      const ms = Date.now() - t;
      const lessons = await api.call('lessons.list', { all: false });
      const s = score(planted, lessons, imp.events);
      console.log(`quality corpus: ${sessions} sessions (Claude Code, Codex, ChatGPT), ${imp.events} events, ${planted.length} planted patterns (${planted.filter((p) => p.sessions.size >= 3).length} recurring ≥ 3 sessions); dream ${ms} ms, ${dream.changes.length} changes`);
      console.log(`  recall ${s.recall.toFixed(2)} (target ≥ ${TARGETS.recall})  precision ${s.precision.toFixed(2)} (target ≥ ${TARGETS.precision})  duplicates ${s.duplicateRate.toFixed(2)}  evidence accuracy ${s.evidenceAccuracy.toFixed(2)}  events per lesson ${s.eventsPerLesson}`);
      if (s.missed.length) console.log(`  missed: ${s.missed.join(', ')}`);
      if (s.unmatched.length) console.log(`  lessons matching nothing planted: ${s.unmatched.join(' | ')}`);
      for (const l of lessons.slice(0, 6)) console.log(`  · [${l.kind}] ${l.text}`);
    } finally {
      await core.close();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function speed(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-dream-speed-'));
  try {
    const g = generateStore(dir, { sessions: 10_000 });
    const core = await openCore({ storeDir: dir, host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const api = createClient(core.dispatch);
      let t = Date.now();
      const full = await api.call('dreams.run', { full: true });
      const fullMs = Date.now() - t;
      // 100 sessions arrive (re-imported: their signals are read again, the rest come from the index).
      core.store.index.setDreamt(core.store.index.sessionIds().slice(-100), false);
      await core.store.writeIndex();
      t = Date.now();
      const inc = await api.call('dreams.run', {});
      const incMs = Date.now() - t;
      console.log(`speed: ${g.sessions} sessions, ${g.signals} signals`);
      console.log(`  full dream ${fullMs} ms (${full.changes.length} changes) = ${(fullMs / TARGETS.fullMs).toFixed(2)}× the 30 s target`);
      console.log(`  incremental dream after 100 new sessions ${incMs} ms (read ${inc.stats.sessionsRead}) = ${(incMs / TARGETS.incrementalMs).toFixed(2)}× the 2 s target`);
    } finally {
      await core.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<void> {
  await quality();
  await speed();
}
