// The lesson rules hold whatever Claude proposes: merges retire (never delete) the absorbed,
// locked lessons keep their wording, and every change can be undone exactly.
import { describe, expect, it } from 'vitest';
import { applyChanges, revertChanges } from '../../../electron/core/dreaming/changes';
import { Curation } from '../../../electron/core/dreaming/claude/apply';
import { gatherMaterial } from '../../../electron/core/dreaming/claude/prompt';
import type { Proposal } from '../../../electron/core/dreaming/claude/schema';
import type { Lesson } from '../../../shared/model';
import { lesson, makeInput } from './fixtures';

function curate(lessons: Lesson[], proposals: Proposal[]) {
  const input = makeInput({ lessons, signals: [] });
  const none = { changes: [], stats: { sessionsRead: 0, signalsRead: 0, patterns: 0 } };
  const c = new Curation(input, none, gatherMaterial(input, none, []));
  c.apply(proposals);
  return { input, changes: c.result(), dropped: c.dropped };
}

describe('Curation of Claude proposals', () => {
  const a = lesson('a', { text: 'Run pnpm.', support: { sessions: 3, agents: 1, occurrences: 4, firstSeen: '2026-11-02T00:00:00Z', lastSeen: '2026-11-05T00:00:00Z' } });
  const b = lesson('b', { text: 'Use pnpm, not npm.', agents: ['codex:/src/api'], support: { sessions: 5, agents: 1, occurrences: 6, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-04T00:00:00Z' } });
  const pinned = lesson('p', { pinned: true, text: 'Pinned: never force-push.' });
  const edited = lesson('e', { userEdited: true, text: 'My own words.' });

  it('merges: keeps `into` with the new wording and combined support, retires the absorbed', () => {
    const { input, changes, dropped } = curate([a, b], [{ op: 'merge', into: 'L1', absorb: ['L2'], text: 'Use pnpm for every install and script; never npm.', reason: 'Same wish twice.' }]);
    expect(dropped).toEqual([]);
    expect(changes).toHaveLength(1);
    const [m] = changes;
    expect(m).toMatchObject({ op: 'merge', lessonId: 'a', reason: 'Same wish twice.' });
    expect(m.after).toMatchObject({ text: 'Use pnpm for every install and script; never npm.', agents: ['claude-code:/src/shop', 'codex:/src/api'] });
    expect(m.after!.support).toEqual({ sessions: 5, agents: 1, occurrences: 10, firstSeen: '2026-11-01T00:00:00Z', lastSeen: '2026-11-05T00:00:00Z' });
    expect(m.related).toEqual([{ lessonId: 'b', before: b, after: { ...b, status: 'retired', updatedAt: input.now } }]);
    expect(revertChanges(applyChanges(input.lessons, changes), changes)).toEqual(input.lessons);
  });

  it('locked lessons: may receive a merge but keep their words; never sharpened, retired or absorbed', () => {
    const { changes, dropped } = curate([pinned, edited, a], [
      { op: 'merge', into: 'L1', absorb: ['L3'], text: 'Rewritten pinned text', reason: 'dupe' },
      { op: 'sharpen', lesson: 'L2', text: 'Claude knows better words', reason: 'clearer' },
      { op: 'retire', lesson: 'L2', reason: 'contradicted' },
      { op: 'merge', into: 'L3', absorb: ['L2'], reason: 'dupe' },
    ]);
    expect(curate([pinned, edited, a], [{ op: 'merge', into: 'L3', absorb: ['L2'], reason: 'dupe' }]).dropped).toEqual(['merge L3: L2 is locked and cannot be merged away']);
    expect(changes).toHaveLength(1);
    expect(changes[0].after!.text).toBe('Pinned: never force-push.');
    expect(changes[0].after!.pinned).toBe(true);
    expect(dropped).toEqual([
      'sharpen L2: the lesson is locked (pinned, edited or written by the user)',
      'retire L2: the lesson is locked (pinned, edited or written by the user)',
      'merge L3: cannot merge into a retired lesson', // L3 was absorbed by the first merge
    ]);
  });

  it('retires a contradicted lesson, and changes one lesson at most once per dream', () => {
    const { changes, dropped } = curate([a, b], [
      { op: 'retire', lesson: 'L1', conflictsWith: 'L2', reason: 'L2 is newer and says otherwise.' },
      { op: 'sharpen', lesson: 'L1', text: 'Too late to reword it', reason: 'x' },
      { op: 'retire', lesson: 'L2', conflictsWith: 'L7', reason: 'x' },
    ]);
    expect(changes.map((c) => [c.op, c.lessonId, c.after?.status])).toEqual([['retire', 'a', 'retired']]);
    expect(dropped).toEqual(['sharpen L1: the lesson is retired', 'retire L2: unknown conflicting lesson handle']);
  });
});
