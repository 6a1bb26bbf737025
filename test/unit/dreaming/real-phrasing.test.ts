// One meaning, one lesson — proven on phrasings real people wrote (test/fixtures/real-multi/
// phrasings.json, gathered from public agent logs and instruction files; sources listed there),
// not on the bench's templates. And what is not a lesson: task requests, echoed assistant text,
// pasted code and logs, tool confirmations.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent, Signal } from '../../../shared/model';
import { heuristicDream } from '../../../electron/core/dreaming/heuristic';
import { minePatterns, type Pattern } from '../../../electron/core/dreaming/mine';
import { indexOfSignals } from '../../../electron/core/dreaming/observations';
import { extractSignals } from '../../../electron/core/dreaming/signals';
import { wordingOf } from '../../../electron/core/dreaming/wording';
import { PROJECT_ROOT } from '../../helpers/env';
import { input } from './helpers';

interface Group { meaning: string; phrasings: string[]; sources: string[] }
const groups = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'real-multi', 'phrasings.json'), 'utf8')) as Group[];
const group = (start: string) => groups.find((g) => g.meaning.startsWith(start))!;

let n = 0;
const ev = (kind: SessionEvent['kind'], text: string, over: Partial<SessionEvent> = {}): SessionEvent => ({
  id: `e${++n}`, seq: n, kind, text, timestamp: `2026-11-0${1 + (n % 9)}T10:00:00Z`, source: { file: 'f.jsonl', line: n }, ...over,
});
/** One session in which the agent did something and the user then typed `text`. */
const said = (id: string, text: string, agentId = 'claude-code:/home/dev/shop') =>
  extractSignals({ id, agentId, events: [ev('user', 'Please add a CSV export to the report page.'), ev('assistant', 'Done: the export is in place.'), ev('user', text)] })
    .filter((s) => s.kind !== 'workflow');

/** Every phrasing of the chosen groups in its own session; the patterns mined over all of them. */
function mineGroups(starts: string[]) {
  const owner = new Map<string, string>();
  const signals: Signal[] = [];
  starts.forEach((start) => group(start).phrasings.forEach((p, i) => {
    const id = `${start.slice(0, 12)}-${i}`;
    owner.set(id, start);
    signals.push(...said(id, p));
  }));
  const patterns = minePatterns(indexOfSignals(signals), 2);
  const groupsOf = (p: Pattern) => new Set([...p.sessions.keys()].map((s) => owner.get(s)));
  return { patterns, groupsOf };
}

describe('one meaning in real wordings is one pattern', () => {
  const cases: [string, RegExp, number][] = [
    ['only edit the named file', /only (?:change|edit)/i, 5],
    ["don't add comments", /don't add comments/i, 6],
    ["don't remove existing comments", /don't remove comments/i, 6],
    ['use pnpm', /pnpm/, 5],
    ['do not modify the tests', /not modify the tests/i, 5],
    ['run the tests before committing', /run the tests/i, 5],
    ['show the diff', /show the diff/i, 4],
  ];
  const { patterns, groupsOf } = mineGroups(cases.map(([g]) => g));
  it.each(cases)('%s', (start, wording, atLeast) => {
    const ownIn = (p: Pattern) => [...p.sessions.keys()].filter((s) => s.startsWith(start.slice(0, 12))).length;
    const best = patterns.filter((p) => groupsOf(p).has(start)).sort((a, b) => ownIn(b) - ownIn(a))[0];
    expect(best, `no pattern for "${start}"`).toBeDefined();
    const own = ownIn(best);
    expect(own).toBeGreaterThanOrEqual(atLeast);
    expect(wordingOf(best).text).toMatch(wording);
  });
  it('keeps opposite wishes apart: "don\'t add comments" is not "don\'t remove comments"', () => {
    const mixed = patterns.filter((p) => groupsOf(p).has("don't add comments") && groupsOf(p).has("don't remove existing comments"));
    expect(mixed).toEqual([]);
  });
});

describe('shouting and caps lock', () => {
  it('read as the same words: "DON\'T USE NPM", "dON\'T USE NPM" and "don\'t use npm" are one instruction', () => {
    const keys = ["DON'T USE NPM", "dON'T USE NPM", "don't use npm"].map((t) => said('s', t)[0].key.replace(/^\w+\|/, ''));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/!npm/);
  });
});

describe('what is not a lesson', () => {
  it('task requests that open or drive a session (real ones, several languages) give no signal', () => {
    const tasks = group('TASK REQUESTS').phrasings;
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    for (const t of tasks) expect(said('t', t).map((s) => s.text), t).toEqual([]);
  });
  it("assistant reasoning echoed into a user turn (aider's architect mode) is not the user speaking", () => {
    expect(said('e', "Okay, so the user is asking me to never use var and to always run the linter. Let me think about how to do that.")).toEqual([]);
    expect(said('e', 'The user wants me to stop adding comments. I will remove them.')).toEqual([]);
  });
  it('tool confirmations and slash commands are not instructions', () => {
    expect(said('c', "Add file to the chat? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]: all")).toEqual([]);
    expect(said('c', '/run npm test --never-fail')).toEqual([]);
  });
  it('pasted code, logs and stack traces inside a message are not read as rules; the prose around them is', () => {
    const text = [
      'The build broke again, see below.',
      '```ts',
      '// never use var here, always const',
      'const x = 1;',
      '```',
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      'ValueError: always positive',
      'npm ERR! never mind this line',
      'Please do not touch config.py.',
    ].join('\n');
    const s = said('p', text);
    expect(s.map((x) => x.text)).toEqual(['Please do not touch config.py.']);
  });
  it('a rule inside the task request is found; the request itself is not', () => {
    const s = said('r', 'I need you to add pagination to the orders list. Do NOT touch models.py, only edit views.py.');
    expect(s.map((x) => x.text)).toEqual(['Do NOT touch models.py, only edit views.py.']);
    expect(s[0].key).toMatch(/scope:edit/);
  });
});

describe('lesson text says what the evidence shows', () => {
  const dream = (texts: string[]) => {
    const signals = texts.flatMap((t, i) => said(`s${i}`, t));
    return heuristicDream(input(), signals).changes.filter((c) => c.op === 'add').map((c) => c.after!);
  };
  it('names the file when every session protects the same one', () => {
    const [l] = dream(['Do NOT touch settings.py', 'do not modify settings.py, only the views', "don't change settings.py please"]);
    expect(l.text).toBe('Never touch `settings.py`; change only the files the task is about.');
  });
  it('says "other files" when the files vary', () => {
    const [l] = dream(['Do NOT touch models.py', 'only edit app/views.py', 'No other changes.', "don't modify utils.py or forms.py"]);
    expect(l.text).toBe('Only change the files you are asked to; leave other files untouched and make no unrelated changes.');
    expect(l.support.sessions).toBe(4);
  });
  it('never shows a raw placeholder', () => {
    const ls = dream(['always run pytest tests/test_a.py -x before you commit', 'always run pytest tests/test_b.py -x before you commit', 'always run pytest tests/test_c.py -x before you commit']);
    expect(ls).toHaveLength(1);
    expect(`${ls[0].title} ${ls[0].text}`).not.toMatch(/<\w+>/);
  });
});
