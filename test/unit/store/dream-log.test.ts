// The dream history in its own log (store v5): a lesson edit writes reverie.json only, a dream or its
// undo appends one line, uncommitted lines are cut off, a damaged log keeps what reads, a compaction
// keeps the old file while a backup names it, and a v4 store (written by Reverie at commit 8fe471f:
// test/fixtures/stores/v4-dreams-inline) moves its dreams into the log at the first writable open.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dream, Lesson } from '../../../shared/model';
import { listBackups } from '../../../electron/core/store/documents';
import { dreamLogName, listDreamLogs } from '../../../electron/core/store/dream-log';
import { LOG_COMPACT_MIN_BYTES } from '../../../electron/core/store/index-log';
import { SCHEMA_VERSION } from '../../../electron/core/store/schema';
import { MAIN_FILE, Store } from '../../../electron/core/store/store';
import { PROJECT_ROOT, tempDir } from '../../helpers/env';

const V4_STORE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'stores', 'v4-dreams-inline');
const main = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8'));
const logText = (dir: string, n = 1) => fs.readFileSync(path.join(dir, dreamLogName(n)), 'utf8');

const dream = (id: string, status: Dream['status'] = 'applied', message?: string): Dream => ({
  id, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', engine: 'heuristic', full: false, status, changes: [],
  stats: { sessionsRead: 3, signalsRead: 5, patterns: 1, durationMs: 1000 }, ...(message ? { message } : {}),
});

const lesson = (id: string): Lesson => ({
  id, kind: 'mistake', title: `Lesson ${id}`, text: 'Run the tests.', agents: ['all'],
  support: { sessions: 3, agents: 1, occurrences: 4, firstSeen: null, lastSeen: null }, confidence: 0.7, evidence: [],
  origin: 'learned', status: 'active', pinned: false, patternKey: `k-${id}`, userEdited: false,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', activatedAt: null,
});

/** A store whose dreams were recorded one write each. */
async function storeWithDreams(ids: string[]): Promise<string> {
  const dir = tempDir();
  const s = await Store.open(dir);
  for (const id of ids) {
    s.data.dreams.push(dream(id));
    await s.writeMain();
  }
  await s.close();
  return dir;
}

function copyStore(from: string): string {
  const dir = tempDir();
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

describe('the dream log', () => {
  it('a dream is one appended line; reverie.json names the log and holds no dream; a lesson edit leaves the log alone', async () => {
    const dir = await storeWithDreams(['d1', 'd2']);
    const doc = main(dir);
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(doc.dreams).toBeUndefined();
    expect(doc.dreamLog).toEqual({ file: dreamLogName(1), length: Buffer.byteLength(logText(dir)), lines: 2, dreams: 2, digest: { pending: [], undone: [] } });
    expect(logText(dir).split('\n').filter(Boolean).map((l) => JSON.parse(l.slice(2)).id)).toEqual(['d1', 'd2']);

    const s = await Store.open(dir);
    expect(s.data.dreams.map((d) => d.id)).toEqual(['d1', 'd2']);
    const before = fs.statSync(path.join(dir, dreamLogName(1)));
    s.data.settings.minSessions = 5; // any change but a dream's
    await s.writeMain();
    await s.close();
    const after = fs.statSync(path.join(dir, dreamLogName(1)));
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(main(dir).dreamLog.length).toBe(before.size);
  });

  it('opening and a lesson edit never read the dreams: the first screen does not wait for the history', async () => {
    const dir = await storeWithDreams(['d1', 'd2']);
    // Garbage in place of the log's lines: reading it would say so.
    const file = path.join(dir, dreamLogName(1));
    fs.writeFileSync(file, 'Z'.repeat(fs.statSync(file).size));
    const s = await Store.open(dir);
    expect(s.dreamCount).toBe(2);
    s.data.lessons.push(lesson('l1'));
    await s.writeMain();
    expect(s.notices).toEqual([]);
    expect(main(dir).dreamLog).toMatchObject({ file: dreamLogName(1), dreams: 2 });
    // Asked for, they are read, and the damage reported.
    expect(s.data.dreams).toEqual([]);
    expect(s.notices.join('\n')).toMatch(/dream history is damaged/);
    await s.close();
  });

  it('a dream is recorded without reading the history: its line is appended, the digest says what the next dream needs', async () => {
    const dir = await storeWithDreams(['d1', 'd2']);
    const file = path.join(dir, dreamLogName(1));
    const lines = fs.readFileSync(file);
    // Garbage in place of the committed lines: reading them would say so.
    fs.writeFileSync(file, 'Z'.repeat(lines.length));
    const s = await Store.open(dir);
    expect(s.dreamDigest).toEqual({ pending: [], undone: [] });
    s.addDream(dream('d3', 'pending'));
    expect(s.dreamCount).toBe(3);
    expect(s.dreamDigest.pending).toEqual(['d3']);
    await s.writeMain();
    await s.close();
    expect(s.notices).toEqual([]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.slice(0, lines.length)).toBe('Z'.repeat(lines.length));
    expect(JSON.parse(text.slice(lines.length + 2)).id).toBe('d3');
    expect(main(dir).dreamLog).toEqual({ file: dreamLogName(1), length: Buffer.byteLength(text), lines: 3, dreams: 3, digest: { pending: ['d3'], undone: [] } });

    // The committed lines put back: the history reads as recorded, the new dream last.
    fs.writeFileSync(file, Buffer.concat([lines, Buffer.from(text.slice(lines.length))]));
    const again = await Store.open(dir);
    expect(again.data.dreams.map((d) => [d.id, d.status])).toEqual([['d1', 'applied'], ['d2', 'applied'], ['d3', 'pending']]);
    // Reviewed, then undone: the digest follows each new version of the dream.
    again.data.dreams = again.data.dreams.map((d) => (d.id === 'd3' ? { ...d, status: 'applied' as const } : d));
    await again.writeMain();
    expect(main(dir).dreamLog.digest).toEqual({ pending: [], undone: [] });
    const retire = { id: 'c1', op: 'retire' as const, lessonId: 'l1', before: lesson('l1'), after: null, related: [], reason: 'stale', decision: 'applied' as const };
    again.data.dreams = again.data.dreams.map((d) => (d.id === 'd3' ? { ...d, status: 'undone' as const, changes: [retire] } : d));
    await again.writeMain();
    await again.close();
    expect(main(dir).dreamLog.digest).toEqual({ pending: [], undone: [{ op: 'retire', lessonId: 'l1', sessions: 3 }] });
  });

  it('a log named before digests were kept: a new dream reads the history, and the write keeps a digest from then on', async () => {
    const dir = await storeWithDreams(['d1']);
    const doc = main(dir);
    delete doc.dreamLog.digest;
    fs.writeFileSync(path.join(dir, MAIN_FILE), JSON.stringify(doc));
    const s = await Store.open(dir);
    s.addDream(dream('d2', 'pending'));
    expect(s.data.dreams.map((d) => d.id)).toEqual(['d1', 'd2']);
    await s.writeMain();
    await s.close();
    expect(main(dir).dreamLog).toMatchObject({ lines: 2, dreams: 2, digest: { pending: ['d2'], undone: [] } });
  });

  it('the history asked for while a new dream is being written holds it once, and the next write does not append it again', async () => {
    const dir = await storeWithDreams(['d1']);
    const s = await Store.open(dir);
    s.addDream(dream('d2'));
    const size = () => fs.statSync(path.join(dir, dreamLogName(1))).size;
    const before = size();
    const writing = s.writeMain();
    // Microtasks only, so no I/O completes: the line is appended, reverie.json not yet replaced.
    for (let i = 0; i < 20 && size() === before; i++) await null;
    expect(size()).toBeGreaterThan(before);
    expect(main(dir).dreamLog.lines).toBe(1);
    expect(s.data.dreams.map((d) => d.id)).toEqual(['d1', 'd2']);
    await writing;
    s.data.lessons.push(lesson('l1'));
    await s.writeMain();
    await s.close();
    expect(logText(dir).split('\n').filter(Boolean)).toHaveLength(2);
    expect(main(dir).dreamLog).toMatchObject({ lines: 2, dreams: 2 });
    const again = await Store.open(dir, { readOnly: true });
    expect(again.data.dreams.map((d) => d.id)).toEqual(['d1', 'd2']);
    await again.close();
  });

  it('dreams set without having been read replace the log\'s', async () => {
    const dir = await storeWithDreams(['d1', 'd2']);
    const s = await Store.open(dir);
    s.data.dreams = [dream('d9')];
    await s.writeMain();
    await s.close();
    const again = await Store.open(dir, { readOnly: true });
    expect(again.data.dreams.map((d) => d.id)).toEqual(['d9']);
    await again.close();
  });

  it('a replaced dream (undo, review) is a new line; the newest wins, in the order dreams first came', async () => {
    const dir = await storeWithDreams(['d1', 'd2', 'd3']);
    const s = await Store.open(dir);
    s.data.dreams = s.data.dreams.map((d) => (d.id === 'd2' ? { ...d, status: 'undone' as const } : d));
    await s.writeMain();
    await s.close();
    expect(logText(dir).split('\n').filter(Boolean)).toHaveLength(4);
    expect(main(dir).dreamLog).toMatchObject({ lines: 4, dreams: 3 });
    const again = await Store.open(dir, { readOnly: true });
    expect(again.data.dreams.map((d) => [d.id, d.status])).toEqual([['d1', 'applied'], ['d2', 'undone'], ['d3', 'applied']]);
    await again.close();
  });

  it('lessons are written from their kept text: a replaced lesson is written anew, a written one cannot change in place', async () => {
    const dir = await storeWithDreams(['d1']);
    const s = await Store.open(dir);
    s.data.lessons.push(lesson('l1'), lesson('l2'));
    await s.writeMain();
    expect(() => { s.data.lessons[0]!.support.sessions = 9; }).toThrow(TypeError);
    s.data.lessons = s.data.lessons.map((l) => (l.id === 'l2' ? { ...l, pinned: true, text: 'Edited.' } : l));
    await s.writeMain();
    await s.close();
    expect(main(dir).lessons.map((l: Lesson) => [l.id, l.pinned, l.text])).toEqual([['l1', false, 'Run the tests.'], ['l2', true, 'Edited.']]);
  });

  it('a recorded dream is frozen: a change made in place throws instead of never reaching the log', async () => {
    const dir = await storeWithDreams(['d1']);
    const s = await Store.open(dir);
    expect(() => { (s.data.dreams[0] as { status: string }).status = 'undone'; }).toThrow(TypeError);
    expect(() => { s.data.dreams[0]!.stats.patterns = 7; }).toThrow(TypeError);
    await s.close();
  });

  it('writes started together run one after the other: every dream reaches the log', async () => {
    const dir = await storeWithDreams(['d1']);
    const s = await Store.open(dir);
    const writes: Promise<void>[] = [];
    for (const id of ['d2', 'd3', 'd4']) {
      s.data.dreams.push(dream(id));
      writes.push(s.writeMain());
    }
    await Promise.all(writes);
    await s.close();
    expect(logText(dir).split('\n').filter(Boolean).map((l) => JSON.parse(l.slice(2)).id)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(main(dir).dreamLog).toMatchObject({ lines: 4, dreams: 4 });
  });

  it('lines a writer appended without committing are not read, and the next write cuts them off', async () => {
    const dir = await storeWithDreams(['d1']);
    const committed = main(dir).dreamLog.length;
    // Killed after syncing its line, before reverie.json named it.
    fs.appendFileSync(path.join(dir, dreamLogName(1)), `D ${JSON.stringify(dream('ghost'))}\nD {"torn`);
    const s = await Store.open(dir);
    expect(s.data.dreams.map((d) => d.id)).toEqual(['d1']);
    s.data.dreams.push(dream('d2'));
    await s.writeMain();
    await s.close();
    const lines = logText(dir).split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l.slice(2)).id)).toEqual(['d1', 'd2']);
    expect(main(dir).dreamLog.length).toBeGreaterThan(committed);
  });

  it('a damaged log: the dreams before the damage are kept, the user is told, and they go to a new file; the old one stays while a backup names it', async () => {
    const dir = await storeWithDreams(['d1', 'd2', 'd3']);
    const file = path.join(dir, dreamLogName(1));
    const text = fs.readFileSync(file, 'utf8');
    const second = text.indexOf('\n') + 1;
    fs.writeFileSync(file, `${text.slice(0, second)}X${text.slice(second + 1)}`); // the second line's kind byte
    const s = await Store.open(dir);
    // The dreams are read on first use, and the damage found then.
    expect(s.notices).toEqual([]);
    expect(s.dreamCount).toBe(3);
    expect(s.data.dreams.map((d) => d.id)).toEqual(['d1']);
    expect(s.notices.join('\n')).toMatch(/dream history is damaged \(line 2 of dreams-000001\.log is of no kind this log holds\): 1 dream\(s\) were read, about 2 could not be/);
    await s.writeMain(); // the next change writes them to a new file
    await s.close();
    expect(main(dir).dreamLog).toMatchObject({ file: dreamLogName(2), lines: 1, dreams: 1 });
    // The damaged file is what the backup taken at that open names: kept.
    expect(listDreamLogs(dir)).toEqual([1, 2]);
    const again = await Store.open(dir);
    expect(again.notices).toEqual([]);
    await again.close();
  });

  it('compacts once replaced lines outnumber live ones; the old file goes once no backup names it', async () => {
    const dir = await storeWithDreams(['d1', 'd2']);
    const s = await Store.open(dir);
    const long = 'x'.repeat(64 * 1024);
    let round = 0;
    while (main(dir).dreamLog.file === dreamLogName(1)) {
      s.data.dreams = s.data.dreams.map((d) => ({ ...d, message: `${long}${round}` }));
      await s.writeMain();
      if (++round > 200) throw new Error('never compacted');
    }
    // Compacted past the threshold: two lines, the newest versions.
    expect(round * 2 * long.length).toBeGreaterThan(LOG_COMPACT_MIN_BYTES);
    expect(main(dir).dreamLog).toMatchObject({ file: dreamLogName(2), lines: 2, dreams: 2 });
    expect(s.data.dreams.map((d) => d.message?.slice(long.length))).toEqual([`${round - 1}`, `${round - 1}`]);
    await s.close();
    // A backup of reverie.json from before the compaction names the old file: it stays, and restoring that backup finds its dreams.
    expect(listDreamLogs(dir)).toEqual([1, 2]);
    for (const b of listBackups(dir, MAIN_FILE)) fs.rmSync(b);
    await (await Store.open(dir)).close();
    // Backups now name only the new file (the open backed reverie.json up again).
    expect(listDreamLogs(dir)).toEqual([2]);
  });

  it('reverie.json restored from a backup brings the dreams that backup committed', async () => {
    const dir = await storeWithDreams(['d1']);
    const s = await Store.open(dir); // backs up reverie.json as it is: one dream
    s.data.dreams.push(dream('d2'));
    await s.writeMain();
    await s.close();
    fs.writeFileSync(path.join(dir, MAIN_FILE), '{"torn');
    const r = await Store.open(dir);
    expect(r.notices.join('\n')).toMatch(/reverie\.json was damaged .* restored from the backup/);
    expect(r.data.dreams.map((d) => d.id)).toEqual(['d1']);
    r.data.dreams.push(dream('d3'));
    await r.writeMain();
    await r.close();
    // d2's line, past what the backup committed, was cut off by the next write.
    expect(logText(dir).split('\n').filter(Boolean).map((l) => JSON.parse(l.slice(2)).id)).toEqual(['d1', 'd3']);
  });
});

describe('a v4 store (dreams inline in reverie.json)', () => {
  it('moves the dreams into the log at the first writable open, the old file in backups, every dream as it was', async () => {
    const dir = copyStore(V4_STORE);
    const v4 = main(dir);
    expect(v4.schemaVersion).toBe(4);
    expect(v4.dreams.map((d: Dream) => d.status)).toEqual(['undone', 'applied']);
    const s = await Store.open(dir);
    expect(s.notices.join('\n')).toMatch(/upgraded from store version 4/);
    expect(s.data.dreams).toEqual(v4.dreams);
    expect(s.data.lessons).toEqual(v4.lessons);
    expect(s.data.lessons.filter((l) => l.pinned)).toHaveLength(1);
    // The dream history still answers: the undone dream's changes, and the sessions are still there.
    expect(s.data.dreams[0]!.changes.length).toBeGreaterThan(0);
    expect(s.index.sessionIds()).toHaveLength(44);
    await s.close();
    const doc = main(dir);
    expect(doc).toMatchObject({ schemaVersion: SCHEMA_VERSION, dreamLog: { file: dreamLogName(1), lines: 2, dreams: 2 } });
    expect(doc.dreams).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'backups', `${MAIN_FILE}.v4-before-migration.json`), 'utf8'))).toEqual(v4);
    const again = await Store.open(dir, { readOnly: true });
    expect(again.notices).toEqual([]);
    expect(again.data.dreams).toEqual(v4.dreams);
    await again.close();
  });

  it('a read-only open reads the inline dreams and writes nothing', async () => {
    const dir = copyStore(V4_STORE);
    const before = fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8');
    const s = await Store.open(dir, { readOnly: true });
    expect(s.data.dreams.map((d) => d.status)).toEqual(['undone', 'applied']);
    await s.close();
    expect(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8')).toBe(before);
    expect(listDreamLogs(dir)).toEqual([]);
  });
});
