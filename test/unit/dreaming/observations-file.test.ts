// The observation index on disk: written in pieces (never one string as large as the index) and read
// back checked entry by entry, in place; a damaged file is a clear error naming the file, never a partial index.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../shared/model';
import { INDEX_FILE, fold, indexOfSignals, observationsOf, sessionCount, unfold, type ObservationIndex } from '../../../electron/core/dreaming/observations';
import { minePatterns, WORDING_SAMPLE } from '../../../electron/core/dreaming/mine';
import { indexStillCurrent, loadIndex, writeIndexFile } from '../../../electron/core/dreaming/observations-file';
import { tempDir } from '../../helpers/env';

const signal = (i: number, session: string): Signal => ({
  id: `${session}-s${i}`, sessionId: session, agentId: `agent-${i % 3}`, kind: i % 2 ? 'tool_error' : 'preference', key: `key-${i % 40}`,
  text: `text "${i}" with \\ and ünïcödé`, eventIds: [`${session}-e${i}`], excerpt: `excerpt ${i}`, timestamp: `2026-01-0${1 + (i % 9)}T00:00:00.000Z`,
  ...(i % 2 ? { tool: 'Bash', fix: `fix ${i}` } : {}),
});

/** A key read from the file parses its observations on first use (a getter): compare what they hold (the index's Maps as objects). */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (_, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)));

describe('observation index file', () => {
  it('round-trips: what is written is what is read', () => {
    const signals = Array.from({ length: 3000 }, (_, i) => signal(i, `s${i % 700}`));
    signals.push({ ...signal(1, 'w'), kind: 'workflow', key: 'wf', steps: ['Read a', 'Edit a', 'Bash test', 'Bash lint', 'Bash build'] });
    // Names and ids that JSON has to escape (they are read without the JSON parser when they need none).
    signals.push({ ...signal(2, 'q"uoted\\id'), key: 'say "hi" \\ then\ttab ünï' }, { ...signal(3, 'plain'), kind: 'workflow', key: 'wf2', steps: ['Read "x"', 'Edit \\y', 'Bash t', 'Bash u'] });
    const index = indexOfSignals(signals);
    const dir = tempDir();
    writeIndexFile(path.join(dir, INDEX_FILE), index);
    expect(plain(loadIndex(dir))).toEqual(plain(index));
    expect(index.grams.size).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual([INDEX_FILE]);
  });

  it('a damaged entry deep inside is an error naming the file', () => {
    const dir = tempDir();
    const index = indexOfSignals([signal(1, 'a'), signal(2, 'b')]);
    (index.keys.get('key-1')!.per.a as unknown as { n: number }).n = -3;
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(plain(index)));
    expect(() => loadIndex(dir)).toThrow(/patterns\.json does not match the observation index schema; run `reverie dream --full`/);
    // Each part of the shape is checked, not only the one above: the fast in-place checks must refuse what zod refuses.
    const damaged: [string, (i: Record<string, any>) => void][] = [
      ['a kind that does not exist', (i) => (i.keys['key-1'].kind = 'mistake')],
      ['an observation without its event', (i) => delete i.keys['key-1'].per.a.e],
      ['a text that is a number', (i) => (i.keys['key-1'].per.a.x = 3)],
      ['a fix that is null', (i) => (i.keys['key-1'].per.a.f = null)],
      ['a session whose keys are not a list', (i) => (i.sessions.a.keys = 'key-1')],
      ['a session without its agent', (i) => delete i.sessions.b.a],
      ['a gram counted zero times', (i) => (i.grams = { 'workflow|a': 0 })],
    ];
    for (const [what, damage] of damaged) {
      const raw = plain(indexOfSignals([signal(1, 'a'), signal(2, 'b')]));
      damage(raw);
      fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(raw));
      expect(() => loadIndex(dir), what).toThrow(/does not match the observation index schema/);
    }
    fs.writeFileSync(path.join(dir, INDEX_FILE), '{"version":1,"sessions":');
    expect(() => loadIndex(dir)).toThrow(/patterns\.json is not valid JSON/);
  });

  it('keeps what no dream touched as it was read, and what one touched as it is now', () => {
    const workflow = (session: string, steps: string[]): Signal => ({ ...signal(1, session), id: `${session}-wf`, kind: 'workflow', key: `wf-${steps.length}`, steps });
    const signals = Array.from({ length: 900 }, (_, i) => signal(i, `s${i % 300}`));
    // Workflows give the index counted step sequences (grams): one that a new session repeats, one it does not.
    signals.push(workflow('s1', ['Read a', 'Edit a', 'Bash test', 'Bash lint']), workflow('s2', ['Read b', 'Edit b', 'Bash build', 'Bash ship', 'Bash tag']));
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    writeIndexFile(file, indexOfSignals(signals));
    const before = fs.readFileSync(file);
    // Read and written back untouched: the same bytes (the observations were never parsed).
    writeIndexFile(file, loadIndex(dir));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // Read by mining (every key's observations parsed) but changed by nothing: still the same bytes.
    const mined = loadIndex(dir);
    expect(minePatterns(mined, 1).length).toBeGreaterThan(0);
    for (const e of mined.keys.values()) expect(Object.keys(e.per).length).toBeGreaterThan(0);
    writeIndexFile(file, mined);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // A new session with a new agent, folded into the index read from the file, equals the index built in one go.
    const extra = [signal(7, 'new'), { ...signal(8, 'new'), agentId: 'agent-new' }, workflow('new', ['Read a', 'Edit a', 'Bash test', 'Bash lint'])];
    const read = loadIndex(dir);
    expect(sessionCount(read.keys.get('key-7')!)).toBe(Object.keys(indexOfSignals(signals).keys.get('key-7')!.per).length);
    fold(read, 'new', 'agent-new', null, extra);
    writeIndexFile(file, read);
    const direct = indexOfSignals([...signals]);
    fold(direct, 'new', 'agent-new', null, extra);
    expect(read.grams.size).toBeGreaterThan(0);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
    expect(sessionCount(loadIndex(dir).keys.get('key-7')!)).toBe(Object.keys(direct.keys.get('key-7')!.per).length);
  });

  it('a file cut short or altered is refused, with what to do', () => {
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    writeIndexFile(file, indexOfSignals(Array.from({ length: 50 }, (_, i) => signal(i, `s${i % 7}`))));
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, good.subarray(0, good.length - 80));
    expect(() => loadIndex(dir)).toThrow(/patterns\.json is cut short or was altered \(its checksum does not match\); run `reverie dream --full`/);
    const altered = Buffer.from(good);
    altered[Math.floor(good.length / 2)] ^= 1;
    fs.writeFileSync(file, altered);
    expect(() => loadIndex(dir)).toThrow(/checksum does not match/);
    fs.writeFileSync(file, good);
    expect(loadIndex(dir).sessions.size).toBe(7);
  });

  it('reads a file of several megabytes in pieces, a line longer than a piece included, and its entries from the file later', () => {
    // 4,000 sessions showing one key with a long text: its line is over a megabyte (the size read at a time).
    const long = 'x'.repeat(400);
    const signals = Array.from({ length: 24000 }, (_, i) => ({ ...signal(i, `s${i % 4000}`), ...(i % 3 ? {} : { key: 'everywhere', text: `${long} ${i}` }) }));
    const index = indexOfSignals(signals);
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    writeIndexFile(file, index);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    expect(Math.max(...bytes.toString('utf8').split('\n').map((l) => Buffer.byteLength(l)))).toBeGreaterThan(1 << 20);
    const read = loadIndex(dir);
    expect(plain(read)).toEqual(plain(index));
    writeIndexFile(file, read);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    // An entry not yet read whose file was replaced since is refused, never read from the new file.
    const stale = loadIndex(dir);
    writeIndexFile(file, indexOfSignals([signal(1, 'other')]));
    expect(() => stale.keys.get('everywhere')!.per).toThrow(/patterns\.json was replaced while its observation index was in use/);
    fs.rmSync(file);
    expect(() => stale.sessions.get('s1')!.keys).toThrow(/patterns\.json went away while its observation index was in use/);
  });

  it('tells whether the file an index was read from is still the one in the store (an index read ahead of a dream)', () => {
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    // No file yet: an empty index stands for it while there is still none.
    const none = loadIndex(dir);
    expect(indexStillCurrent(none, dir)).toBe(true);
    writeIndexFile(file, indexOfSignals([signal(1, 's1')]));
    expect(indexStillCurrent(none, dir)).toBe(false);
    const read = loadIndex(dir);
    expect(indexStillCurrent(read, dir)).toBe(true);
    // Another writer's dream replaced it (a new file, renamed into place): the read is stale.
    writeIndexFile(file, indexOfSignals([signal(1, 's1'), signal(2, 's2')]));
    expect(indexStillCurrent(read, dir)).toBe(false);
    expect(indexStillCurrent(loadIndex(dir), dir)).toBe(true);
    fs.rmSync(file);
    expect(indexStillCurrent(read, dir)).toBe(false);
  });

  it('a key recurring in thousands of sessions is changed and mined without being parsed whole', () => {
    const signals = Array.from({ length: 12000 }, (_, i) => ({ ...signal(i, `s${i % 4000}`), ...(i % 3 ? {} : { key: 'everywhere', text: `seen ${i % 5}` }) }));
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    writeIndexFile(file, indexOfSignals(signals));
    // The same changes on the index read from the file and on one built in memory: a new session, one folded again, one deleted.
    const change = (index: ObservationIndex) => {
      fold(index, 'new', 'agent-new', null, [{ ...signal(3, 'new'), key: 'everywhere', agentId: 'agent-new' }]);
      fold(index, 's3', 'agent-0', null, [{ ...signal(6, 's3'), key: 'everywhere', text: 'said again' }]);
      unfold(index, 's6');
    };
    const read = loadIndex(dir);
    const direct = indexOfSignals(signals);
    change(read);
    change(direct);
    const everywhere = read.keys.get('everywhere')!;
    // Kept beside the file's bytes: what changed, not every session's observation.
    expect((everywhere as unknown as { changes: { added: Map<string, unknown>; removed: Set<string> } }).changes).toMatchObject({ added: new Map([['new', expect.anything()], ['s3', expect.anything()]]), removed: new Set(['s3', 's6']) });
    expect(sessionCount(everywhere)).toBe(Object.keys(direct.keys.get('everywhere')!.per).length);
    const walked = Object.fromEntries(observationsOf(everywhere));
    expect(walked).toEqual(direct.keys.get('everywhere')!.per);
    // Mined from the file: the same patterns, counted the same, and still not parsed whole.
    const summary = (index: ObservationIndex) => minePatterns(index, 2).map((p) => [p.key, p.sessions.size, p.occurrences, p.firstSeen, p.lastSeen, p.newest, p.sample.length]);
    expect(summary(read)).toEqual(summary(direct));
    expect((everywhere as unknown as { changes: unknown }).changes).not.toBeNull();
    // Its wording reads a fixed sample of its ~2,700 sessions, the same whatever order the sessions were folded in.
    const top = minePatterns(read, 2).find((p) => p.key === 'everywhere')!;
    expect(top.sessions.size).toBeGreaterThan(2000);
    expect(top.sample).toHaveLength(WORDING_SAMPLE);
    const reversed = indexOfSignals([...signals].sort((a, b) => b.sessionId.localeCompare(a.sessionId)));
    change(reversed);
    expect(minePatterns(reversed, 2).find((p) => p.key === 'everywhere')!.sample).toEqual(top.sample);
    writeIndexFile(file, read);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
    // Written back from a file changed again: the members copied around the change are still whole.
    const again = loadIndex(dir);
    unfold(again, 'new');
    unfold(direct, 'new');
    writeIndexFile(file, again);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
    // Only new sessions (what most dreams bring): the members read are copied as one stretch, the new ones after them.
    const grown = loadIndex(dir);
    for (const index of [grown, direct])
      for (const sid of ['later-1', 'later-2']) fold(index, sid, 'agent-new', null, [{ ...signal(9, sid), key: 'everywhere', agentId: 'agent-new' }]);
    expect((grown.keys.get('everywhere') as unknown as { changes: { removed: Set<string> } }).changes.removed.size).toBe(0);
    writeIndexFile(file, grown);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
    // Walked member by member (a member written twice would show here, not in a parsed object).
    expect([...observationsOf(loadIndex(dir).keys.get('everywhere')!)]).toHaveLength(Object.keys(direct.keys.get('everywhere')!.per).length);
  });

  it('copies untouched session lines while the positions they hold still hold, and rebuilds them when a key is gone', () => {
    const workflow = (session: string, steps: string[]): Signal => ({ ...signal(1, session), id: `${session}-wf`, kind: 'workflow', key: `wf-${steps.length}`, steps });
    const signals = [...Array.from({ length: 300 }, (_, i) => signal(i, `s${i % 100}`)), workflow('s1', ['Read a', 'Edit a', 'Bash test', 'Bash lint'])];
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    writeIndexFile(file, indexOfSignals(signals));
    const sessionLines = (text: string) => text.split('\n').filter((l) => l.startsWith('S\t'));
    const before = sessionLines(fs.readFileSync(file, 'utf8'));
    // A new session brings a new key and a new step sequence: they go after the ones read.
    const extra = [{ ...signal(5, 'new'), key: 'brand-new' }, workflow('new', ['Read z', 'Edit z', 'Bash zz', 'Bash zzz'])];
    const read = loadIndex(dir);
    fold(read, 'new', 'agent-new', null, extra);
    writeIndexFile(file, read);
    const after = sessionLines(fs.readFileSync(file, 'utf8'));
    for (const line of before) expect(after).toContain(line);
    const direct = indexOfSignals(signals);
    fold(direct, 'new', 'agent-new', null, extra);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
    // Folded again without its new key, the session's key is gone and every later position moves: all lines are rebuilt.
    const again = loadIndex(dir);
    fold(again, 'new', 'agent-new', null, [extra[1]!]);
    fold(direct, 'new', 'agent-new', null, [extra[1]!]);
    expect([...direct.keys.keys()]).not.toContain('brand-new');
    writeIndexFile(file, again);
    expect(plain(loadIndex(dir))).toEqual(plain(direct));
  });

  it('reads version 2, where positions count the key and step-sequence lines together', async () => {
    const { createHash } = await import('node:crypto');
    const body = [
      'H\t{"version":2,"agents":["agent-0"]}',
      'K\t"key-a"\ttool_error\t1\t{"s1":{"a":0,"n":1,"t0":null,"t1":null,"x":"boom","e":"s1-e1"}}',
      'K\t"key-b"\tpreference\t1\t{"s1":{"a":0,"n":1,"t0":null,"t1":null,"x":"use tabs","e":"s1-e2"}}',
      'G\t"Read a>Edit a"\t1',
      'S\t"s1"\t{"a":0,"t":null,"k":[0,1,2]}',
      '',
    ].join('\n');
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, INDEX_FILE), `${body}E\t${createHash('sha1').update(body).digest('hex')}\n`);
    const read = loadIndex(dir);
    expect(read.sessions.get('s1')).toEqual({ a: 'agent-0', t: null, keys: ['key-a', 'key-b', 'Read a>Edit a'] });
    expect([...read.keys.keys()]).toEqual(['key-a', 'key-b']);
    expect(read.grams).toEqual(new Map([['Read a>Edit a', 1]]));
  });

  it('reads a session line in any JSON shape, and refuses one whose positions name nothing', async () => {
    const { createHash } = await import('node:crypto');
    const file = (lines: string[]) => { const body = `${lines.join('\n')}\n`; return `${body}E\t${createHash('sha1').update(body).digest('hex')}\n`; };
    const head = [
      'H\t{"version":3,"agents":["agent-0","agent-1"]}',
      'K\t"key-a"\ttool_error\t1\t{"s1":{"a":0,"n":1,"t0":null,"t1":null,"x":"boom","e":"s1-e1"}}',
      'K\t"key-b"\tpreference\t1\t{"s2":{"a":1,"n":1,"t0":null,"t1":null,"x":"use tabs","e":"s2-e2"}}',
      'G\t"workflow|Read a"\t1',
    ];
    const dir = tempDir();
    // As this writer writes them (read without the JSON parser), and in shapes it does not write: fields
    // in another order, spaces, an escaped fork id. Each reads as the same entry.
    fs.writeFileSync(path.join(dir, INDEX_FILE), file([
      ...head,
      'S\t"s1"\t{"a":0,"t":"2026-01-01T00:00:00.000Z","k":[0],"g":[0]}',
      'S\t"s2"\t{"k": [1], "t": null, "a": 1, "f": "s\\"1"}',
      'S\t"s3"\t{"a":1,"t":null,"k":[],"f":"s1"}',
    ]));
    const read = loadIndex(dir);
    expect(plain(read.sessions)).toEqual({
      s1: { a: 'agent-0', t: '2026-01-01T00:00:00.000Z', keys: ['key-a', 'workflow|Read a'] },
      s2: { a: 'agent-1', t: null, keys: ['key-b'], f: 's"1' },
      s3: { a: 'agent-1', t: null, keys: [], f: 's1' },
    });
    // Written back untouched: the lines as they were (the one in another shape included).
    const wasRead = plain(read);
    writeIndexFile(path.join(dir, INDEX_FILE), read);
    expect(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')).toContain('S\t"s2"\t{"k": [1], "t": null, "a": 1, "f": "s\\"1"}');
    expect(plain(loadIndex(dir))).toEqual(wasRead);
    // A line without its fields, or a name that is not a JSON string, is refused naming the file.
    for (const line of ['K\t"key-c"', 'K\tkey-c\ttool_error\t1\t{}', 'G\t"workflow|x"', 'S\t"s9"']) {
      fs.writeFileSync(path.join(dir, INDEX_FILE), file([...head, line]));
      expect(() => loadIndex(dir), line).toThrow(/patterns\.json does not match the observation index schema/);
    }
    // A position past the keys read is damage: the index is refused when the session's keys are read.
    fs.writeFileSync(path.join(dir, INDEX_FILE), file([...head, 'S\t"s1"\t{"a":0,"t":null,"k":[7]}']));
    expect(() => plain(loadIndex(dir))).toThrow(/patterns\.json does not match the observation index schema/);
  });

  it('reads an index written before this layout (one JSON document) and writes it in the new one', () => {
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    const index = indexOfSignals(Array.from({ length: 200 }, (_, i) => signal(i, `s${i % 30}`)));
    fs.writeFileSync(file, JSON.stringify(plain(index)));
    const read = loadIndex(dir);
    expect(plain(read)).toEqual(plain(index));
    writeIndexFile(file, read);
    expect(fs.readFileSync(file, 'utf8').startsWith('H\t{"version":3,')).toBe(true);
    expect(plain(loadIndex(dir))).toEqual(plain(index));
  });
});
