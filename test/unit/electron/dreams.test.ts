// What the shell says about dreams: the tray's status line, the "new lessons" notification, and
// the watcher that announces each finished dream once, however it was started.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/define';
import type { Change, Dream } from '../../../shared/model';
import { createDreamWatcher, dreamNotification, dreamStatusLine } from '../../../electron/main/dreams';
import { trayTemplate } from '../../../electron/main/tray';

const NOW = Date.parse('2026-11-25T12:00:00Z');

function change(op: Change['op'], title: string, decision: Change['decision'] = 'applied'): Change {
  const after = { title } as unknown as NonNullable<Change['after']>;
  return { id: `c-${title}`, op, lessonId: `l-${title}`, before: null, after, related: [], reason: 'r', decision } as Change;
}

function dream(over: Partial<Dream> & { changes: Change[] }): Dream {
  return {
    id: over.id ?? 'd-1', startedAt: '2026-11-25T11:00:00Z', finishedAt: over.finishedAt ?? '2026-11-25T11:00:05Z', engine: 'heuristic', full: false,
    status: 'applied', stats: { sessionsRead: 3, signalsRead: 9, patterns: 2, durationMs: 5 }, ...over,
  } as Dream;
}

describe('the new-lessons notification', () => {
  it('names the new lessons of an applied dream', () => {
    expect(dreamNotification(dream({ changes: [change('add', 'Use pnpm'), change('reinforce', 'Old')] }))).toEqual({ title: 'Reverie learnt 1 new lesson', body: 'Use pnpm' });
    const many = dreamNotification(dream({ changes: ['A', 'B', 'C', 'D'].map((t) => change('add', t)) }));
    expect(many).toEqual({ title: 'Reverie learnt 4 new lessons', body: 'A · B · and 2 more' });
  });

  it('asks for review when the dream waits for it', () => {
    expect(dreamNotification(dream({ status: 'pending', changes: [change('add', 'X', 'pending'), change('add', 'Y', 'pending')] }))).toEqual({ title: 'Reverie dreamt up 2 new lessons', body: 'They are waiting for your review in Dreams.' });
  });

  it('stays quiet when nothing new was learnt', () => {
    for (const d of [
      dream({ changes: [change('reinforce', 'A'), change('sharpen', 'B')] }),
      dream({ status: 'empty', changes: [] }),
      dream({ status: 'failed', changes: [] }),
      dream({ status: 'undone', changes: [change('add', 'A')] }),
      dream({ status: 'applied', changes: [change('add', 'A', 'rejected')] }),
    ]) expect(dreamNotification(d)).toBeNull();
  });
});

describe('the tray status line', () => {
  it('says what the last dream did, and when', () => {
    expect(dreamStatusLine(null, false, NOW)).toBe('No dream yet');
    expect(dreamStatusLine(null, true, NOW)).toBe('Dreaming…');
    expect(dreamStatusLine(dream({ finishedAt: '2026-11-25T11:59:40Z', changes: [change('add', 'A'), change('add', 'B')] }), false, NOW)).toBe('Last dream: 2 new lessons, just now');
    expect(dreamStatusLine(dream({ changes: [change('reinforce', 'A')] }), false, NOW)).toBe('Last dream: 1 change, 1 h ago');
    expect(dreamStatusLine(dream({ status: 'pending', changes: [change('add', 'A', 'pending'), change('retire', 'B', 'pending')] }), false, NOW)).toBe('Last dream: 2 changes to review, 1 h ago');
    expect(dreamStatusLine(dream({ status: 'empty', finishedAt: '2026-11-22T12:00:00Z', changes: [] }), false, NOW)).toBe('Last dream: nothing new, 3 days ago');
    expect(dreamStatusLine(dream({ status: 'failed', finishedAt: '2026-11-25T11:30:00Z', changes: [] }), false, NOW)).toBe('Last dream: failed, 30 min ago');
  });

  it('disables "Dream Now" while a dream runs', () => {
    const calls: string[] = [];
    const t = trayTemplate('Dreaming…', true, { open: () => calls.push('open'), dreamNow: () => calls.push('dream'), quit: () => calls.push('quit') });
    expect(t[0]).toMatchObject({ label: 'Dreaming…', enabled: false });
    expect(t.find((i) => i.label === 'Dreaming…' && i.enabled === false && i.click)).toBeDefined();
    const idle = trayTemplate('No dream yet', false, { open: () => calls.push('open'), dreamNow: () => calls.push('dream'), quit: () => calls.push('quit') });
    for (const label of ['Dream Now', 'Open Reverie', 'Quit Reverie']) (idle.find((i) => i.label === label)!.click as unknown as () => void)();
    expect(calls).toEqual(['dream', 'open', 'quit']);
  });
});

describe('the dream watcher', () => {
  function fakeDispatch(list: Dream[], run?: () => Dream) {
    return async (method: string): Promise<Envelope> => {
      if (method === 'dreams.list') return { ok: true, result: [...list] };
      if (method === 'dreams.run' && run) {
        const d = run();
        list.unshift(d);
        return { ok: true, result: d };
      }
      return { ok: false, error: { type: 'failed', message: 'the store is locked' } };
    };
  }

  it('announces each new dream once, never the ones that existed at start', async () => {
    const list = [dream({ id: 'old', changes: [change('add', 'Old')] })];
    const finished: string[] = [];
    const statuses: [string | null, boolean][] = [];
    const w = createDreamWatcher({ dispatch: fakeDispatch(list), onStatus: (d, r) => statuses.push([d?.id ?? null, r]), onFinished: (d) => finished.push(d.id) });
    await w.init();
    await w.refresh();
    expect(finished).toEqual([]);
    list.unshift(dream({ id: 'scheduled', changes: [change('add', 'New')] }));
    await w.refresh();
    await w.refresh();
    expect(finished).toEqual(['scheduled']);
    expect(w.latest()?.id).toBe('scheduled');
    expect(statuses.at(-1)).toEqual(['scheduled', false]);
  });

  it('runs "Dream now" one at a time and reports a failure to the caller', async () => {
    const list: Dream[] = [];
    let n = 0;
    const running: boolean[] = [];
    const w = createDreamWatcher({ dispatch: fakeDispatch(list, () => dream({ id: `d${++n}`, changes: [] })), onStatus: (_d, r) => running.push(r), onFinished: () => {} });
    await w.init();
    const [a, b] = await Promise.all([w.dreamNow(), w.dreamNow()]);
    expect(a?.id).toBe('d1');
    expect(b).toBeNull();
    expect(running).toContain(true);
    expect(running.at(-1)).toBe(false);
    const failing = createDreamWatcher({ dispatch: fakeDispatch([]), onStatus: () => {}, onFinished: () => {} });
    await expect(failing.dreamNow()).rejects.toThrow('the store is locked');
  });
});
