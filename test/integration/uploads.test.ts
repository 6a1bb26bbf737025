// Uploads (browser mode's drag and drop): file contents sent in parts, staged in the store,
// imported like a path. Same content twice changes nothing; errors name the file as dropped;
// paths that try to leave the staging folder are refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { createClient } from '../../shared/contract/client';
import { fixture, tempDir } from '../helpers/env';

describe('uploads', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  let core: Awaited<ReturnType<typeof openCore>>;
  let api: ReturnType<typeof createClient>;
  const text = fs.readFileSync(fixture('claude-code', 'spotter', 'short.jsonl'), 'utf8');

  const upload = async (files: { path: string; text: string }[], parts = 1) => {
    const { uploadId } = await api.call('uploads.begin');
    for (const f of files) {
      const size = Math.ceil(f.text.length / parts);
      for (let i = 0; i < parts; i++) await api.call('uploads.chunk', { uploadId, path: f.path, text: f.text.slice(i * size, (i + 1) * size), first: i === 0 });
    }
    return api.call('uploads.finish', { uploadId });
  };

  beforeAll(async () => {
    core = await openCore({ storeDir: store, host: 'browser', worker: sourceWorkerLauncher() });
    api = createClient(core.dispatch);
  });
  afterAll(async () => { await core?.close(); });

  it('imports a file sent in parts, exactly as the original', async () => {
    const r = await upload([{ path: 'logs/short.jsonl', text }], 3);
    expect(r.sessions).toBe(1);
    expect(r.errors).toEqual([]);
    const [stored] = fs.readdirSync(path.join(store, 'uploads')).filter((d) => d !== '.staging');
    expect(fs.readFileSync(path.join(store, 'uploads', stored, 'logs', 'short.jsonl'), 'utf8')).toBe(text);
    // The staging folder is cleaned up.
    expect(fs.readdirSync(path.join(store, 'uploads', '.staging'))).toEqual([]);
  });

  it('changes nothing when the same content is uploaded again', async () => {
    const before = (await api.call('app.info')).counts.sessions;
    const r = await upload([{ path: 'logs/short.jsonl', text }]);
    expect(r.sessions).toBe(0);
    expect((await api.call('app.info')).counts.sessions).toBe(before);
  });

  it('names a broken file as it was dropped, with the line', async () => {
    const r = await upload([{ path: 'broken.jsonl', text: '{"type":"user"\nnot json at all\n' }]);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e) => e.file === 'broken.jsonl')).toBe(true);
    expect(r.errors.some((e) => typeof e.line === 'number')).toBe(true);
  });

  it('refuses paths that leave the upload folder, and parts for an upload never begun', async () => {
    const { uploadId } = await api.call('uploads.begin');
    for (const bad of ['../escape.jsonl', '/etc/passwd', 'a//b.jsonl', 'C:\\x.jsonl']) {
      await expect(api.call('uploads.chunk', { uploadId, path: bad, text: 'x', first: true })).rejects.toMatchObject({ type: 'invalid-input' });
    }
    await expect(api.call('uploads.chunk', { uploadId: 'ffffffff-0000-4000-8000-000000000000', path: 'a.jsonl', text: 'x', first: true })).rejects.toMatchObject({ type: 'not-found' });
    await expect(api.call('uploads.finish', { uploadId })).rejects.toThrow(/no files/);
    // Nothing named by a refused path was written anywhere: in the staging folder's parents, in the store, or beside it.
    const written = fs.readdirSync(work, { recursive: true }).map(String);
    expect(written.filter((f) => /escape|passwd|x\.jsonl|b\.jsonl/.test(f))).toEqual([]);
  });
});
