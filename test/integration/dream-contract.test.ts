// The dreaming contract in-process (what the UI calls): evidence in its conversation, review with a
// rejected proposal tombstoned, undo conflicts, what-if by id, edit validation, clear errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { loadIndex } from '../../electron/core/dreaming/observations-file';
import { tempDir } from '../helpers/env';
import { recurringSession } from '../unit/dreaming/corpus';

describe('dreaming contract', () => {
  const work = tempDir();
  let core: Awaited<ReturnType<typeof openCore>>;
  let api: ReturnType<typeof createClient>;
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) recurringSession(path.join(work, 'logs'), i % 2 ? '/home/dev/src/api' : '/home/dev/src/shop', i);
    core = await openCore({ storeDir: path.join(work, 'store'), host: 'cli', worker: sourceWorkerLauncher() });
    api = createClient(core.dispatch);
    await api.call('import.paths', { paths: [path.join(work, 'logs')] });
  });
  afterAll(async () => { await core?.close(); });

  it('opens an evidence event in its conversation', async () => {
    const dream = await api.call('dreams.run', {});
    expect(dream.status).toBe('applied');
    const [lesson] = await api.call('lessons.list', {});
    const ev = lesson.evidence[0];
    const ctx = await api.call('sessions.context', { sessionId: ev.sessionId, eventId: ev.eventId, radius: 2 });
    expect(ctx.events[ctx.focus].id).toBe(ev.eventId);
    expect(ctx.events.length).toBeLessThanOrEqual(5);
    expect(ctx.session.id).toBe(ev.sessionId);
    await expect(api.call('sessions.context', { sessionId: ev.sessionId, eventId: 'nope' })).rejects.toThrow(/has no event nope/);
    const wi = await api.call('lessons.whatIf', { id: lesson.id });
    expect(wi).toMatchObject({ sessions: 4, of: 4 });
    expect(wi.examples.length).toBeGreaterThan(0);
  });

  it('undo refuses when a lesson changed since, and edit needs something to change', async () => {
    const [l] = await api.call('lessons.list', {});
    const dream = (await api.call('dreams.list', {})).find((d) => d.changes.some((c) => c.lessonId === l.id && c.decision === 'applied'))!;
    await api.call('lessons.pin', { id: l.id, pinned: true });
    await expect(api.call('dreams.undo', { id: dream.id })).rejects.toThrow(/changed since the dream/);
    await api.call('lessons.pin', { id: l.id, pinned: false });
    await expect(api.call('dreams.undo', { id: dream.id })).rejects.toThrow(/changed since the dream/); // updatedAt moved on
    await expect(api.call('lessons.edit', { id: l.id } as never)).rejects.toThrow(/title or text/);
    await expect(api.call('dreams.undo', { id: 'd-missing' })).rejects.toThrow(/No dream with id d-missing/);
  });

  it('review: pending until decided; a rejected proposal is tombstoned and not proposed again', async () => {
    const other = await openCore({ storeDir: path.join(work, 'review-store'), host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const rapi = createClient(other.dispatch);
      await rapi.call('import.paths', { paths: [path.join(work, 'logs')] });
      await rapi.call('settings.set', { patch: { reviewMode: true } });
      const fresh = await rapi.call('dreams.run', {});
      expect(fresh.status).toBe('pending');
      expect(fresh.changes.length).toBeGreaterThan(1);
      expect(await rapi.call('lessons.list', {})).toEqual([]);
      await expect(rapi.call('dreams.review', { id: fresh.id, accept: ['c99'] })).rejects.toThrow(/no change c99/);
      await expect(rapi.call('dreams.run', {})).rejects.toThrow(/waiting for review/);
      const [first, ...rest] = fresh.changes;
      const done = await rapi.call('dreams.review', { id: fresh.id, accept: [first.id], reject: rest.map((c) => c.id) });
      expect(done.status).toBe('applied');
      expect(done.message).toMatch(/1 change\(s\) accepted, \d+ rejected/);
      expect((await rapi.call('lessons.list', {})).map((l) => l.id)).toEqual([first.lessonId]);
      const again = await rapi.call('dreams.run', { full: true });
      expect(again.changes).toEqual([]); // the rejected ones are tombstoned
      await expect(rapi.call('dreams.review', { id: fresh.id, accept: [first.id] })).rejects.toThrow(/not pending/);
    } finally {
      await other.close();
    }
  });

  it('a damaged observation index is kept aside and rebuilt, never trusted or fatal', async () => {
    const file = path.join(core.store.dir, 'patterns.json');
    fs.writeFileSync(file, '{"version": 1, "sessions": [');
    core.store.index.setDreamt([core.store.sessions[0]!.id], false);
    const d = await api.call('dreams.run', {});
    expect(d.message).toMatch(/observation index was damaged .* rebuilt from all 4 sessions/);
    expect(d.stats.sessionsRead).toBe(4);
    expect(fs.readdirSync(core.store.dir).some((f) => f.startsWith('patterns.json.damaged-'))).toBe(true);
    expect(loadIndex(core.store.dir).sessions.size).toBe(4);
    expect(core.store.sessions.every((s) => s.dreamt)).toBe(true);
  });

  it('deleting every lesson leaves nothing to re-learn', async () => {
    for (const l of await api.call('lessons.list', { all: true })) await api.call('lessons.delete', { id: l.id });
    const d = await api.call('dreams.run', { full: true });
    expect(d.status).toBe('empty');
    expect(d.message).toMatch(/deleted by you/);
    expect(await api.call('lessons.list', {})).toEqual([]);
  });

  it('an observation index that cannot be written leaves its sessions to the next dream', async () => {
    const dir = path.join(work, 'index-fails');
    const failing = await openCore({ storeDir: dir, host: 'cli', worker: { file: path.join(import.meta.dirname, '..', 'helpers', 'index-write-fails-worker.mjs') } });
    try {
      await createClient(failing.dispatch).call('import.paths', { paths: [path.join(work, 'logs')] });
      await expect(createClient(failing.dispatch).call('dreams.run', {})).rejects.toThrow(/no space left on device/);
      // The dream is recorded (its result came first) but no session counts as dreamt over, on disk too.
      expect(failing.store.data.dreams).toHaveLength(1);
      expect(failing.store.sessions.some((s) => s.dreamt)).toBe(false);
      expect(fs.existsSync(path.join(dir, 'patterns.json'))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await failing.close();
    }
    const again = await openCore({ storeDir: dir, host: 'cli', worker: sourceWorkerLauncher() });
    try {
      expect(again.store.sessions.some((s) => s.dreamt)).toBe(false);
      const d = await createClient(again.dispatch).call('dreams.run', {});
      expect(d.stats.sessionsRead).toBe(4);
      expect(again.store.sessions.every((s) => s.dreamt)).toBe(true);
      expect(loadIndex(dir).sessions.size).toBe(4);
    } finally {
      await again.close();
    }
  });
});
