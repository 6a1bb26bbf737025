// The export reader: elements of a top-level array one at a time, whatever they hold and however the
// file's chunks cut them; broken files are errors that say what and where, never a silent partial read.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamJsonArray } from '../../../electron/core/importers/json';
import { tempDir } from '../../helpers/env';

async function read(text: string | Buffer): Promise<unknown[]> {
  const file = path.join(tempDir(), 'export.json');
  fs.writeFileSync(file, text);
  const out: unknown[] = [];
  for await (const { index, value } of streamJsonArray(file)) {
    expect(index).toBe(out.length);
    out.push(value);
  }
  return out;
}

describe('streamJsonArray', () => {
  it('yields every element as JSON.parse reads it: nesting, tricky strings, bare values, elements across chunks', async () => {
    const big = { id: 'big', text: 'x'.repeat(3 * 1024 * 1024), parts: ['[', ']', '{', '}', ',', '"', '\\'] };
    const elements = [
      { a: 1, b: [1, 2, { c: '}]' }], s: 'quote " and \\ backslash \\" and ] } , [' },
      [], {}, 'a string, with ] and }', 42, -3.5e2, true, false, null,
      { unicode: 'ünïcødé ✓ 𝄞', escaped: '\u2028\n\t' },
      big,
      [[[]], [{}]],
    ];
    expect(await read(JSON.stringify(elements, null, 2))).toEqual(elements);
    expect(await read(JSON.stringify(elements))).toEqual(elements);
  });

  it('strings full of escaped quotes and backslash runs, cut at every kind of place by the 1 MB chunks', async () => {
    // Strings are skipped by searching for the next quote; its escaping is told by the backslash run before it.
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = ['\\', '"', '\\"', '\\\\', 'x', '}', ']', ',', '[', '{', ' ', 'é'];
    const elements: unknown[] = [];
    let size = 0;
    while (size < 2.5 * 1024 * 1024) {
      const text = Array.from({ length: 1 + rand(400) }, () => pieces[rand(pieces.length)]).join('');
      const el = rand(3) === 0 ? text : { [text.slice(0, 20)]: text, n: rand(1000), list: [text.slice(0, 5), { q: '\\' }] };
      elements.push(el);
      size += JSON.stringify(el).length;
    }
    // Backslash runs of every length straddling the first chunk boundary.
    for (let run = 0; run < 8; run++) {
      const pad = 1024 * 1024 - 9 - run;
      const el = `${'a'.repeat(pad)}${'\\'.repeat(run)}"z`;
      expect(await read(JSON.stringify([el, { after: run }]))).toEqual([el, { after: run }]);
    }
    expect(await read(JSON.stringify(elements))).toEqual(elements);
  });

  it('an empty array, a byte-order mark and surrounding space are fine', async () => {
    expect(await read(' [ ] \n')).toEqual([]);
    expect(await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a":1}]')]))).toEqual([{ a: 1 }]);
  });

  it('broken files are errors naming what and where', async () => {
    await expect(read('[{"a":1},{"b":')).rejects.toThrow(/ends inside the array \(truncated\?\)/);
    await expect(read('{"a":1}')).rejects.toThrow(/not an array/);
    await expect(read('[{"a":1},{"b":tru}]')).rejects.toThrow(/element 1 of the array is not valid JSON/);
    await expect(read('[1,2] [3]')).rejects.toThrow(/text after the end of the array/);
    await expect(read('   ')).rejects.toThrow(/no JSON array found/);
  });
});
