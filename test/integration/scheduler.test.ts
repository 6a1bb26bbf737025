// The dream scheduler in a real core with real worker threads: triggers (new sessions, idle, missed
// cron time), one dream at a time, cancel leaves the store untouched, a crashing worker is reported
// and never takes the process down, and every run is logged with timing and outcome.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchedulerRun } from '../../shared/contract/scheduler';
import { startBridge } from '../../electron/bridge/server';
import { openCore, type Core } from '../../electron/core/core';
import type { WorkerLauncher } from '../../electron/core/dreaming/runner';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { alwaysIdle } from '../../electron/core/scheduler/idle';
import { emptyLedger, LEDGER_FILE } from '../../electron/core/dreaming/claude/ledger';
import { MAIN_FILE } from '../../electron/core/store/store';
import { fixture, replayClaudeSession, tempDir, until } from '../helpers/env';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

async function core(worker: WorkerLauncher = sourceWorkerLauncher(), dir = tempDir()): Promise<Core> {
  const c = await openCore({ storeDir: dir, host: 'browser', worker });
  cores.push(c);
  return c;
}

/** A worker entry written for the test: `body` runs inside the worker thread. */
function fakeWorker(body: string): WorkerLauncher {
  const file = path.join(tempDir(), 'worker.mjs');
  fs.writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return { file };
}

const call = async <T>(c: Core, method: string, input: unknown = {}): Promise<T> => {
  const env = await c.dispatch(method, input);
  if (!env.ok) throw new Error(`${env.error.type}: ${env.error.message}`);
  return env.result as T;
};

async function importReplays(c: Core, copies: number): Promise<void> {
  const logs = path.join(tempDir(), 'logs');
  replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), logs, copies);
  await call(c, 'import.paths', { paths: [logs] });
}

describe('dream scheduler', () => {
  it('logs a manual dream with its timing and outcome', async () => {
    const c = await core();
    await importReplays(c, 3);
    const dream = await call<{ id: string; changes: unknown[] }>(c, 'dreams.run', {});
    const runs = await call<SchedulerRun[]>(c, 'scheduler.runs', {});
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'manual', dreamId: dream.id, changes: dream.changes.length, outcome: dream.changes.length ? 'applied' : 'empty' });
    expect(runs[0]!.durationMs).toBeGreaterThan(0);
    expect(Date.parse(runs[0]!.finishedAt)).toBeGreaterThanOrEqual(Date.parse(runs[0]!.startedAt));
    const status = await call<{ active: boolean; running: unknown; lastRunAt: string; newSessions: number }>(c, 'scheduler.status');
    expect(status).toMatchObject({ active: false, running: null, lastRunAt: runs[0]!.finishedAt, newSessions: 0 });
  }, 60_000);

  it('dreams after N new sessions, with progress events, and logs the trigger', async () => {
    const c = await core();
    await call(c, 'settings.set', { patch: { schedule: { cron: null, afterNewSessions: 3 } } });
    const progress: unknown[] = [];
    c.events.on('progress', (p) => progress.push(p));
    c.scheduler.start({ tickMs: 50 });
    await importReplays(c, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.store.data.scheduler.runs, 'two new sessions are below the threshold').toHaveLength(0);
    await importReplays(c, 1);
    const run = await until('the new-sessions dream', () => c.store.data.scheduler.runs[0]);
    await until('the end of the run', () => progress.length > 1 && progress[progress.length - 1] === null);
    expect(run.trigger).toBe('new-sessions');
    expect(['applied', 'empty']).toContain(run.outcome);
    expect(progress.some((p) => p && typeof p === 'object' && 'phase' in p)).toBe(true);
    expect(progress[progress.length - 1]).toBeNull(); // the end of the run is announced too
    expect(c.scheduler.newSessions()).toBe(0);
  }, 60_000);

  it('dreams when idle, only with something new', async () => {
    const c = await core();
    await call(c, 'settings.set', { patch: { schedule: { cron: null, afterNewSessions: 0, whenIdle: true } } });
    c.scheduler.start({ tickMs: 50, idle: alwaysIdle });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.store.data.scheduler.runs).toHaveLength(0);
    await importReplays(c, 1);
    const run = await until('the idle dream', () => c.store.data.scheduler.runs[0]);
    expect(run.trigger).toBe('idle');
    expect((await call<{ idle: boolean }>(c, 'scheduler.status')).idle).toBe(true);
  }, 60_000);

  it('a dream waiting for review holds the next one back, read from the history\'s digest after a reopen', async () => {
    const dir = tempDir();
    const first = await core(undefined, dir);
    await call(first, 'settings.set', { patch: { reviewMode: true, schedule: { cron: null, afterNewSessions: 1 } } });
    await importReplays(first, 3);
    const pending = await call<{ id: string; status: string }>(first, 'dreams.run', {});
    expect(pending.status).toBe('pending');
    await first.close();
    cores.splice(0);

    // Reopened: new sessions are due, but the pending dream (known from reverie.json, the history unread) holds them back.
    const c = await core(undefined, dir);
    await importReplays(c, 2);
    c.scheduler.start({ tickMs: 50 });
    await new Promise((r) => setTimeout(r, 400));
    expect(c.store.data.scheduler.runs.filter((r) => r.trigger !== 'manual')).toHaveLength(0);
    const d = await call<{ changes: { id: string }[] }>(c, 'dreams.get', { id: pending.id });
    await call(c, 'dreams.review', { id: pending.id, accept: d.changes.map((x) => x.id), reject: [] });
    const run = await until('the dream after the review', () => c.store.data.scheduler.runs.find((r) => r.trigger === 'new-sessions'));
    expect(['pending', 'empty', 'applied']).toContain(run.outcome);
  }, 60_000);

  it('catches up a cron time missed while the app was closed, then schedules the next one', async () => {
    const dir = tempDir();
    const first = await core(undefined, dir);
    await call(first, 'settings.set', { patch: { schedule: { cron: '0 3 * * *', afterNewSessions: 0 } } });
    await importReplays(first, 1);
    // As if the app had last run two days ago and the 03:00 dream was due yesterday.
    first.store.data.scheduler.cron = '0 3 * * *';
    first.store.data.scheduler.nextDueAt = new Date(Date.now() - 86_400_000).toISOString();
    await first.store.writeMain();
    await first.close();
    cores.splice(0);

    const c = await core(undefined, dir);
    c.scheduler.start({ tickMs: 50 });
    const run = await until('the catch-up dream', () => c.store.data.scheduler.runs[0]);
    expect(run.trigger).toBe('catch-up');
    const next = Date.parse(c.store.data.scheduler.nextDueAt!);
    expect(next).toBeGreaterThan(Date.now());
    expect(new Date(next).getHours()).toBe(3);
  }, 60_000);

  it('a due dream with nothing new runs anyway when a Claude dream left batches pending, and only then', async () => {
    const c = await core();
    await call(c, 'settings.set', { patch: { engine: 'claude', schedule: { cron: '0 3 * * *', afterNewSessions: 0 } } });
    await importReplays(c, 1);
    await call(c, 'dreams.run', { engine: 'heuristic' });
    const due = async () => {
      c.store.data.scheduler.cron = '0 3 * * *';
      c.store.data.scheduler.nextDueAt = new Date(Date.now() - 60_000).toISOString();
      await c.store.writeMain();
    };
    await due();
    c.scheduler.start({ tickMs: 50 });
    // Nothing new, nothing pending: the schedule moves on without a run.
    await until('the schedule moved on', () => Date.parse(c.store.data.scheduler.nextDueAt!) > Date.now());
    expect(c.store.data.scheduler.runs.filter((r) => r.trigger !== 'manual')).toEqual([]);
    await c.scheduler.stop();
    fs.writeFileSync(path.join(c.store.dir, LEDGER_FILE), JSON.stringify({ ...emptyLedger(), pending: [{ kind: 'discovery', ids: ['x'], reason: "stopped at discovery batch 2 of 3: Anthropic's API failed (500).", at: new Date().toISOString() }] }));
    await due();
    c.scheduler.start({ tickMs: 50 });
    const run = await until('the resuming dream', () => c.store.data.scheduler.runs.find((r) => r.trigger !== 'manual'));
    expect(run.trigger).toBe('schedule');
  }, 60_000);

  it('cancel terminates the worker and leaves the store untouched; one dream at a time', async () => {
    // A worker that reports progress and then works forever.
    const c = await core(fakeWorker(`parentPort.postMessage({ type: 'progress', phase: 'reading signals', done: 1, total: 10 }); setInterval(() => {}, 1000);`));
    await importReplays(c, 3);
    // An overdue scheduled dream must still be due after a cancelled manual one.
    const overdue = new Date(Date.now() - 3_600_000).toISOString();
    c.store.data.scheduler.cron = c.store.data.settings.schedule.cron;
    c.store.data.scheduler.nextDueAt = overdue;
    await c.store.writeMain();
    const mainBefore = fs.readFileSync(path.join(c.store.dir, MAIN_FILE), 'utf8');
    const lessonsBefore = structuredClone(c.store.data.lessons);
    const running = c.dispatch('dreams.run', {});
    await until('progress', () => c.scheduler.status().running?.phase === 'reading signals');
    const second = await c.dispatch('dreams.run', {});
    expect(second).toMatchObject({ ok: false, error: { type: 'conflict', message: expect.stringMatching(/already running/) } });
    expect(await call(c, 'scheduler.cancel')).toEqual({ cancelled: true });
    const env = await running;
    expect(env).toMatchObject({ ok: false, error: { message: expect.stringMatching(/cancelled; nothing was changed/) } });
    expect(c.store.data.lessons).toEqual(lessonsBefore);
    expect(c.store.data.dreams).toHaveLength(0);
    // Only the run log entry was written.
    const after = JSON.parse(fs.readFileSync(path.join(c.store.dir, MAIN_FILE), 'utf8'));
    const before = JSON.parse(mainBefore);
    expect({ ...after, scheduler: null }).toEqual({ ...before, scheduler: null });
    expect(after.scheduler.runs).toMatchObject([{ outcome: 'cancelled', trigger: 'manual', dreamId: null }]);
    expect(after.scheduler.nextDueAt).toBe(overdue);
    expect(await call(c, 'scheduler.cancel')).toEqual({ cancelled: false });
  }, 60_000);

  for (const [name, body] of [
    ['throws', `throw new Error('boom in the worker');`],
    ['exits', `process.exit(7);`],
    ['reports an error', `parentPort.postMessage({ type: 'error', message: 'engine exploded' });`],
  ] as const) {
    it(`a worker that ${name} is logged as failed and the process carries on`, async () => {
      const c = await core(fakeWorker(body));
      await importReplays(c, 1);
      const env = await c.dispatch('dreams.run', {});
      expect(env.ok).toBe(false);
      const run = c.store.data.scheduler.runs[0]!;
      expect(run.outcome).toBe('failed');
      expect(run.message).toMatch(/boom in the worker|exited \(code 7\)|engine exploded/);
      expect(c.store.data.dreams).toHaveLength(0);
      // Still serving, and the scheduler takes the next dream.
      expect((await c.dispatch('app.info', {})).ok).toBe(true);
      expect(c.scheduler.status().running).toBeNull();
    }, 30_000);
  }

  it('an automatic dream that failed is not retried every tick', async () => {
    const c = await core(fakeWorker(`throw new Error('always fails');`));
    await call(c, 'settings.set', { patch: { schedule: { cron: null, afterNewSessions: 1 } } });
    await importReplays(c, 1);
    c.scheduler.start({ tickMs: 20 });
    await until('the failed run', () => c.store.data.scheduler.runs[0]);
    await new Promise((r) => setTimeout(r, 400));
    expect(c.store.data.scheduler.runs.map((r) => [r.trigger, r.outcome])).toEqual([['new-sessions', 'failed']]);
  }, 30_000);

  it('browser mode streams the running dream\'s progress as server-sent events', async () => {
    const c = await core(fakeWorker(`parentPort.postMessage({ type: 'progress', phase: 'reading signals', done: 5, total: 9 }); setTimeout(() => parentPort.postMessage({ type: 'result', output: { changes: [], stats: { sessionsRead: 9, signalsRead: 0, patterns: 0 } } }), 300);`));
    await importReplays(c, 1);
    const bridge = await startBridge({ dispatch: c.dispatch, events: c.events, port: 0 });
    try {
      const res = await fetch(`${bridge.origin}/api/events?token=${bridge.token}`);
      const reader = res.body!.getReader();
      let text = '';
      const dream = c.dispatch('dreams.run', {});
      while (!/event: progress\ndata: null/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await dream;
      await reader.cancel();
      expect(text).toMatch(/event: progress\ndata: \{[^\n]*"phase":"reading signals","done":5,"total":9/);
      expect(text).toMatch(/event: change\ndata: \{"topic":"scheduler"\}/);
    } finally {
      await bridge.close();
    }
  }, 30_000);

  it('settings.set validates the schedule and keeps the rest of the settings', async () => {
    const c = await core();
    const bad = await c.dispatch('settings.set', { patch: { schedule: { cron: 'every tuesday-ish' } } });
    expect(bad).toMatchObject({ ok: false, error: { type: 'invalid-input', message: expect.stringMatching(/not a valid cron schedule/) } });
    const range = await c.dispatch('settings.set', { patch: { minSessions: 1 } });
    expect(range).toMatchObject({ ok: false, error: { type: 'invalid-input', message: expect.stringMatching(/minSessions/) } });
    const unknown = await c.dispatch('settings.set', { patch: { schedule: { every: 3 } } });
    expect(unknown.ok).toBe(false);
    const s = await call<{ schedule: { cron: string; afterNewSessions: number; whenIdle: boolean }; minSessions: number }>(c, 'settings.set', { patch: { schedule: { whenIdle: true } } });
    expect(s.schedule).toEqual({ cron: '0 3 * * *', afterNewSessions: 20, whenIdle: true });
    expect((await call<typeof s>(c, 'settings.get')).schedule.whenIdle).toBe(true);
  });
});
