// Tombstones across every key a lesson owns, undone dreams that stay undone, and the scope of
// locked lessons: the curation rules a user relies on to keep what they decided.
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../shared/model';
import { applyChanges } from '../../../electron/core/dreaming/changes';
import { heuristicDream } from '../../../electron/core/dreaming/heuristic';
import { tombstonesFor, withTombstones, withoutTombstonesOf } from '../../../electron/core/dreaming/tombstones';
import { undoneChanges } from '../../../electron/core/dreaming/review';
import { day, input, pref, sig } from './helpers';

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

describe('an undone retirement or merge is not redone until new evidence', () => {
  it('a retirement by a later reversal, undone, holds until the lesson recurs in more sessions', () => {
    const old = applyChanges([], dream([1, 2, 3].map((s) => pref('use tabs for indentation', s))).changes)[0];
    const signals = [...[1, 2, 3].map((s) => pref('use tabs for indentation', s)), ...[10, 11, 12].map((s) => pref("don't use tabs for indentation", s))];
    expect(dream(signals, { lessons: [old] }).changes.map((c) => c.op)).toContain('retire');
    const undone = [{ op: 'retire' as const, lessonId: old.id, sessions: 3 }];
    expect(heuristicDream({ ...input({ lessons: [old] }), undone }, signals).changes.filter((c) => c.lessonId === old.id)).toEqual([]);
    const more = [...signals, pref('use tabs for indentation', 4)];
    expect(heuristicDream({ ...input({ lessons: [old] }), undone }, more).changes.find((c) => c.lessonId === old.id)?.op).toBe('retire');
  });
  it('a decay retirement, undone, is not redone while the lesson stays unseen', () => {
    const early = [1, 2, 3].map((d) => pref('always run lint first', d));
    const lessons = applyChanges([], dream(early).changes);
    const later = Array.from({ length: 25 }, (_, i) => sig('tool_error', `bash|unique problem ${'abcdefghijklmnopqrstuvwxyz'[i]}q`, `unique problem ${'abcdefghijklmnopqrstuvwxyz'[i]}q`, 200 + i));
    expect(dream([...early, ...later], { lessons }).changes.map((c) => c.op)).toEqual(['retire']);
    const undone = [{ op: 'retire' as const, lessonId: lessons[0].id, sessions: 3 }];
    expect(heuristicDream({ ...input({ lessons }), undone }, [...early, ...later]).changes).toEqual([]);
  });
  it('a merge, undone, leaves both lessons standing until the pattern grows', () => {
    const a = applyChanges([], dream([1, 2, 3].map((s) => pref('use pnpm not npm', s))).changes)[0];
    const b = applyChanges([], dream([4, 5, 6].map((s) => pref('no, use pnpm, never npm install', s))).changes)[0];
    const signals = [...[1, 2, 3].map((s) => pref('use pnpm not npm', s)), ...[4, 5, 6].map((s) => pref('no, use pnpm, never npm install', s))];
    const merged = dream(signals, { lessons: [a, b] }).changes[0];
    expect(merged.op).toBe('merge');
    const undone = [{ op: 'merge' as const, lessonId: merged.lessonId, sessions: merged.after!.support.sessions }];
    const again = heuristicDream({ ...input({ lessons: [a, b] }), undone }, signals).changes;
    expect(again.map((c) => c.op)).not.toContain('merge');
    expect(again.flatMap((c) => [c.after, ...c.related.map((r) => r.after)]).filter((l) => l?.status === 'retired')).toEqual([]);
    expect(heuristicDream({ ...input({ lessons: [a, b] }), undone }, [...signals, pref('use pnpm not npm', 7)]).changes.map((c) => c.op)).toContain('merge');
  });
});

describe('undoneChanges: what dreams.run hands the engine', () => {
  it('the applied retirements and merges of undone dreams only, with the support they had', () => {
    const l = applyChanges([], dream(pnpm([1, 2, 3])).changes)[0];
    const change = (id: string, op: 'add' | 'retire' | 'merge', decision: 'applied' | 'rejected' = 'applied') =>
      ({ id, op, lessonId: l.id, before: op === 'add' ? null : l, after: { ...l, status: op === 'retire' ? 'retired' as const : l.status }, related: [], reason: 'r', decision });
    const d = (id: string, status: 'applied' | 'undone', changes: ReturnType<typeof change>[]) =>
      ({ id, startedAt: day(1), finishedAt: day(1), engine: 'heuristic' as const, full: false, status, changes, stats: { sessionsRead: 3, signalsRead: 3, patterns: 1, durationMs: 1 } });
    const dreams = [d('d1', 'undone', [change('c1', 'add'), change('c2', 'retire'), change('c3', 'merge', 'rejected')]), d('d2', 'applied', [change('c1', 'merge')]), d('d3', 'undone', [change('c1', 'merge')])];
    expect(undoneChanges(dreams)).toEqual([{ op: 'retire', lessonId: l.id, sessions: 3 }, { op: 'merge', lessonId: l.id, sessions: 3 }]);
  });
});
