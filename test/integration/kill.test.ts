// Crash safety with real processes: the CLI's `import` and `dream` are killed with SIGKILL at random
// points, many times. After every kill the store must open cleanly (nothing to repair: every write is
// atomic), no dream may be half-applied, no lesson may be lost, and re-running the import must end
// with exactly the counts of an uninterrupted run. An import that ends in a compaction of the session
// segments is killed too (mid-compaction). Bounded for CI (KILL_ROUNDS, KILL_DREAMS, KILL_COMPACTIONS).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
import { applyChanges } from '../../electron/core/dreaming/changes';
import { listSegments, segmentName } from '../../electron/core/store/segments';
import { SESSIONS_DIR, Store } from '../../electron/core/store/store';
import { fixture, PROJECT_ROOT, replayClaudeSession, runCli, tempDir } from '../helpers/env';

const ROUNDS = Number(process.env.KILL_ROUNDS ?? 4); // each: 3 killed imports, then one to completion
const KILLS_PER_ROUND = 3;
const DREAM_KILLS = Number(process.env.KILL_DREAMS ?? 12);
const COMPACTION_KILLS = Number(process.env.KILL_COMPACTIONS ?? 8);

interface Outcome { killed: boolean; code: number | null; ms: number; workMs: number; stderr: string }

/** The line each command prints on stderr once the store is open and the real work starts. */
const WORK_STARTS = /^(Importing|Dreaming)/m;

/**
 * Runs the CLI. With `killWithinMs`, sends SIGKILL at a random moment of the work itself: startup
 * (loading TypeScript) is most of a short run and killing it there tests nothing.
 */
function cli(args: string[], killWithinMs?: number, killAfterMs = 0, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const started = Date.now();
  let workStarted = 0;
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  let timer: NodeJS.Timeout | null = null;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!workStarted && WORK_STARTS.test(stderr)) {
      workStarted = Date.now();
      if (killWithinMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs + Math.random() * (killWithinMs - killAfterMs));
    }
  });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      const end = Date.now();
      resolve({ killed: signal === 'SIGKILL', code, ms: end - started, workMs: workStarted ? end - workStarted : 0, stderr });
    });
  });
}

interface Snapshot { sessions: Map<string, number>; events: number; agents: number; ledger: number; lessons: Lesson[]; dreams: number; notices: string[] }

/** What a fresh process would see: a read-only open (it must never throw). */
async function snapshot(dir: string): Promise<Snapshot> {
  const s = await Store.open(dir, { readOnly: true });
  const sessions = new Map(s.sessions.map((x) => [x.id, x.eventCount]));
  for (const id of sessions.keys()) expect(s.readSessionDoc(id), `session file of ${id}`).not.toBeNull();
  return {
    sessions,
    events: [...sessions.values()].reduce((a, b) => a + b, 0),
    agents: s.data.agents.length,
    ledger: s.index.ledgerSize,
    lessons: s.data.lessons,
    dreams: s.data.dreams.length,
    notices: s.notices,
  };
}

/** Appends one more user turn to every Claude Code log in `dir` (an agent still writing its sessions). */
function grow(dir: string, round: number): void {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    const next = { ...last, type: 'user', uuid: `grown-${round}-${name}`, parentUuid: last.uuid, timestamp: new Date(Date.parse(String(last.timestamp)) + 60_000).toISOString(), message: { role: 'user', content: `one more thing (${round})` } };
    delete (next as { toolUseResult?: unknown }).toolUseResult;
    fs.appendFileSync(file, `${JSON.stringify(next)}\n`);
  }
}

/** Bytes of the session segments and of the live records the index names. */
function segmentBytes(dir: string): { total: number; live: number } {
  const root = path.join(dir, SESSIONS_DIR);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { locations: Record<string, [number, number, number]> };
  return {
    total: listSegments(root).reduce((n, seg) => n + fs.statSync(path.join(root, segmentName(seg))).size, 0),
    live: Object.values(index.locations).reduce((n, l) => n + l[2], 0),
  };
}

describe('SIGKILL at random points', () => {
  const work = tempDir('reverie-kill-');
  const logs = path.join(work, 'logs');
  const sources = [fixture('claude-code'), logs];
  let baseline: Snapshot;
  let importWorkMs = 0;
  let dreamedStore = '';
  let kills = 0;

  beforeAll(async () => {
    // A real session (its `git commit` fails) replayed many times: enough work to be killed in the middle of.
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), logs, 150);
    const store = path.join(work, 'baseline');
    const r = await cli(['import', ...sources, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    importWorkMs = r.workMs;
    expect(importWorkMs, 'the import announces its work on stderr').toBeGreaterThan(0);
    baseline = await snapshot(store);
    expect(baseline.sessions.size).toBeGreaterThan(150);
    dreamedStore = path.join(work, 'dreams');
    fs.cpSync(store, dreamedStore, { recursive: true });
  }, 60_000);

  it(`import: ${ROUNDS * KILLS_PER_ROUND} kills, then a full run ends with the uninterrupted counts`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const store = path.join(work, `import-${round}`);
      // Every other round the killed imports prepare their records in the record worker, as a large import does.
      const env = round % 2 === 0 ? { REVERIE_IMPORT_WORKER_MIN_BYTES: '0' } : {};
      for (let k = 0; k < KILLS_PER_ROUND; k++) {
        const r = await cli(['import', ...sources, '--store', store], importWorkMs * 0.8, 0, env);
        if (r.killed) kills++;
        else expect(r.code, r.stderr).toBe(0);
        const snap = await snapshot(store);
        // Nothing is ever damaged; at most the sessions the killed import completed are rolled forward.
        for (const n of snap.notices) expect(n).toMatch(/^An import was interrupted; the \d+ session\(s\) it had completed were kept/);
        // Whatever was committed is a consistent part of the full result.
        for (const [id, events] of snap.sessions) expect(baseline.sessions.get(id), `session ${id}`).toBe(events);
      }
      const done = await cli(['import', ...sources, '--store', store], undefined, 0, env);
      expect(done.code, done.stderr).toBe(0);
      const end = await snapshot(store);
      expect({ sessions: end.sessions.size, events: end.events, agents: end.agents, ledger: end.ledger }).toEqual({
        sessions: baseline.sessions.size, events: baseline.events, agents: baseline.agents, ledger: baseline.ledger,
      });
      expect(new Set(end.sessions.keys())).toEqual(new Set(baseline.sessions.keys()));
    }
    expect(kills).toBeGreaterThanOrEqual(Math.ceil(ROUNDS * KILLS_PER_ROUND / 3));
  }, 240_000);

  it(`dream: ${DREAM_KILLS} kills, never half-applied, no lesson lost`, async () => {
    const first = await cli(['dream', '--store', dreamedStore]);
    expect(first.code, first.stderr).toBe(0);
    const learned = await snapshot(dreamedStore);
    expect(learned.lessons.length, 'the corpus has a recurring mistake to learn').toBeGreaterThan(0);
    // A pinned lesson must survive everything.
    const pin = await cli(['lesson', 'pin', learned.lessons[0]!.id, '--store', dreamedStore]);
    expect(pin.code, pin.stderr).toBe(0);
    const timed = await cli(['dream', '--full', '--store', dreamedStore]);
    expect(timed.code, timed.stderr).toBe(0);
    expect(timed.workMs, 'the dream announces its work on stderr').toBeGreaterThan(0);
    let dreamKills = 0;
    for (let i = 0; i < DREAM_KILLS; i++) {
      const before = await snapshot(dreamedStore);
      const r = await cli(['dream', '--full', '--store', dreamedStore], timed.workMs * 0.8);
      if (r.killed) dreamKills++;
      else expect(r.code, r.stderr).toBe(0);
      const after = await snapshot(dreamedStore);
      expect(after.notices).toEqual([]);
      if (after.dreams === before.dreams) {
        expect(after.lessons, 'a dream that was not recorded changed nothing').toEqual(before.lessons);
      } else {
        expect(after.dreams).toBe(before.dreams + 1);
        const s = await Store.open(dreamedStore, { readOnly: true });
        const dream = s.data.dreams[s.data.dreams.length - 1]!;
        // All of the recorded dream's changes and nothing else.
        expect(after.lessons).toEqual(dream.status === 'applied' ? applyChanges(before.lessons, dream.changes) : before.lessons);
      }
      // No lesson lost: every lesson is still there (a dream retires by status, it never drops them).
      const ids = new Set(after.lessons.map((l) => l.id));
      for (const l of before.lessons) expect(ids.has(l.id) || after.lessons.some((m) => m.patternKey === l.patternKey), `lesson ${l.id}`).toBe(true);
      expect(after.lessons.find((l) => l.id === learned.lessons[0]!.id)?.pinned).toBe(true);
    }
    kills += dreamKills;
    expect(dreamKills).toBeGreaterThanOrEqual(Math.ceil(DREAM_KILLS / 3));
    // And the store is fully usable afterwards.
    const finalRun = runCli(['dream', '--store', dreamedStore, '--json']);
    expect(finalRun.code, finalRun.stderr).toBe(0);
    console.log(`kill test: ${kills} SIGKILLs survived (import ${kills - dreamKills}, dream ${dreamKills})`);
  }, 240_000);

  it(`compaction: ${COMPACTION_KILLS} kills of an import that compacts, then a full run ends with the uninterrupted counts`, async () => {
    // Every session re-imported twice (its log grew twice): the second import's commit finds the
    // replaced records outweighing the live ones and compacts the segments.
    const grown = path.join(work, 'grown');
    fs.cpSync(logs, grown, { recursive: true });
    const prepared = path.join(work, 'compact-prepared');
    expect((await cli(['import', grown, '--store', prepared])).code).toBe(0);
    const first = await snapshot(prepared);
    grow(grown, 1);
    expect((await cli(['import', grown, '--store', prepared])).code).toBe(0);
    const middle = await snapshot(prepared);
    grow(grown, 2);
    expect(segmentBytes(prepared).total).toBeLessThan(2 * segmentBytes(prepared).live + 1); // not yet compacted

    const reference = path.join(work, 'compact-reference');
    fs.cpSync(prepared, reference, { recursive: true });
    const timed = await cli(['import', grown, '--store', reference]);
    expect(timed.code, timed.stderr).toBe(0);
    const done = await snapshot(reference);
    const bytes = segmentBytes(reference);
    expect(bytes.total, 'the uninterrupted run compacted: only live records are left').toBe(bytes.live);
    for (const [id, n] of done.sessions) expect(n).toBe(middle.sessions.get(id)! + 1);

    let compactionKills = 0;
    for (let i = 0; i < COMPACTION_KILLS; i++) {
      const store = path.join(work, `compact-${i}`);
      fs.cpSync(prepared, store, { recursive: true });
      // Killed in the later part of the work, where the commit and the compaction are (not too close
      // to its end: on a shared machine the same run can be faster than the timed one).
      const r = await cli(['import', grown, '--store', store], timed.workMs * 0.85, timed.workMs * 0.3);
      if (r.killed) compactionKills++;
      else expect(r.code, r.stderr).toBe(0);
      const snap = await snapshot(store);
      for (const n of snap.notices) expect(n).toMatch(/^An import was interrupted; the \d+ session\(s\) it had completed were kept/);
      expect(snap.sessions.size).toBe(first.sessions.size);
      // Each session is as the last import left it or as the killed one had completed it, never less.
      for (const [id, n] of snap.sessions) expect([middle.sessions.get(id), done.sessions.get(id)], `session ${id}`).toContain(n);
      const again = await cli(['import', grown, '--store', store]);
      expect(again.code, again.stderr).toBe(0);
      const end = await snapshot(store);
      expect({ sessions: end.sessions, events: end.events, agents: end.agents, ledger: end.ledger }).toEqual({ sessions: done.sessions, events: done.events, agents: done.agents, ledger: done.ledger });
      // A writable open (the re-import) removed what a compaction killed after its commit left behind.
      const after = segmentBytes(store);
      expect(after.total).toBeLessThanOrEqual(2 * after.live);
    }
    expect(compactionKills, `killed ${compactionKills} of ${COMPACTION_KILLS} runs (timed run: ${timed.workMs} ms of work)`).toBeGreaterThanOrEqual(Math.ceil(COMPACTION_KILLS / 3));
  }, 300_000);
});
