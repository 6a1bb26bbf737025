import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../shared/model';
import { applyChanges } from '../../../electron/core/dreaming/changes';
import { heuristicDream } from '../../../electron/core/dreaming/heuristic';
import { day, input, pref, sig } from './helpers';

const commitErr = (s: number, over = {}) => sig('tool_error', 'bash|nothing to commit, working tree clean', 'nothing to commit, working tree clean', s, { excerpt: 'git commit -m x\n→ nothing to commit', fix: 'Bash git status', ...over });
const dream = (signals: Parameters<typeof heuristicDream>[1], over: Parameters<typeof input>[0] = {}) => heuristicDream(input(over), signals);
const learned = (signals: Parameters<typeof heuristicDream>[1], over: Parameters<typeof input>[0] = {}) => applyChanges(over.lessons ?? [], dream(signals, over).changes);

describe('support: one-offs never become lessons', () => {
  it('a pattern below minSessions yields nothing, and the message says the work is too varied', () => {
    const out = dream([commitErr(1), commitErr(2), sig('tool_error', 'bash|other', 'other', 3)]);
    expect(out.changes).toEqual([]);
    expect(out.message).toMatch(/too varied.*at most 2 session\(s\); a lesson needs 3/);
  });
  it('too few sessions is said as such', () => {
    expect(dream([commitErr(1)]).message).toMatch(/only 1 session\(s\) so far.*recur in 3/);
  });
  it('occurrences within one session do not count as support', () => {
    expect(dream([commitErr(1), { ...commitErr(1), id: 'again' }, commitErr(2)]).changes).toEqual([]);
  });
  it('minSessions is a setting', () => {
    expect(dream([commitErr(1), commitErr(2)], { settings: { minSessions: 2 } }).changes.map((c) => c.op)).toEqual(['add']);
  });
  it('a mistake in 3 sessions becomes a lesson naming the fix, with evidence for each session', () => {
    const [l] = learned([commitErr(1), commitErr(2), commitErr(3)]);
    expect(l).toMatchObject({ kind: 'mistake', origin: 'learned', status: 'active', agents: ['claude-code:/src/shop'], support: { sessions: 3, agents: 1, occurrences: 3, firstSeen: day(1), lastSeen: day(3) } });
    expect(l.text).toMatch(/git status/);
    expect(l.evidence.map((e) => e.sessionId).sort()).toEqual(['session-1', 'session-2', 'session-3']);
    expect(l.evidence.every((e) => e.eventId && e.excerpt)).toBe(true);
  });
  it('a team lesson needs minAgentsForTeam agents', () => {
    const two = [commitErr(1), commitErr(2), commitErr(3, { agentId: 'codex:/src/api' })];
    expect(learned(two)[0].agents).toEqual(['all']);
    expect(learned(two, { settings: { minAgentsForTeam: 3 } })[0].agents).toEqual(['claude-code:/src/shop', 'codex:/src/api']);
  });
});

describe('clustering', () => {
  it('one wish in different wordings across sessions and agents is one lesson', () => {
    const wordings = ['no, use pnpm instead of npm', 'we use pnpm in this repo, not npm', "don't use npm here, use pnpm", 'please use pnpm, never npm install'];
    const ls = learned(wordings.map((w, i) => pref(w, i + 1, i === 3 ? { agentId: 'codex:/src/api' } : {})));
    expect(ls).toHaveLength(1);
    expect(ls[0]).toMatchObject({ kind: 'preference', agents: ['all'], support: { sessions: 4 } });
    expect(ls[0].signalKeys).toHaveLength(4);
    expect(ls[0].text).toMatch(/pnpm/);
    expect(ls[0].text).not.toMatch(/^no,/i);
  });
  it('similar sentences about different things stay apart', () => {
    const out = learned([1, 2, 3].flatMap((s) => [pref('always run lint first', s), pref('always run the tests first', s + 10)]));
    expect(out.map((l) => l.text).sort()).toEqual(['Always run lint first.', 'Always run the tests first.']);
  });
  it('frequent step sequences become one workflow (the longest with the same support)', () => {
    const steps = ['edit *.ts', 'run pnpm lint', 'run pnpm test', 'run git commit'];
    const w = (s: number, extra: string[]) => sig('workflow', `workflow|${s}`, '', s, { steps: [...extra, ...steps], eventIds: [...extra, ...steps].map((_, i) => `session-${s}:w${i}`) });
    const ls = learned([w(1, ['run npm run codegen']), w(2, []), w(3, ['use mcp'])]);
    expect(ls).toHaveLength(1);
    expect(ls[0].kind).toBe('workflow');
    expect(ls[0].text).toContain('edit a .ts file → `pnpm lint` → `pnpm test` → `git commit`');
  });
});

describe('curation rules', () => {
  const base = () => learned([commitErr(1), commitErr(2), commitErr(3)]);
  it('reinforces with new support; a second dream on the same data changes nothing', () => {
    const lessons = base();
    expect(dream([commitErr(1), commitErr(2), commitErr(3)], { lessons }).changes).toEqual([]);
    const more = dream([1, 2, 3, 4, 5].map((s) => commitErr(s)), { lessons });
    expect(more.changes.map((c) => c.op)).toEqual(['reinforce']);
    expect(more.changes[0].after!.support.sessions).toBe(5);
    expect(more.changes[0].after!.confidence).toBeGreaterThan(lessons[0].confidence);
  });
  it('sharpens its own wording when the fix becomes known, but never Claude\'s or the user\'s', () => {
    const noFix = learned([1, 2, 3].map((s) => commitErr(s, { fix: undefined })));
    expect(noFix[0].text).not.toMatch(/git status/);
    const signals = [1, 2, 3, 4].map((s) => commitErr(s));
    const sharp = dream(signals, { lessons: noFix }).changes;
    expect(sharp.map((c) => c.op)).toEqual(['sharpen']);
    expect(sharp[0].after!.text).toMatch(/git status/);
    const claude: Lesson = { ...noFix[0], text: 'Check `git status` before committing.' };
    expect(dream(signals, { lessons: [claude] }).changes.map((c) => [c.op, c.after!.text])).toEqual([['reinforce', claude.text]]);
    const edited: Lesson = { ...noFix[0], text: 'My words.', userEdited: true };
    expect(dream(signals, { lessons: [edited] }).changes[0].after!.text).toBe('My words.');
  });
  it('a failing call that was simply run again and passed is work in progress, not a lesson', () => {
    const retried = [1, 2, 3].map((s) => commitErr(s, { fix: 'Bash git commit -m x' }));
    expect(learned(retried)).toEqual([]);
  });
  it('leaves pinned lessons untouched', () => {
    const pinned = { ...base()[0], pinned: true };
    expect(dream([1, 2, 3, 4, 5].map((s) => commitErr(s)), { lessons: [pinned] }).changes).toEqual([]);
  });
  it('never re-learns a tombstoned pattern, even through a new wording of it', () => {
    const [l] = learned([pref('use pnpm not npm', 1), pref('use pnpm not npm', 2), pref('use pnpm not npm', 3)]);
    const later = [pref('use pnpm not npm', 1), pref('use pnpm not npm', 2), pref('use pnpm not npm', 3), pref('no, use pnpm rather than npm', 4), pref('no, use pnpm rather than npm', 5), pref('no, use pnpm rather than npm', 6)];
    const out = dream(later, { tombstones: [{ patternKey: l.patternKey, title: l.title, deletedAt: day(4) }] });
    expect(out.changes).toEqual([]);
    expect(out.message).toMatch(/deleted by you/);
  });
  it('merges near-duplicate lessons into one, retiring the other', () => {
    const a = learned([1, 2, 3].map((s) => pref('use pnpm not npm', s)))[0];
    const b = learned([4, 5, 6].map((s) => pref('no, use pnpm, never npm install', s)))[0];
    expect(a.id).not.toBe(b.id);
    const signals = [...[1, 2, 3].map((s) => pref('use pnpm not npm', s)), ...[4, 5, 6].map((s) => pref('no, use pnpm, never npm install', s))];
    const out = dream(signals, { lessons: [a, b] });
    expect(out.changes.map((c) => c.op)).toEqual(['merge']);
    expect(out.changes[0].related.map((r) => r.after!.status)).toEqual(['retired']);
    expect(out.changes[0].after!.support.sessions).toBe(6);
  });
  it('retires a learned preference a later correction reverses', () => {
    const old = learned([1, 2, 3].map((s) => pref('use tabs for indentation', s)))[0];
    const signals = [...[1, 2, 3].map((s) => pref('use tabs for indentation', s)), ...[10, 11, 12].map((s) => pref("don't use tabs for indentation", s))];
    const out = dream(signals, { lessons: [old] });
    const retire = out.changes.find((c) => c.op === 'retire')!;
    expect(retire.lessonId).toBe(old.id);
    expect(retire.reason).toMatch(/Contradicted/);
  });
  it('seeded lessons are reinforced when evidence agrees, flagged when it contradicts, never removed or reworded', () => {
    const seeded = (text: string): Lesson => ({ ...base()[0], id: 'seed-1', origin: 'seeded', kind: 'practice', title: text, text, evidence: [], patternKey: `seed|${text}`, signalKeys: undefined, autoWording: undefined, support: { sessions: 0, agents: 0, occurrences: 0, firstSeen: null, lastSeen: null } });
    const signals = [1, 2, 3].map((s) => pref('use pnpm instead of npm', s));
    const agree = dream(signals, { lessons: [seeded('Use pnpm, not npm.')] }).changes;
    expect(agree.map((c) => c.op)).toEqual(['reinforce']);
    expect(agree[0].after).toMatchObject({ text: 'Use pnpm, not npm.', origin: 'seeded', support: { sessions: 3 } });
    const against = dream(signals, { lessons: [seeded('Never use pnpm in this repo.')] }).changes;
    expect(against).toHaveLength(1);
    expect(against[0].after!.contradiction?.reason).toMatch(/pnpm/);
    expect(against[0].after!.status).toBe(against[0].before!.status);
  });
  it('keeps lessons few: beyond the cap per agent new ones wait as candidates, and are promoted when room frees', () => {
    const signals = [...[1, 2, 3, 4].map((s) => commitErr(s)), ...[1, 2, 3].map((s) => pref('always run lint first', s))];
    const ls = learned(signals, { settings: { maxLessonsPerAgent: 1 } });
    expect(ls.map((l) => l.status).sort()).toEqual(['active', 'candidate']);
    const active = ls.find((l) => l.status === 'active')!;
    expect(active.kind).toBe('mistake'); // more support ranks higher
    const out = dream(signals, { lessons: ls.filter((l) => l.id !== active.id), tombstones: [{ patternKey: active.patternKey, title: '', deletedAt: day(9) }], settings: { maxLessonsPerAgent: 1 } });
    expect(out.changes.map((c) => c.op)).toEqual(['promote']);
    // A seed pack does not count against the cap.
    const seeds = Array.from({ length: 3 }, (_, i): Lesson => ({ ...ls[0], id: `seed-${i}`, origin: 'seeded', kind: 'practice', title: `Seed ${i} zq${i}`, text: `Keep seed rule zq${i}.`, patternKey: `seed|${i}`, signalKeys: undefined, evidence: [], status: 'active' }));
    expect(learned(signals, { lessons: seeds, settings: { maxLessonsPerAgent: 2 } }).filter((l) => l.origin === 'learned').map((l) => l.status)).toEqual(['active', 'active']);
  });
  it('retires a learned preference that decayed (not seen for months while work went on), but never a mistake', () => {
    const early = [1, 2, 3].flatMap((d) => [pref('always run lint first', d), commitErr(d)]);
    const lessons = learned(early);
    expect(lessons).toHaveLength(2);
    const word = (i: number) => `${'abcdefghijklmnopqrstuvwxyz'[i]}${'zyxwvutsrqponmlkjihgfedcba'[i]}q`;
    const later = Array.from({ length: 25 }, (_, i) => sig('tool_error', `bash|unique problem ${word(i)}`, `unique problem ${word(i)}`, 200 + i));
    const out = dream([...early, ...later], { lessons });
    expect(out.changes.map((c) => [c.op, c.before!.kind])).toEqual([['retire', 'preference']]);
    expect(out.changes[0].reason).toMatch(/Decayed: not seen in \d+ days and 25 sessions/);
    // Fewer sessions since: not decayed yet.
    expect(dream([...early, ...later.slice(0, 10)], { lessons }).changes).toEqual([]);
  });
});
