// The dreaming loop through the real CLI on generated Claude Code sessions:
// learn → incremental reinforce → same lessons as a full re-dream → diff → undo → edit → review mode,
// and the honest empty result on the real fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dream, Lesson } from '../../shared/model';
import { fixture, runCli, tempDir } from '../helpers/env';
import { oneOffSession, recurringSession } from '../unit/dreaming/corpus';

const seen = (ls: Lesson[]) =>
  ls.filter((l) => l.status !== 'retired').map((l) => ({ kind: l.kind, title: l.title, text: l.text, agents: l.agents, support: l.support, evidence: l.evidence.map((e) => e.eventId).sort() }))
    .sort((a, b) => a.text.localeCompare(b.text));

describe('dreaming through the CLI', () => {
  const work = tempDir();
  const logs = path.join(work, 'logs');
  const store = path.join(work, 'store');
  const s = (...args: string[]) => runCli([...args, '--store', store]);
  const lessons = () => s('lessons', '--json').json as Lesson[];

  beforeAll(() => {
    for (let i = 0; i < 3; i++) recurringSession(path.join(logs, 'a'), i % 2 ? '/home/dev/src/api' : '/home/dev/src/shop', i);
    for (let i = 3; i < 6; i++) recurringSession(path.join(logs, 'b'), i % 2 ? '/home/dev/src/api' : '/home/dev/src/shop', i);
    for (let i = 0; i < 4; i++) oneOffSession(path.join(logs, 'b'), '/home/dev/src/shop', i);
    recurringSession(path.join(logs, 'c'), '/home/dev/src/shop', 6);
  });

  let first: Dream;
  let second: Dream;
  it('learns a team mistake naming its fix, a preference worded three ways and a workflow, each with evidence', () => {
    expect(s('import', path.join(logs, 'a'), '--json').code).toBe(0);
    const r = s('dream', '--json');
    expect(r.code).toBe(0);
    first = r.json as Dream;
    expect(first.changes.map((c) => c.op).sort()).toEqual(['add', 'add', 'add']);
    const ls = lessons();
    const mistake = ls.find((l) => l.kind === 'mistake')!;
    expect(mistake.text).toMatch(/Run `npm run codegen` before `npx vitest run`: otherwise it fails with "Error: Cannot find module/);
    expect(mistake.agents).toEqual(['all']);
    expect(ls.find((l) => l.kind === 'preference')!.text).toMatch(/pnpm/);
    expect(ls.find((l) => l.kind === 'workflow')!.text).toMatch(/`npm test[^`]*` → `pnpm lint` → `git commit`/);
    for (const l of ls) {
      expect(l.evidence).toHaveLength(3);
      for (const e of l.evidence) expect(e).toMatchObject({ sessionId: expect.any(String), eventId: expect.any(String), agent: expect.stringMatching(/Claude Code/), excerpt: expect.any(String) });
    }
  });

  it('an incremental dream reads only the new sessions and reinforces; one-offs add nothing', () => {
    expect(s('import', path.join(logs, 'b'), '--json').code).toBe(0);
    const r = s('dream', '--json');
    second = r.json as Dream;
    expect(second.full).toBe(false);
    expect(second.stats.sessionsRead).toBe(7);
    // Reinforced; the preference may also be reworded to the wording most sessions used.
    expect(second.changes).toHaveLength(3);
    expect(second.changes.every((c) => c.op === 'reinforce' || (c.op === 'sharpen' && c.after!.kind === 'preference'))).toBe(true);
    expect(lessons().every((l) => l.support.sessions === 6)).toBe(true);
    // Nothing new: nothing read, nothing changed, and the message says so.
    const again = s('dream', '--json').json as Dream;
    expect(again.stats.sessionsRead).toBe(0);
    expect(again.changes).toEqual([]);
    expect(again.message).toMatch(/Nothing new/);
  });

  it('a full re-dream, and a fresh store dreamt once over everything, end with the same lessons', () => {
    const before = seen(lessons());
    const full = s('dream', '--full', '--json').json as Dream;
    expect(full.full).toBe(true);
    expect(full.stats.sessionsRead).toBe(10);
    expect(seen(lessons())).toEqual(before);
    const other = path.join(work, 'other');
    expect(runCli(['import', path.join(logs, 'a'), path.join(logs, 'b'), '--store', other]).code).toBe(0);
    expect(runCli(['dream', '--store', other]).code).toBe(0);
    expect(seen(runCli(['lessons', '--json', '--store', other]).json as Lesson[])).toEqual(before);
  });

  it('diff shows a dream readably; undo reverts it exactly and only once', () => {
    const d = s('diff', first.id);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/c1 +add/);
    expect(d.stdout).toMatch(/why: Seen in 3 sessions/);
    expect(d.stdout).toMatch(/evidence: /);
    const d2 = s('diff', second.id).stdout;
    expect(d2).toMatch(/support: 3 sessions, 2 agent\(s\), 3×, confidence \d+% → 6 sessions/);
    const list = s('dreams', '--json').json as Dream[];
    expect(list.map((x) => x.id)).toContain(second.id);

    const afterFirst = first.changes.map((c) => c.after!);
    // The full re-dream changed nothing, so undoing the second dream brings back the first's lessons.
    expect(s('undo', second.id).code).toBe(0);
    const now = lessons();
    expect(seen(now)).toEqual(seen(afterFirst));
    const again = s('undo', second.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already undone/);
    expect(s('undo', 'd-nope').code).toBe(1);
    expect(s('diff').code).toBe(2);
  });

  it('user edits win over rewording, and undo refuses to overwrite them', () => {
    const pref = lessons().find((l) => l.kind === 'preference')!;
    const e = s('lesson', 'edit', pref.id, '--text', 'Use pnpm for everything; npm breaks the lockfile.', '--json');
    expect(e.code).toBe(0);
    expect((e.json as Lesson).userEdited).toBe(true);
    s('dream', '--full');
    expect(lessons().find((l) => l.id === pref.id)!.text).toBe('Use pnpm for everything; npm breaks the lockfile.');
    const refused = s('undo', first.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/changed since the dream/);
    expect(s('lesson', 'edit', pref.id).code).toBe(2);
  });

  it('what-if counts the past sessions a wording would have applied to', () => {
    const r = s('lesson', 'what-if', '--text', 'use pnpm, not npm', '--json');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ sessions: 6, of: 10 });
  });

  it('review mode leaves a dream pending until its changes are accepted or rejected', () => {
    const main = path.join(store, 'reverie.json');
    const doc = JSON.parse(fs.readFileSync(main, 'utf8'));
    doc.settings.reviewMode = true;
    fs.writeFileSync(main, JSON.stringify(doc));
    const before = lessons();
    s('import', path.join(logs, 'c'));
    const pending = s('dream', '--json').json as Dream;
    expect(pending.status).toBe('pending');
    expect(pending.changes.every((c) => c.decision === 'pending')).toBe(true);
    expect(lessons()).toEqual(before);
    expect(s('dream').code).toBe(1); // one pending dream at a time
    expect(s('dream', 'review', pending.id).code).toBe(2);
    const [accept, ...rest] = pending.changes.map((c) => c.id);
    const part = s('dream', 'review', pending.id, '--accept', accept, '--json').json as Dream;
    expect(part.status).toBe('pending');
    expect(lessons().find((l) => l.id === pending.changes[0].lessonId)).toEqual(pending.changes[0].after);
    const done = s('dream', 'review', pending.id, '--reject', 'all', '--json').json as Dream;
    expect(done.status).toBe('applied');
    expect(done.changes.map((c) => c.decision)).toEqual(['accepted', ...rest.map(() => 'rejected')]);
  });

  it('the real fixtures have no recurring pattern: no lessons, and a message saying why', () => {
    const real = path.join(work, 'real');
    const imp = runCli(['import', fixture('claude-code'), fixture('codex'), fixture('gemini-cli'), fixture('chatgpt'), '--store', real, '--json']);
    expect(imp.code).toBe(0);
    const d = runCli(['dream', '--store', real, '--json']).json as Dream;
    expect(d.status).toBe('empty');
    expect(d.changes).toEqual([]);
    expect(d.message).toMatch(/Nothing worth learning yet: the work is too varied/);
    expect(runCli(['lessons', '--json', '--store', real]).json).toEqual([]);
  });
});
