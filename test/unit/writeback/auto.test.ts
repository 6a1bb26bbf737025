// Automatic write-back after a dream: composed around the dream handler; runs only when the
// setting is on and the dream was applied (not pending review, not empty); never fails the dream.
import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../../shared/contract';
import { Settings, type Dream } from '../../../shared/model';
import type { CoreContext } from '../../../electron/core/context';
import { withAutoWriteback } from '../../../electron/core/handlers/writeback';

const dream = (status: Dream['status']): Dream => ({
  id: 'd1', startedAt: '2026-11-01T00:00:00.000Z', finishedAt: '2026-11-01T00:00:01.000Z', engine: 'heuristic', full: false, status, changes: [],
  stats: { sessionsRead: 1, signalsRead: 1, patterns: 0, durationMs: 1 },
});

function setup(auto: boolean, status: Dream['status'], fail = false) {
  const ctx = { store: { data: { settings: Settings.parse({ writeback: { auto } }) } } } as unknown as CoreContext;
  const apply = vi.fn(async () => {
    if (fail) throw new Error('disk full');
    return { at: 'x', dryRun: false, targets: [] };
  });
  const handlers = { 'dreams.run': async () => dream(status), 'writeback.apply': apply } as unknown as Handlers;
  return { run: () => withAutoWriteback(ctx, handlers)['dreams.run']({ full: false }), apply };
}

describe('auto write-back', () => {
  it('writes back after an applied dream when the setting is on', async () => {
    const { run, apply } = setup(true, 'applied');
    expect((await run()).status).toBe('applied');
    expect(apply).toHaveBeenCalledWith({ force: false });
  });

  it('does nothing when off, or when the dream is pending review or empty', async () => {
    for (const [auto, status] of [[false, 'applied'], [true, 'pending'], [true, 'empty']] as const) {
      const { run, apply } = setup(auto, status);
      await run();
      expect(apply, `${auto} ${status}`).not.toHaveBeenCalled();
    }
  });

  it('never fails the dream when the write-back fails', async () => {
    const { run, apply } = setup(true, 'applied', true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await run()).id).toBe('d1');
    expect(apply).toHaveBeenCalled();
    expect(String(err.mock.calls[0]?.[0])).toMatch(/auto write-back failed: disk full/);
    err.mockRestore();
  });
});
