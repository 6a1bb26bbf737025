// Tombstones across every key a lesson owns, undone dreams that stay undone, and the scope of
// locked lessons: the curation rules a user relies on to keep what they decided.
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../shared/model';
import { applyChanges } from '../../../electron/core/dreaming/changes';
import { heuristicDream } from '../../../electron/core/dreaming/heuristic';
import { tombstonesFor, withTombstones, withoutTombstonesOf } from '../../../electron/core/dreaming/tombstones';
import { day, input, pref } from './helpers';

const dream = (signals: Parameters<typeof heuristicDream>[1], over: Parameters<typeof input>[0] = {}) => heuristicDream(input(over), signals);
const pnpm = (sessions: number[]) => sessions.map((s) => pref('use pnpm instead of npm', s));

const seeded = (text: string, agents = ['all']): Lesson => ({
  id: 'seed-1', kind: 'practice', title: text, text, agents, origin: 'seeded', status: 'active', pinned: false, patternKey: `seed|${text.toLowerCase()}`,
  userEdited: false, confidence: 0.5, evidence: [], support: { sessions: 0, agents: 0, occurrences: 0, firstSeen: null, lastSeen: null },
  createdAt: day(0), updatedAt: day(0), activatedAt: day(0),
});

describe('a deleted seeded lesson stays deleted', () => {
  it('tombstones the signal keys it absorbed: a full re-dream adds nothing', () => {
    const [reinforced] = applyChanges([seeded('Use pnpm, not npm.')], dream(pnpm([1, 2, 3]), { lessons: [seeded('Use pnpm, not npm.')] }).changes);
    expect(reinforced.signalKeys?.length).toBeGreaterThan(0);
    const tombstones = tombstonesFor(reinforced, 'deleted', day(4));
    expect(tombstones.map((t) => t.patternKey)).toEqual(expect.arrayContaining([reinforced.patternKey, ...reinforced.signalKeys!]));
    const out = dream(pnpm([1, 2, 3, 4, 5]), { tombstones });
    expect(out.changes).toEqual([]);
    expect(out.message).toMatch(/deleted by you/);
  });
  it('is recognised by its wording even before it absorbed any key', () => {
    const never = seeded('Use pnpm, not npm.');
    expect(dream(pnpm([1, 2, 3]), { tombstones: tombstonesFor(never, 'deleted', day(4)) }).changes).toEqual([]);
    // An unrelated wish is still learned, and the opposite of the deleted rule is not blocked by it.
    const other = [1, 2, 3].map((s) => pref('always run lint before committing', s));
    expect(dream(other, { tombstones: tombstonesFor(never, 'deleted', day(4)) }).changes.map((c) => c.op)).toEqual(['add']);
  });
  it('restoring it lifts every one of its tombstones', () => {
    const [reinforced] = applyChanges([seeded('Use pnpm, not npm.')], dream(pnpm([1, 2, 3]), { lessons: [seeded('Use pnpm, not npm.')] }).changes);
    const left = withoutTombstonesOf([...tombstonesFor(reinforced, 'deleted', day(4)), { patternKey: 'other', title: 'x', deletedAt: day(4) }], reinforced);
    expect(left.map((t) => t.patternKey)).toEqual(['other']);
    expect(dream(pnpm([1, 2, 3, 4]), { lessons: [reinforced], tombstones: left }).changes.map((c) => c.op)).toEqual(['reinforce']);
  });
});

describe('an undone add stays undone until new evidence', () => {
  const added = dream(pnpm([1, 2, 3])).changes[0].after!;
  const undone = tombstonesFor(added, 'undone', day(4));
  it('the same sessions re-dreamt add nothing', () => {
    expect(undone[0]).toMatchObject({ reason: 'undone', sessions: 3 });
    expect(dream(pnpm([1, 2, 3]), { tombstones: undone }).changes).toEqual([]);
  });
  it('a pattern seen in more sessions than when it was undone is learned again', () => {
    expect(dream(pnpm([1, 2, 3, 4]), { tombstones: undone }).changes.map((c) => c.op)).toEqual(['add']);
  });
  it('undone again after it came back, it stays away until it outgrows the new support', () => {
    const readded = dream(pnpm([1, 2, 3, 4, 5]), { tombstones: undone }).changes[0].after!;
    const twice = withTombstones(undone, tombstonesFor(readded, 'undone', day(6)));
    expect(dream(pnpm([1, 2, 3, 4, 5]), { tombstones: twice }).changes).toEqual([]);
    expect(dream(pnpm([1, 2, 3, 4, 5, 6]), { tombstones: twice }).changes.map((c) => c.op)).toEqual(['add']);
  });
  it('deleting or rejecting later hardens the tombstone; undoing never softens a deletion', () => {
    const hard = withTombstones(undone, tombstonesFor(added, 'deleted', day(5)));
    expect(hard.map((t) => t.reason)).toEqual(undone.map(() => 'deleted'));
    expect(dream(pnpm([1, 2, 3, 4, 5, 6]), { tombstones: hard }).changes).toEqual([]);
    expect(withTombstones(hard, undone)).toEqual(hard);
  });
});

describe('locked lessons keep the scope their author gave them', () => {
  it('a seeded team lesson reinforced twice by one agent stays a team lesson', () => {
    let lessons = [seeded('Use pnpm, not npm.')];
    lessons = applyChanges(lessons, dream(pnpm([1, 2, 3]), { lessons }).changes);
    const second = dream(pnpm([1, 2, 3, 4, 5]), { lessons }).changes;
    expect(second.map((c) => c.op)).toEqual(['reinforce']);
    expect(second[0].after).toMatchObject({ agents: ['all'], support: { sessions: 5 } });
  });
  it('a user-edited lesson keeps its agents; a learned one follows the evidence', () => {
    const [l] = applyChanges([], dream(pnpm([1, 2, 3])).changes);
    const more = [...pnpm([1, 2, 3]), ...[4, 5].map((s) => pref('use pnpm instead of npm', s, { agentId: 'codex:/src/api' }))];
    const edited = { ...l, agents: ['claude-code:/src/shop'], userEdited: true };
    expect(dream(more, { lessons: [edited] }).changes[0].after!.agents).toEqual(['claude-code:/src/shop']);
    // Two agents make it a team lesson (minAgentsForTeam = 2).
    expect(dream(more, { lessons: [l] }).changes[0].after!.agents).toEqual(['all']);
  });
});
