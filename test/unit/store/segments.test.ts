// Session storage in append-only segments: group commit, reads by location, roll-forward of an
// uncommitted tail, torn records cut off, compaction, and the conversion of a store in the v2 layout
// (one file per session, written by Reverie at commit bd7e51d: test/fixtures/stores/v2-files).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Session, SessionEvent } from '../../../shared/model';
import { encodeRecord, listSegments, segmentName } from '../../../electron/core/store/segments';
import { COMPACT_MIN_GARBAGE, INDEX_FILE, SESSIONS_DIR, Store } from '../../../electron/core/store/store';
import { tempDir } from '../../helpers/env';

const here = path.dirname(fileURLToPath(import.meta.url));
const V2_STORE = path.resolve(here, '..', '..', 'fixtures', 'stores', 'v2-files');

const session = (id: string, eventCount: number): Session => ({ id, agentId: 'a', tool: 'claude-code', project: null, title: 't', startedAt: null, endedAt: null, eventCount, errorCount: 0, correctionCount: 0, files: [], importedAt: '2026-01-01T00:00:00.000Z', dreamt: false });
const events = (n: number, text = 'x'): SessionEvent[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, seq: i, kind: 'user', text: `${text} ${i}`, timestamp: null, source: { file: '/f.jsonl', line: i + 1 } }));
const segments = (dir: string) => listSegments(path.join(dir, SESSIONS_DIR));
const segFile = (dir: string, n: number) => path.join(dir, SESSIONS_DIR, segmentName(n));

/** Stores sessions of `n` events each and commits them, as an import does; returns the still open store. */
async function commit(s: Store, ...sessions: [id: string, n: number][]): Promise<Store> {
  for (const [id, n] of sessions) {
    await s.writeSessionDoc({ session: session(id, n), events: events(n), signals: [] });
    s.index.putSession(session(id, n));
  }
  await s.writeIndex();
  return s;
}

describe('record framing', () => {
  it('is `RVS1 <bytes> <sha1 of the payload, 16 hex>\\n<payload>\\n`, multi-byte text counted in bytes', async () => {
    const { createHash } = await import('node:crypto');
    for (const payload of ['', '{}', JSON.stringify({ text: 'héllo «redacted:x» 日本語 🎉'.repeat(50) }), 'x'.repeat(100_000)]) {
      const body = Buffer.from(payload, 'utf8');
      const expected = Buffer.concat([Buffer.from(`RVS1 ${body.length} ${createHash('sha1').update(body).digest('hex').slice(0, 16)}\n`), body, Buffer.from('\n')]);
      expect(encodeRecord(payload).equals(expected)).toBe(true);
    }
  });
});

describe('segment storage', () => {
  it('a batch of sessions lands in one segment file, each read back by its own record', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    for (let i = 0; i < 50; i++) await s.writeSessionDoc({ session: session(`s${i}`, i), events: events(i), signals: [] });
    for (let i = 0; i < 50; i++) s.index.putSession(session(`s${i}`, i));
    await s.writeIndex();
    await s.close();
    expect(segments(dir)).toEqual([1]);
    expect(fs.readdirSync(path.join(dir, SESSIONS_DIR))).toEqual([segmentName(1)]);
    const r = await Store.open(dir, { readOnly: true });
    const doc = r.readSessionDoc('s7')!;
    expect(doc.events.map((e) => e.text)).toEqual(events(7).map((e) => e.text));
    // The read is one record: its location's length is that session's record, not the segment.
    const loc = r.index.locations.s7!;
    expect(loc[2]).toBe(encodeRecord(JSON.stringify(doc)).length);
    expect(loc[2]).toBeLessThan(fs.statSync(segFile(dir, 1)).size / 10);
    expect(r.readSessionDoc('nope')).toBeNull();
    await r.close();
  });

  it('a torn record at the end (a kill mid-write) is cut off; committed sessions are intact and writing goes on', async () => {
    const dir = tempDir();
    await (await commit(await Store.open(dir), ['a', 2])).close();
    const committed = fs.statSync(segFile(dir, 1)).size;
    const torn = encodeRecord(JSON.stringify({ session: session('b', 1), events: events(1), signals: [] }));
    fs.appendFileSync(segFile(dir, 1), torn.subarray(0, torn.length - 7));

    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.id)).toEqual(['a']);
    expect(fs.statSync(segFile(dir, 1)).size).toBe(committed);
    await (await commit(again, ['c', 3])).close();
    const third = await Store.open(dir, { readOnly: true });
    expect(third.sessions.map((x) => x.id)).toEqual(['a', 'c']);
    expect(third.readSessionDoc('c')!.events).toHaveLength(3);
    expect(third.notices).toEqual([]);
    await third.close();
  });

  it('a record whose bytes do not match its hash ends the roll-forward there; nothing committed is lost', async () => {
    const dir = tempDir();
    const s = await commit(await Store.open(dir), ['a', 1]);
    await s.writeSessionDoc({ session: session('b', 1), events: events(1), signals: [] });
    await s.writeSessionDoc({ session: session('c', 1), events: events(1), signals: [] });
    await s.close();
    // Flip one byte inside b's payload (uncommitted): b and everything after it are not trusted.
    const bLoc = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')).tail.length as number;
    const fd = fs.openSync(segFile(dir, 1), 'r+');
    fs.writeSync(fd, Buffer.from('#'), 0, 1, bLoc + 40);
    fs.closeSync(fd);
    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.id)).toEqual(['a']);
    expect(again.readSessionDoc('a')!.events).toHaveLength(1);
    await again.close();
  });

  it('replaced sessions leave garbage that compaction removes once it outweighs the live data', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    for (const x of [session('big', 1), session('small', 1)]) s.index.putSession(x);
    await s.writeSessionDoc({ session: session('small', 1), events: events(1), signals: [] });
    const big = (round: number) => ({ session: session('big', 400), events: events(400, `round ${round} ${'word '.repeat(20)}`), signals: [] });
    let round = 0;
    // Each round replaces the big session (an agent's grown log re-imported), committing each time.
    while (s.segmentUsage().total - s.segmentUsage().live <= COMPACT_MIN_GARBAGE) {
      await s.writeSessionDoc(big(round++));
      await s.writeIndex();
    }
    const before = s.segmentUsage();
    await s.writeSessionDoc(big(round++));
    await s.writeIndex(); // garbage > live and > the minimum: compacts
    const after = s.segmentUsage();
    expect(after.live).toBeLessThan(before.live + 1000);
    expect(s.readSessionDoc('big')!.events[0]!.text).toMatch(new RegExp(`^round ${round - 1} `));
    await s.close();
    // The old segments are gone once the writer closed; what is left is the live data only.
    const total = segments(dir).reduce((n, seg) => n + fs.statSync(segFile(dir, seg)).size, 0);
    const r = await Store.open(dir, { readOnly: true });
    expect(total).toBe(Object.values(r.index.locations).reduce((n, l) => n + l[2], 0));
    expect(r.readSessionDoc('small')!.events).toHaveLength(1);
    expect(r.readSessionDoc('big')!.events[0]!.text).toMatch(new RegExp(`^round ${round - 1} `));
    await r.close();
  });

  it('an index naming records that are gone (an old backup after a compaction) is rebuilt from the segments', async () => {
    const dir = tempDir();
    await (await commit(await Store.open(dir), ['a', 3])).close();
    const index = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'));
    index.locations.a = [7, 0, 100];
    fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index));
    const again = await Store.open(dir);
    expect(again.readSessionDoc('a')!.events).toHaveLength(3);
    expect(again.notices.join('\n')).toMatch(/rebuilt from them \(1 sessions\)/);
    await again.close();
  });
});

describe('a store in the v2 layout (one file per session)', () => {
  const copy = () => {
    const dir = tempDir();
    fs.cpSync(V2_STORE, dir, { recursive: true });
    return dir;
  };
  const v2Events = (dir: string) => {
    const out = new Map<string, string[]>();
    for (const f of fs.readdirSync(path.join(dir, SESSIONS_DIR), { recursive: true }).map(String).filter((x) => x.endsWith('.json'))) {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, SESSIONS_DIR, f), 'utf8'));
      out.set(doc.session.id, doc.events.map((e: SessionEvent) => e.text));
    }
    return out;
  };

  it('converts at the first writable open: every session readable, the old files kept in backups, one notice', async () => {
    const dir = copy();
    const before = v2Events(dir);
    expect(before.size).toBe(3);
    const s = await Store.open(dir);
    expect(s.sessions).toHaveLength(3);
    for (const [id, texts] of before) expect(s.readSessionDoc(id)!.events.map((e) => e.text)).toEqual(texts);
    expect(s.notices.join('\n')).toMatch(/converted to the segment layout \(3 sessions\); the old files are kept in backups\/sessions-v2-/);
    await s.close();
    expect(fs.readdirSync(path.join(dir, SESSIONS_DIR))).toEqual([segmentName(1)]);
    const kept = fs.readdirSync(path.join(dir, 'backups')).find((n) => n.startsWith('sessions-v2-'))!;
    expect(fs.readdirSync(path.join(dir, 'backups', kept, '00'))).toHaveLength(3);
    expect(fs.existsSync(path.join(dir, 'backups', `${INDEX_FILE}.v2-before-migration.json`))).toBe(true);
    const again = await Store.open(dir);
    expect(again.notices).toEqual([]);
    for (const [id, texts] of before) expect(again.readSessionDoc(id)!.events.map((e) => e.text)).toEqual(texts);
    await again.close();
  });

  it('a read-only open reads the old files in place and changes nothing', async () => {
    const dir = copy();
    const listing = () => fs.readdirSync(dir, { recursive: true }).map(String).sort();
    const files = listing();
    const r = await Store.open(dir, { readOnly: true });
    for (const [id, texts] of v2Events(dir)) expect(r.readSessionDoc(id)!.events.map((e) => e.text)).toEqual(texts);
    await r.close();
    expect(listing()).toEqual(files);
  });

  it('killed after the conversion committed but before the old files moved, the next open moves them to backups', async () => {
    const dir = copy();
    const before = v2Events(dir);
    const s = await Store.open(dir);
    await s.close();
    // Put the old folders back where a kill right after the index write would have left them.
    const kept = fs.readdirSync(path.join(dir, 'backups')).find((n) => n.startsWith('sessions-v2-'))!;
    fs.renameSync(path.join(dir, 'backups', kept, '00'), path.join(dir, SESSIONS_DIR, '00'));
    fs.rmSync(path.join(dir, 'backups', kept), { recursive: true });
    const again = await Store.open(dir);
    for (const [id, texts] of before) expect(again.readSessionDoc(id)!.events.map((e) => e.text)).toEqual(texts);
    await again.close();
    expect(fs.readdirSync(path.join(dir, SESSIONS_DIR))).toEqual([segmentName(1)]);
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.startsWith('sessions-v2-'))).toHaveLength(1);
  });

  it('killed during the conversion (segments written, index not yet), the next open converts from the old files again', async () => {
    const dir = copy();
    fs.writeFileSync(path.join(dir, SESSIONS_DIR, segmentName(1)), encodeRecord('{"half": true}').subarray(0, 9));
    const s = await Store.open(dir);
    expect(s.sessions).toHaveLength(3);
    for (const x of s.sessions) expect(s.readSessionDoc(x.id)!.events.length).toBe(x.eventCount);
    await s.close();
  });
});
