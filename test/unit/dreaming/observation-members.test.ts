// A key's observations walked a member at a time, straight from the file's bytes: whatever the
// chunk size, the same members as JSON.parse finds; a damaged line is refused, never half-read.
import { describe, expect, it } from 'vitest';
import { membersIn } from '../../../electron/core/dreaming/observation-members';

const damaged = () => new Error('damaged');
const walk = (text: string, chunk: number, offset = 0) => {
  const bytes = Buffer.from(`${'x'.repeat(offset)}${text}`, 'utf8');
  return [...membersIn((from, to) => bytes.subarray(from, to), offset, bytes.length, damaged, true, chunk)];
};

describe('membersIn', () => {
  const record: Record<string, unknown> = {
    plain: { a: 0, x: 'one', n: 1 },
    escapes: { a: 0, x: 'ends in a backslash \\', c: '\\"quoted\\"', n: 1 },
    'q"uoted\\id ünï': { a: 1, x: 'braces } { and "quotes" and \\', n: 2, t0: null },
    '': { a: 2, x: '[not, an, array]', n: 3 },
    last: { a: 0, x: 'ü'.repeat(50), n: 4, nested: { deeper: [1, { two: '}' }] } },
  };
  const text = JSON.stringify(record);

  it('finds every member, its id and where it lies, whatever the chunk size', () => {
    for (const chunk of [1, 3, 7, 16, 64, 1 << 20]) {
      const members = walk(text, chunk, 5);
      expect(members.map((m) => m.sid), `chunk ${chunk}`).toEqual(Object.keys(record));
      expect(members.map((m) => JSON.parse(m.json))).toEqual(Object.values(record));
      // The ranges are `"id":{…}` in the file, so a writer can copy them as they are.
      const file = Buffer.from(`xxxxx${text}`, 'utf8');
      expect(members.map((m) => JSON.parse(`{${file.toString('utf8', m.at, m.end)}}`))).toEqual(Object.keys(record).map((k) => ({ [k]: record[k] })));
    }
  });

  it('takes spaces between members, and an empty record', () => {
    expect(walk(' { "a" : {"n":1} ,\n "b":{} } ', 4).map((m) => [m.sid, m.json])).toEqual([['a', '{"n":1}'], ['b', '{}']]);
    expect(walk('{}', 1)).toEqual([]);
  });

  it('refuses what is not a record of records, cut short or not', () => {
    for (const bad of ['', '[]', '{"a":1}', '{"a":{"n":1}', '{"a":{"n":1}"b":{}}', '{"a"{"n":1}}', '{a:{}}', '{"a":{"x":"open}}']) {
      for (const chunk of [2, 1 << 20]) expect(() => walk(bad, chunk), `${bad} in chunks of ${chunk}`).toThrow('damaged');
    }
  });
});
