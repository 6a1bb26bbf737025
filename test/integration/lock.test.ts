// One writer per store, with real processes: a second writer is told who holds the store, readers
// keep working, and a lock left by a process killed with SIGKILL is taken over safely.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockDir, readLockOwner } from '../../electron/core/store/lock';
import { Store } from '../../electron/core/store/store';
import { fixture, PROJECT_ROOT, runCli, tempDir } from '../helpers/env';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts `reverie serve` (a long-lived writer) and resolves once it serves; `out` has what it printed. */
async function startServe(store: string): Promise<ChildProcess & { out: () => string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), 'serve', '--no-build', '--store', store, '--port', '0', '--json'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/"token"/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  return Object.assign(child, { out: () => out });
}

async function callBridge(serve: { out: () => string }, method: string, input: unknown): Promise<{ ok: boolean; error?: { type: string; message: string } }> {
  const { port, token } = JSON.parse(serve.out().split('\n').find((l) => l.startsWith('{"url"'))!) as { port: number; token: string };
  const r = await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Reverie-Token': token }, body: JSON.stringify(input) });
  return (await r.json()) as never;
}

describe('one writer', () => {
  it('a second writer is refused with the holder named; readers still work; a SIGKILLed holder is recovered', async () => {
    const store = tempDir();
    const serve = await startServe(store);
    const owner = readLockOwner(store);
    expect(owner).toMatchObject({ pid: serve.pid, host: 'browser', command: 'reverie serve' });

    const refused = runCli(['import', fixture('claude-code'), '--store', store, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by reverie serve (pid ${serve.pid}, since ${owner!.since})`);
    // Commands that only read open read-only and need no lock.
    const read = runCli(['lessons', '--store', store, '--json']);
    expect(read.code).toBe(0);
    expect(read.json).toEqual([]);

    serve.kill('SIGKILL');
    await new Promise((r) => serve.once('exit', r));
    expect(fs.existsSync(lockDir(store))).toBe(true); // the crash left its lock behind

    const after = runCli(['import', fixture('claude-code'), '--store', store, '--json']);
    expect(after.stderr).toMatch(new RegExp(`notice: A lock left by a crash was cleared: reverie serve \\(pid ${serve.pid}.*\\) is no longer running`));
    expect(after.code).toBe(0);
    expect((after.json as { sessions: number }).sessions).toBeGreaterThan(0);
    expect(fs.existsSync(lockDir(store))).toBe(false); // released at exit
  }, 90_000);

  it('a second serve opens read-only: it shows the store, and refuses changes naming the writer', async () => {
    const store = tempDir();
    const writer = await startServe(store);
    const viewer = await startServe(store);
    expect(viewer.out()).toMatch(/in use by reverie serve \(pid \d+.*Serving it read-only meanwhile/s);
    expect((await callBridge(viewer, 'lessons.list', {})).ok).toBe(true);
    const refused = await callBridge(viewer, 'settings.set', { patch: { reviewMode: true } });
    expect(refused).toMatchObject({ ok: false, error: { type: 'locked', message: expect.stringContaining(`reverie serve (pid ${writer.pid}`) } });
    expect((await callBridge(writer, 'settings.set', { patch: { reviewMode: true } })).ok).toBe(true);
  }, 90_000);

  it('inside one process, a second writable open is refused too', async () => {
    const dir = tempDir();
    const first = await Store.open(dir, { host: 'cli' });
    await expect(Store.open(dir, { host: 'cli' })).rejects.toThrow(/is in use by reverie .*\(pid \d+, since /);
    const reader = await Store.open(dir, { readOnly: true });
    expect(reader.readOnly).toBe(true);
    await first.close();
    const second = await Store.open(dir);
    await second.close();
  });

  it('an empty lock folder left by a crash mid-acquire is cleared once it is old; a fresh one is respected', async () => {
    const dir = tempDir();
    fs.mkdirSync(lockDir(dir));
    await expect(Store.open(dir)).rejects.toThrow(/in use by another Reverie process/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir(dir), old, old);
    const store = await Store.open(dir);
    expect(store.notices.join('\n')).toMatch(/crashed process left an empty lock/);
    await store.close();
  });

  it('a release is never a lock folder without its owner: it is renamed aside before it is deleted, and what a kill left aside is cleared', async () => {
    const dir = tempDir();
    const held = await Store.open(dir);
    // Every deletion during the release: the lock folder must already be gone from its place.
    const seen: boolean[] = [];
    const realRm = fs.rmSync.bind(fs);
    const spy = vi.spyOn(fs, 'rmSync').mockImplementation(((...args: Parameters<typeof fs.rmSync>) => {
      seen.push(fs.existsSync(lockDir(dir)));
      realRm(...args);
    }) as typeof fs.rmSync);
    try {
      await held.close();
    } finally {
      spy.mockRestore();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((present) => !present)).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('reverie.lock'))).toEqual([]);

    // A process killed between the rename and the deletion left its folder aside: no one's lock, cleared by the next writer.
    fs.mkdirSync(`${lockDir(dir)}.old-999999-deadbeef`);
    fs.writeFileSync(path.join(`${lockDir(dir)}.old-999999-deadbeef`, 'owner.json'), '{}');
    const next = await Store.open(dir);
    expect(next.notices).toEqual([]);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('reverie.lock.'))).toEqual([]);
    await next.close();
  });

  it('a lock whose owner record names a live process is never taken over', async () => {
    const dir = tempDir();
    const held = await Store.open(dir, { host: 'electron' });
    // Aged well past the crash/orphan thresholds: still respected, the holder's pid is alive.
    const old = new Date(Date.now() - 30_000);
    fs.utimesSync(lockDir(dir), old, old);
    await expect(Store.open(dir)).rejects.toThrow(/in use by the Reverie app \(pid \d+/);
    await held.close();
  });

  it('a lock taken before this machine booted is taken over, even when its pid is alive again', async () => {
    const dir = tempDir();
    const held = await Store.open(dir, { host: 'electron' });
    // Simulate a reboot: the record names a live pid (ours) but was written before the boot.
    const ownerPath = path.join(lockDir(dir), 'owner.json');
    const owner = JSON.parse(fs.readFileSync(ownerPath, 'utf8')) as { since: string; pid: number };
    owner.since = new Date(Date.now() - os.uptime() * 1000 - 3_600_000).toISOString();
    owner.pid = process.ppid;
    fs.writeFileSync(ownerPath, JSON.stringify(owner));
    const second = await Store.open(dir);
    expect(readLockOwner(dir)?.pid).toBe(process.pid);
    await second.close();
    await held.close().catch(() => undefined);
  });
});
