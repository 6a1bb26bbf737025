// Following the agents with real processes and real files (test/fixtures/follow, see SOURCES.md there):
// `reverie follow` imports a Claude Code session as it grows and a Codex rollout as it appears,
// reports bad and deleted files as notices and keeps going, stops cleanly on SIGTERM, and loses
// nothing committed when killed (SIGKILL) in the middle of a background import. In process, the
// app's follower makes the "after N new sessions" dream trigger fire with no import command.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SchedulerRun } from '../../shared/contract/scheduler';
import { openCore, type Core } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { readSummaries } from '../../electron/core/store/index-log';
import { Store } from '../../electron/core/store/store';
import { PROJECT_ROOT, replayClaudeSession, runCliAsync, tempDir, until } from '../helpers/env';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'follow');
const CLAUDE = path.join(FIXTURES, 'claude-short.jsonl');
const CODEX = path.join(FIXTURES, 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl');

interface Running { child: ChildProcess; out: () => string; err: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function follow(args: string[]): Running {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), 'follow', ...args], { cwd: PROJECT_ROOT });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, out: () => out, err: () => err, exited };
}

/** The committed index as a fresh reader sees it (read straight from disk, no lock, no repair). */
function committed(store: string): Map<string, number> {
  try {
    const head = JSON.parse(fs.readFileSync(path.join(store, 'index.json'), 'utf8')) as { log: { file: string; length: number } | null };
    if (!head.log) return new Map();
    return new Map(readSummaries(path.join(store, head.log.file), head.log.length).map((s) => [s.id, s.eventCount]));
  } catch {
    return new Map();
  }
}
const eventsOf = (store: string) => [...committed(store).values()].reduce((a, b) => a + b, 0);

describe('reverie follow', () => {
  it('imports a growing Claude Code session within seconds, a new Codex rollout, and treats bad or deleted files as notices', async () => {
    const work = tempDir('reverie-follow-');
    const logs = path.join(work, 'logs');
    const store = path.join(work, 'store');
    const lines = fs.readFileSync(CLAUDE, 'utf8').split('\n').filter(Boolean);
    fs.mkdirSync(path.join(logs, 'project'), { recursive: true });
    const session = path.join(logs, 'project', 'session.jsonl');
    fs.writeFileSync(session, `${lines.slice(0, 8).join('\n')}\n`);

    const f = follow([logs, '--store', store, '--debounce', '100']);
    // The first pass imports what the folder holds already.
    await until('the first half of the session', () => committed(store).size === 1, 60_000);
    const before = eventsOf(store);
    expect(before).toBeGreaterThan(0);

    // The agent goes on writing: the rest of the transcript is appended.
    const appendedAt = Date.now();
    fs.appendFileSync(session, `${lines.slice(8).join('\n')}\n`);
    await until('the appended events', () => eventsOf(store) > before, 30_000);
    const latencyMs = Date.now() - appendedAt;
    console.log(`follow: an appended Claude Code session was in the store ${latencyMs} ms after the write`);
    expect(latencyMs).toBeLessThan(10_000);
    expect(committed(store).size).toBe(1);

    // A new Codex rollout appears in a dated folder, as Codex writes them.
    fs.mkdirSync(path.join(logs, '2026', '02', '23'), { recursive: true });
    fs.copyFileSync(CODEX, path.join(logs, '2026', '02', '23', path.basename(CODEX)));
    await until('the Codex session', () => committed(store).size === 2, 30_000);

    // Garbage and a file deleted right away: notices on stderr, the follower goes on.
    fs.writeFileSync(path.join(logs, 'junk.jsonl'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)));
    const gone = path.join(logs, 'gone.jsonl');
    fs.writeFileSync(gone, `${lines.slice(0, 8).join('\n')}\n`);
    await until('a notice about the junk file', () => /junk\.jsonl.*binary file/.test(f.err()), 30_000);
    fs.rmSync(gone, { force: true });
    await until('a notice about the deleted file', () => /gone\.jsonl (was deleted|is gone)/.test(f.err()), 30_000);
    expect(f.child.exitCode).toBeNull();

    // The source records its last import and its last problem (the junk file).
    f.child.kill('SIGTERM');
    const exit = await f.exited;
    expect(exit.code, f.err()).toBe(0);
    expect(f.err()).toMatch(/Stopped following/);
    const status = await runCliAsync(['status', '--store', store, '--json']);
    expect(status.code).toBe(0);
    const s = status.json as { sessions: { count: number }; followed: { path: string; enabled: boolean; lastImportAt: string | null; lastError: string | null }[] };
    expect(s.sessions.count).toBeGreaterThanOrEqual(2);
    expect(s.followed).toHaveLength(1);
    expect(s.followed[0]).toMatchObject({ path: logs, enabled: true });
    expect(s.followed[0]!.lastImportAt).not.toBeNull();
    expect(s.followed[0]!.lastError).toMatch(/junk\.jsonl/);
  }, 120_000);

  it('loses nothing committed when killed during a background import', async () => {
    const work = tempDir('reverie-follow-kill-');
    const logs = path.join(work, 'logs');
    replayClaudeSession(CLAUDE, logs, 120);
    // What an uninterrupted import stores.
    const baselineStore = path.join(work, 'baseline');
    expect((await runCliAsync(['import', logs, '--store', baselineStore])).code).toBe(0);
    const baseline = committed(baselineStore);

    const store = path.join(work, 'store');
    for (let round = 0; round < 2; round++) {
      const f = follow([logs, '--store', store, '--debounce', '50']);
      await until('following to start', () => /Following/.test(f.err()), 60_000);
      const seen = committed(store);
      // Killed at a random moment of the first import pass.
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
      f.child.kill('SIGKILL');
      await f.exited;
      const after = await Store.open(store, { readOnly: true });
      // Everything committed before the kill is still there, whole.
      for (const [id, events] of seen) expect(after.sessions.find((x) => x.id === id)?.eventCount, id).toBeGreaterThanOrEqual(events);
      for (const x of after.sessions) expect(after.readSessionDoc(x.id), x.id).not.toBeNull();
    }
    // The next run finishes the job: exactly what the uninterrupted import stored.
    const f = follow([logs, '--store', store, '--debounce', '50']);
    // Started first: the store may already be whole (a round can finish before its kill), and a
    // SIGTERM before the process listens for it is not the clean stop under test.
    await until('following to start', () => /Following/.test(f.err()), 60_000);
    await until('the whole folder', () => committed(store).size === baseline.size, 60_000);
    f.child.kill('SIGTERM');
    expect((await f.exited).code, f.err()).toBe(0);
    expect(committed(store)).toEqual(baseline);
  }, 180_000);

  it('stops cleanly on SIGTERM in the middle of a background import, finishing the batch first', async () => {
    const work = tempDir('reverie-follow-term-');
    const logs = path.join(work, 'logs');
    replayClaudeSession(CLAUDE, logs, 80);
    const store = path.join(work, 'store');
    const f = follow([logs, '--store', store, '--debounce', '50']);
    await until('following to start', () => /Following/.test(f.err()), 60_000);
    // Session files are being written (write-file-atomic, whose signal-exit re-raises a signal nobody else handles).
    await until('the import to be under way', () => fs.existsSync(path.join(store, 'sessions.journal')) || committed(store).size > 0, 60_000);
    f.child.kill('SIGTERM');
    const exit = await f.exited;
    expect(exit, f.err()).toEqual({ code: 0, signal: null });
    expect(f.err()).toMatch(/Stopped following/);
    // The batch under way was finished, not cut off: every session is committed.
    expect(committed(store).size).toBe(80);
  }, 120_000);

  it('waits while another process holds the store, says so, and imports once it is free', async () => {
    const work = tempDir('reverie-follow-locked-');
    const logs = path.join(work, 'logs');
    const store = path.join(work, 'store');
    replayClaudeSession(CLAUDE, logs, 1);
    const holder = await Store.open(store, { host: 'electron' });
    const f = follow([logs, '--store', store, '--debounce', '50']);
    try {
      await until('the locked notice', () => /in use by .*trying again in 5 s/.test(f.err()), 60_000);
      expect(committed(store).size).toBe(0);
    } finally {
      await holder.close();
    }
    await until('the session once the store is free', () => committed(store).size === 1, 60_000);
    f.child.kill('SIGTERM');
    expect((await f.exited).code, f.err()).toBe(0);
  }, 120_000);

  it('refuses a path that does not exist (exit 1) and says nothing is followed without paths (exit 2)', async () => {
    const store = tempDir();
    const r = await runCliAsync(['follow', path.join(store, 'nope'), '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Nothing to follow.*nope/);
    expect((await runCliAsync(['import', CLAUDE, '--store', store])).code).toBe(0);
    const none = await runCliAsync(['follow', '--store', store]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Nothing to follow/);
  }, 60_000);
});

describe('following in the app and serve (in process)', () => {
  const cores: Core[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  /** Calls the core as a UI does, through its validated dispatch. */
  const caller = (c: Core) => async <T>(method: string, input: unknown = {}): Promise<T> => {
    const env = await c.dispatch(method, input);
    if (!env.ok) throw new Error(`${env.error.type}: ${env.error.message}`);
    return env.result as T;
  };
  async function openFollowingCore(logs: string): Promise<Core> {
    fs.mkdirSync(logs);
    const c = await openCore({ storeDir: tempDir(), host: 'browser', worker: sourceWorkerLauncher() });
    cores.push(c);
    return c;
  }

  it('fires the "after N new sessions" dream with no import command', async () => {
    const logs = path.join(tempDir(), 'logs');
    const c = await openFollowingCore(logs);
    const call = caller(c);
    await call('settings.set', { patch: { schedule: { afterNewSessions: 3 } } });
    await call('follow.add', { paths: [logs] });
    c.scheduler.start({ tickMs: 60_000 });
    c.follower.start({ debounceMs: 50 });
    expect((await call<{ watching: boolean }>('follow.list')).watching).toBe(true);
    // The agent writes three sessions; nobody imports anything.
    replayClaudeSession(CLAUDE, logs, 3);
    const runs = await until('a new-sessions dream', () => c.store.data.scheduler.runs.find((r: SchedulerRun) => r.trigger === 'new-sessions'), 60_000);
    expect(runs.outcome).not.toBe('failed');
    expect(c.store.sessions).toHaveLength(3);
    const status = await call<{ followed: { lastImportAt: string | null }[]; lastDream: unknown }>('app.status');
    expect(status.followed[0]!.lastImportAt).not.toBeNull();
    expect(status.lastDream).not.toBeNull();
  }, 90_000);

  it('a source turned off is no longer watched; removing it keeps its sessions', async () => {
    const logs = path.join(tempDir(), 'logs');
    const c = await openFollowingCore(logs);
    const call = caller(c);
    c.follower.start({ debounceMs: 50 });
    await call('follow.add', { paths: [logs] });
    replayClaudeSession(CLAUDE, logs, 1);
    await until('the first session', () => c.store.sessions.length === 1, 30_000);
    await call('follow.set', { path: logs, enabled: false });
    replayClaudeSession(CLAUDE, logs, 1);
    // A second, followed folder written after it: once its session is in, the watcher has seen both writes.
    const other = path.join(tempDir(), 'other');
    fs.mkdirSync(other);
    await call('follow.add', { paths: [other] });
    await new Promise((r) => setImmediate(r));
    replayClaudeSession(CLAUDE, other, 1);
    await until('the other folder\'s session', () => c.store.sessions.some((x) => x.files.some((f) => f.startsWith(other))), 30_000);
    expect(c.store.sessions.filter((x) => x.files.some((f) => f.startsWith(logs)))).toHaveLength(1);
    await call('follow.remove', { path: logs });
    expect((await call<{ sources: { path: string }[] }>('follow.list')).sources.map((x) => x.path)).toEqual([other]);
    expect(c.store.sessions.filter((x) => x.files.some((f) => f.startsWith(logs)))).toHaveLength(1);
    await expect(call('follow.add', { paths: [path.join(logs, 'missing')] })).rejects.toThrow(/invalid-input: Cannot follow .*missing/);
  }, 60_000);
});
