// Progress on a generated store: 2,000 sessions of four agents, four planted mistakes, corrections,
// every seed pack (34 lessons, matched by pattern key and by wording). Baseline: reading and
// JSON-parsing the same session files, so the ratio is what progress costs beyond the bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../../shared/contract/client';
import { openCore } from '../../electron/core/core';
import { PROJECT_ROOT, sourceWorkerLauncher } from '../../electron/core/platform/node';
import { progressReport } from '../../electron/core/progress/load';
import { readRecord } from '../../electron/core/store/segments';
import { SESSIONS_DIR } from '../../electron/core/store/store';
import { agent } from '../helpers/lessons';
import { writeCorpus } from '../helpers/progress-corpus';

export default async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-bench-progress-'));
  const core = await openCore({ storeDir: dir, host: 'cli', worker: sourceWorkerLauncher(), demoDir: path.join(PROJECT_ROOT, 'resources', 'demo') });
  try {
    const agents = ['a', 'b', 'c', 'd'].map((x) => agent('codex', `/bench/${x}`));
    await writeCorpus(core.store, {
      start: '2025-01-01T00:00:00Z',
      days: 500,
      agents,
      planted: agents.map((a, i) => ({ id: `m${i}`, agentId: a.id, command: `make t${i}`, error: `boom ${'abcd'[i]}`, fix: 'make', every: 2 })),
      noise: { [agents[0].id]: 3 },
      said: agents.map((a) => ({ agentId: a.id, text: 'no, use pnpm not npm for installs', every: 3 })),
    });
    const api = createClient(core.dispatch);
    for (const p of ['general', 'node', 'python', 'git']) await api.call('lessons.seed', { packId: p });

    const ids = core.store.sessions.map((s) => s.id);
    const t0 = performance.now();
    for (const id of ids) JSON.parse(readRecord(path.join(core.store.dir, SESSIONS_DIR), core.store.index.locations[id]!));
    const baseline = performance.now() - t0;
    const t1 = performance.now();
    const r = progressReport(core.store, {});
    const took = performance.now() - t1;
    console.log(`progress: ${r.overall.sessions} sessions, ${r.lessons.length} lessons, ${r.agents.length} agents in ${took.toFixed(0)} ms`);
    console.log(`  baseline (read + JSON.parse the session records): ${baseline.toFixed(0)} ms → ratio ${(took / baseline).toFixed(1)}×`);
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
