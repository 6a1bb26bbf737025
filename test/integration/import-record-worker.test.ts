// A large import prepares its sessions' records in a worker thread (importers/record-pool.ts) while the
// owner reads on. The worker only computes: what is stored must be what the owner's thread stores, byte
// for byte, and a worker that fails loses nothing: its sessions are reported with their files, which are
// not marked imported, and the next import stores them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths, recordWorkerMinBytes } from '../../electron/core/importers';
import { prepareRecord, RecordPool } from '../../electron/core/importers/record-pool';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { Store } from '../../electron/core/store/store';
import { fixture, PROJECT_ROOT, tempDir } from '../helpers/env';
import { storesClosedAfterEach } from '../helpers/open-stores';
import { KEPT_PLANTED } from '../unit/importers/kept-secrets';

/** Real logs of six formats: line-based files, exports (arrays of conversations), a markdown history. */
const SOURCES = ['claude-code', 'codex', 'gemini-cli', 'chatgpt', 'claude-ai', 'aider'].map((f) => fixture(f));
const throughWorker = { worker: sourceWorkerLauncher(), workerMinBytes: 0 };
const failingWorker = (name: string) => ({ worker: { file: path.join(PROJECT_ROOT, 'test', 'helpers', name) }, workerMinBytes: 0 });

const { openStore, closeNow } = storesClosedAfterEach();

/** Every stored session document, by id; the import time (a clock reading) aside. */
function documents(store: Store) {
  return Object.fromEntries(
    store.sessions.map((s) => {
      const doc = store.readSessionDoc(s.id)!;
      return [s.id, JSON.stringify({ ...doc, session: { ...doc.session, importedAt: '-' } })];
    }),
  );
}

const summaries = (store: Store) => Object.fromEntries(store.sessions.map((s) => [s.id, { ...s, importedAt: '-' }]));
const counts = (r: { files: number; sessions: number; events: number; skipped: number }) => [r.files, r.sessions, r.events, r.skipped];

describe('session records prepared in a worker thread', () => {
  it('stores exactly what the owner thread stores, and a second import skips every file', async () => {
    const inline = await openStore();
    const reference = await importPaths(inline, SOURCES);
    const threaded = await openStore();
    const result = await importPaths(threaded, SOURCES, throughWorker);
    expect(reference.sessions).toBeGreaterThan(10);
    expect(counts(result)).toEqual(counts(reference));
    expect(result.errors).toEqual(reference.errors);
    expect(documents(threaded)).toEqual(documents(inline));
    expect(summaries(threaded)).toEqual(summaries(inline));
    expect(threaded.index.ledgerSize).toBe(inline.index.ledgerSize);
    const again = await importPaths(threaded, SOURCES, throughWorker);
    expect([again.sessions, again.events, again.skipped]).toEqual([0, 0, reference.files]);
  });

  it('a session the worker cannot prepare is reported with its file, which the next import reads again', async () => {
    const reference = await importPaths(await openStore(), SOURCES);
    const store = await openStore();
    const failed = await importPaths(store, SOURCES, failingWorker('record-worker-fails.mjs'));
    expect(failed.sessions).toBe(0);
    expect(failed.events).toBe(0);
    expect(store.sessions).toHaveLength(0);
    const reported = failed.errors.filter((e) => /could not be stored \(cannot prepare .+ here\); the file is read again at the next import/.test(e.reason));
    expect(reported).toHaveLength(reference.sessions);
    // No file was marked imported but those that hold no session (skipped ones are remembered as before).
    const withSessions = new Set(reported.map((e) => e.file));
    for (const file of withSessions) expect(store.index.ledgerEntry(file), file).toBeUndefined();
    const retry = await importPaths(store, SOURCES);
    expect(retry.sessions).toBe(reference.sessions);
    expect(retry.events).toBe(reference.events);
  });

  it('a worker that stops: what it held is reported, and the next import stores it', async () => {
    const inline = await openStore();
    const reference = await importPaths(inline, SOURCES);
    const store = await openStore();
    const first = await importPaths(store, SOURCES, failingWorker('record-worker-exits.mjs'));
    const lost = first.errors.filter((e) => /could not be stored \(the record worker stopped/.test(e.reason));
    expect(lost.length).toBeGreaterThan(0);
    expect(first.sessions).toBe(reference.sessions - lost.length);
    const second = await importPaths(store, SOURCES);
    expect(first.sessions + second.sessions).toBe(reference.sessions);
    expect(first.events + second.events).toBe(reference.events);
    expect(Object.keys(documents(store)).sort()).toEqual(Object.keys(documents(inline)).sort());
  });

  it('a record the store cannot take (a full disk) stops the import with the error; a re-import completes it, nothing lost', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await importPaths(store, [fixture('codex')]);
    const before = store.sessions.map((s) => s.id);
    expect(before.length).toBeGreaterThan(0);
    const write = store.writeSessionRecord.bind(store);
    let writes = 0;
    store.writeSessionRecord = (id, record) => {
      if (++writes === 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      write(id, record);
    };
    await expect(importPaths(store, SOURCES, throughWorker)).rejects.toThrow(/ENOSPC/);
    await closeNow(store);
    // As after a crash: the records appended before the failure are kept by the next open, and it says so.
    const reopened = await openStore(dir);
    for (const id of before) expect(reopened.readSessionDoc(id), id).not.toBeNull();
    expect(reopened.sessions.length).toBeGreaterThan(before.length);
    expect(reopened.notices.join('\n')).toMatch(/An import was interrupted; the \d+ session\(s\) it had completed were kept/);
    await importPaths(reopened, SOURCES, throughWorker);
    const inline = await openStore();
    await importPaths(inline, SOURCES);
    expect(documents(reopened)).toEqual(documents(inline));
  });

  it('once its worker stopped, the pool prepares records in the owner thread, the same bytes', async () => {
    const pool = new RecordPool({ file: path.join(PROJECT_ROOT, 'test', 'helpers', 'record-worker-exits.mjs') });
    const { line, secret } = KEPT_PLANTED['NPM_ACCESS_TOKEN']!;
    const agent = { id: 'codex:/w', tool: 'codex' as const, project: '/w', name: 'Codex · w' };
    const job = (id: string) => ({
      base: { id, agentId: agent.id, tool: agent.tool, project: agent.project, title: 'fix it', files: ['/w/log.jsonl'], importedAt: '2026-12-03T00:00:00.000Z', dreamt: false },
      agent,
      events: [{ id: `${id}-1`, seq: 0, kind: 'user' as const, text: `the publish step printed:\n${line}`, timestamp: '2026-12-03T00:00:01.000Z', source: { file: '/w/log.jsonl', line: 1 } }],
    });
    try {
      await expect(pool.prepare(job('a'))).rejects.toThrow(/the record worker stopped \(the record worker exited \(code 7\)\)/);
      const inline = await pool.prepare(job('b'));
      const expected = prepareRecord(job('b'));
      expect(inline.record.equals(expected.record)).toBe(true);
      expect(inline.record.toString()).not.toContain(secret); // redacted there too
      expect(inline.session).toEqual(expected.session);
    } finally {
      await pool.close();
    }
  });

  it('is used from a size on, which REVERIE_IMPORT_WORKER_MIN_BYTES can set', () => {
    expect(recordWorkerMinBytes({})).toBe(16 * 1024 * 1024);
    expect(recordWorkerMinBytes({ REVERIE_IMPORT_WORKER_MIN_BYTES: '0' })).toBe(0);
    expect(recordWorkerMinBytes({ REVERIE_IMPORT_WORKER_MIN_BYTES: ' ' })).toBe(16 * 1024 * 1024);
    expect(recordWorkerMinBytes({ REVERIE_IMPORT_WORKER_MIN_BYTES: 'lots' })).toBe(16 * 1024 * 1024);
  });
});
