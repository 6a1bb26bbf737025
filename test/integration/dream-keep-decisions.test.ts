// Dreams respect what the user decided, through the contract the UI calls: a deleted seeded lesson
// is not re-learned, an undone dream is not silently redone, a seeded team lesson keeps its scope,
// and a dream records the engine that actually ran.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { tempDir } from '../helpers/env';
import { recurringSession } from '../unit/dreaming/corpus';

const SHOP = '/home/dev/src/shop';

describe('dreams keep the user\'s decisions', () => {
  const work = tempDir();
  const logs = path.join(work, 'logs');
  const cores: Awaited<ReturnType<typeof openCore>>[] = [];
  const open = async (name: string) => {
    const core = await openCore({ storeDir: path.join(work, name), host: 'cli', worker: sourceWorkerLauncher(), apiKey: async () => null });
    cores.push(core);
    return { core, api: createClient(core.dispatch) };
  };
  beforeAll(() => { for (let i = 0; i < 4; i++) recurringSession(path.join(logs, 'first'), SHOP, i); });
  afterAll(async () => { for (const c of cores) await c.close(); });

  it('a seeded team lesson keeps its scope when reinforced; deleted, it does not come back as a learned one; restored, its tombstones go', async () => {
    const { core, api } = await open('seeded');
    await api.call('import.paths', { paths: [path.join(logs, 'first')] });
    const [seed] = (await api.call('lessons.seed', { text: '- Use pnpm instead of npm.\n', name: 'team.md' })).added;
    expect(seed.agents).toEqual(['all']);
    const first = await api.call('dreams.run', {});
    expect(first.changes.find((c) => c.lessonId === seed.id)?.op).toBe('reinforce');
    for (let i = 4; i < 6; i++) recurringSession(path.join(logs, 'more'), SHOP, i);
    await api.call('import.paths', { paths: [path.join(logs, 'more')] });
    const second = await api.call('dreams.run', {});
    const again = second.changes.find((c) => c.lessonId === seed.id)!;
    expect(again.op).toBe('reinforce');
    expect(again.after).toMatchObject({ agents: ['all'], support: { sessions: 6 } });

    const { deleted } = await api.call('lessons.delete', { id: seed.id });
    const full = await api.call('dreams.run', { full: true });
    expect(full.changes.filter((c) => c.op === 'add').map((c) => c.after!.text)).toEqual([]);
    expect(full.changes).toEqual([]);
    expect(full.message).toMatch(/deleted or undone by you \(1 of \d+\)/);
    expect((await api.call('lessons.list', {})).filter((l) => /use pnpm/i.test(l.text))).toEqual([]);

    await api.call('lessons.restore', { lesson: deleted });
    const keys = new Set([deleted.patternKey, ...(deleted.signalKeys ?? [])]);
    expect(core.store.data.tombstones.filter((t) => keys.has(t.patternKey))).toEqual([]);
  });

  it('an undone dream is not redone by the next dream; new evidence brings its lessons back', async () => {
    const { api } = await open('undo');
    await api.call('import.paths', { paths: [path.join(logs, 'first')] });
    const dream = await api.call('dreams.run', {});
    const adds = dream.changes.filter((c) => c.op === 'add');
    expect(adds.length).toBeGreaterThan(0);
    await api.call('dreams.undo', { id: dream.id });
    expect(await api.call('lessons.list', {})).toEqual([]);
    // The Lessons screen says they are held back (app.info), not that nothing recurs: one per lesson, whatever keys it owned.
    expect((await api.call('app.info', {})).counts.heldBack).toBe(adds.length);
    const redo = await api.call('dreams.run', {});
    expect(redo.changes).toEqual([]);
    expect(redo.message).toMatch(/undone/);
    expect((await api.call('dreams.run', { full: true })).changes).toEqual([]);

    await api.call('import.paths', { paths: [path.join(logs, 'more')] });
    const later = await api.call('dreams.run', {});
    // The mistake and the wish recur in 6 sessions now, more than the 4 they had when undone.
    // (The wish's cluster may be keyed on a new wording now, so it is compared by kind, not id.)
    const back = later.changes.filter((c) => c.op === 'add').map((c) => c.after!);
    expect(back.map((l) => l.id)).toContain(adds.find((c) => c.after!.kind === 'mistake')!.lessonId);
    expect(back.find((l) => l.kind === 'preference')?.text).toMatch(/pnpm/);
    expect(back.find((l) => l.kind === 'preference')!.support.sessions).toBe(6);
  });

  it('--engine claude without a key records the heuristic engine, and says why', async () => {
    const { api } = await open('engine');
    await api.call('import.paths', { paths: [path.join(logs, 'first')] });
    const dream = await api.call('dreams.run', { engine: 'claude' });
    expect(dream.status).toBe('applied');
    expect(dream.engine).toBe('heuristic');
    expect(dream.usage).toBeUndefined();
    expect(dream.message).toMatch(/Claude engine not used: no Anthropic API key/);
  });
});
