// The session index as a small head (index.json) and a log of summaries and ledger entries
// (store v4): what is read by whom, uncommitted appends cut off, a damaged log, compaction, and the
// move of a v3 store (written by Reverie at commit ab22bca: test/fixtures/stores/v3-segments).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry, Session } from '../../../shared/model';
import { importPaths } from '../../../electron/core/importers';
import { LOG_COMPACT_MIN_BYTES, listLogs, logName, statsOf } from '../../../electron/core/store/index-log';
import { SCHEMA_VERSION } from '../../../electron/core/store/schema';
import { INDEX_FILE, Store } from '../../../electron/core/store/store';
import { PROJECT_ROOT, fixture, tempDir } from '../../helpers/env';

const V3_STORE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'stores', 'v3-segments');
const session = (id: string, eventCount = 1, title = 't'): Session => ({ id, agentId: `a-${id.slice(0, 1)}`, tool: 'claude-code', project: null, title, startedAt: null, endedAt: null, eventCount, errorCount: 0, correctionCount: 0, files: [], importedAt: '2026-01-01T00:00:00.000Z', dreamt: false });
const ledger = (file: string, size = 10): LedgerEntry => ({ path: file, size, mtimeMs: 1, headHash: 'h', offset: size, format: 'claude-code', sessionIds: [], importedAt: '2026-01-01T00:00:00.000Z' });
const head = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'));

/** A store with `n` committed sessions (records and summaries) and a ledger entry each. */
async function storeWith(n: number): Promise<string> {
  const dir = tempDir();
  const s = await Store.open(dir);
  for (let i = 0; i < n; i++) {
    await s.writeSessionDoc({ session: session(`s${i}`, i + 1), events: [], signals: [] });
    s.index.putSession(session(`s${i}`, i + 1));
    s.index.setLedgerEntry(ledger(`/logs/${i}.jsonl`));
  }
  await s.writeIndex();
  await s.close();
  return dir;
}

describe('the session index head and its log', () => {
  it('the head holds locations and marks; summaries and ledger are lines of the log it names', async () => {
    const dir = await storeWith(3);
    const h = head(dir);
    expect(h).toMatchObject({ schemaVersion: SCHEMA_VERSION, undreamt: ['s0', 's1', 's2'], log: { file: logName(1), lines: 6, sessions: 3, ledger: 3 } });
    expect(Object.keys(h.locations)).toEqual(['s0', 's1', 's2']);
    expect(h.sessions).toBeUndefined();
    const lines = fs.readFileSync(path.join(dir, logName(1)), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => l.slice(0, 2))).toEqual(['S ', 'S ', 'S ', 'L ', 'L ', 'L ']);
    expect(h.log.length).toBe(fs.statSync(path.join(dir, logName(1))).size);
    // Summaries carry no dreamt flag: that is the head's.
    expect(JSON.parse(lines[0]!.slice(2))).not.toHaveProperty('dreamt');
  });

  it('a dream and an import read the head, not the summaries', async () => {
    const dir = await storeWith(3);
    const s = await Store.open(dir);
    expect(s.index.sessionIds()).toEqual(['s0', 's1', 's2']);
    expect(s.index.setDreamt(['s0', 's1', 'nope'], true)).toEqual(['s0', 's1']);
    expect(s.index.undreamtIds()).toEqual(['s2']);
    await s.writeIndex();
    // The first import gives the stored sessions their agents (reverie.json had none): that reads the summaries once.
    await importPaths(s, [fixture('claude-code', 'spotter', 'short.jsonl')]);
    expect(s.data.agents.map((a) => a.id)).toContain('a-s');
    await s.close();
    const next = await Store.open(dir);
    const r = await importPaths(next, [fixture('claude-code', 'spotter', 'tool_heavy.jsonl')]);
    expect(r.sessions).toBe(1);
    expect(next.index.summariesLoaded).toBe(false);
    expect(next.index.ledgerLoaded).toBe(true);
    await next.close();
    const again = await Store.open(dir, { readOnly: true });
    expect(again.sessions.map((x) => [x.id, x.dreamt])).toEqual([['s0', true], ['s1', true], ['s2', false], [expect.any(String), false], [expect.any(String), false]]);
    expect(again.index.ledgerSize).toBe(5);
    await again.close();
  });

  it('counts for app.info and status come from the log without keeping the summaries, the newest line per session counting', async () => {
    const dir = await storeWith(3);
    const s = await Store.open(dir);
    s.index.putSession({ ...session('s1', 10), startedAt: '2026-02-01T00:00:00.000Z' }); // grown, not committed yet: this writer sees it
    const st = s.index.stats();
    expect(s.index.summariesLoaded).toBe(false);
    expect({ ...st, perAgent: Object.fromEntries(st.perAgent) }).toEqual({ count: 3, events: 1 + 10 + 3, newest: '2026-02-01T00:00:00.000Z', perAgent: { 'a-s': 3 } });
    // Kept up to date without reading the log again.
    s.index.putSession(session('t9', 5));
    expect(s.index.stats()).toMatchObject({ count: 4, events: 19 });
    expect(s.index.summariesLoaded).toBe(false);
    const fromList = statsOf(s.sessions);
    expect(fromList).toEqual(s.index.stats());
    await s.close();
  });

  it('a later line replaces an earlier one; what was appended but not committed is cut off at the next writable open', async () => {
    const dir = await storeWith(2);
    const s = await Store.open(dir);
    s.index.putSession(session('s1', 7, 'grown'));
    await s.writeIndex();
    const committed = head(dir).log.length;
    // An import that dies after appending, before its head: the lines are past the committed length.
    s.index.putSession(session('s0', 99, 'never committed'));
    s.index.setLedgerEntry(ledger('/logs/never.jsonl'));
    await s.close();
    expect(fs.statSync(path.join(dir, logName(1))).size).toBeGreaterThan(committed);
    const reader = await Store.open(dir, { readOnly: true });
    expect(reader.sessions.map((x) => [x.id, x.eventCount, x.title])).toEqual([['s0', 1, 't'], ['s1', 7, 'grown']]);
    expect(reader.index.ledgerEntry('/logs/never.jsonl')).toBeUndefined();
    await reader.close();
    expect(fs.statSync(path.join(dir, logName(1))).size).toBeGreaterThan(committed); // a reader changes nothing
    const writer = await Store.open(dir);
    void writer.index;
    expect(fs.statSync(path.join(dir, logName(1))).size).toBe(committed);
    expect(writer.sessions.map((x) => x.eventCount)).toEqual([1, 7]);
    await writer.close();
  });

  it('a damaged summary line: the summaries come back from the session records, the ledger lines stay, the user is told', async () => {
    const dir = await storeWith(3);
    const file = path.join(dir, logName(1));
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('{"id":"s0"', '{"id":s00"')); // same length: only the JSON is wrong
    const reader = await Store.open(dir, { readOnly: true });
    expect(reader.sessions.map((x) => x.id)).toEqual(['s0', 's1', 's2']);
    expect(reader.index.ledgerSize).toBe(3); // ledger lines are read on their own
    expect(reader.notices).toEqual([expect.stringMatching(/log is damaged \(line 1 of index-000001\.log is not valid JSON\); the session list was rebuilt from the session records/)]);
    await reader.close();
    expect(fs.readFileSync(file, 'utf8')).not.toBe(text); // still damaged: a reader repairs nothing
    const writer = await Store.open(dir);
    expect(writer.sessions).toHaveLength(3);
    await writer.writeIndex();
    await writer.close();
    expect(head(dir).log.file).toBe(logName(2));
    expect(listLogs(dir)).toEqual([1, 2]);
    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.eventCount)).toEqual([1, 2, 3]);
    expect(again.index.ledgerSize).toBe(3);
    expect(again.notices).toEqual([]);
    await again.close();
    expect(listLogs(dir)).toEqual([2]); // the old file goes at the next writable open
  });

  it('a log cut short (a disk that lost its end) is damage too, never a silent loss', async () => {
    const dir = await storeWith(2);
    fs.truncateSync(path.join(dir, logName(1)), 40);
    const s = await Store.open(dir, { readOnly: true });
    expect(s.sessions.map((x) => x.id)).toEqual(['s0', 's1']);
    expect(s.notices.join('\n')).toMatch(/shorter than its committed length/);
    expect(s.index.ledgerSize).toBe(0);
    expect(s.notices.join('\n')).toMatch(/import ledger was dropped, so the next import reads every file again/);
    await s.close();
  });

  it('superseded lines are compacted away once they outnumber the live ones', async () => {
    const dir = await storeWith(2);
    const s = await Store.open(dir);
    const long = 'x'.repeat(4000);
    for (let round = 0; head(dir).log.file === logName(1); round++) {
      s.index.putSession(session('s0', round, long));
      await s.writeIndex();
      expect(round).toBeLessThan(2 * (LOG_COMPACT_MIN_BYTES / 4000) + 10);
    }
    const h = head(dir);
    expect(h.log).toMatchObject({ lines: 4, sessions: 2, ledger: 2 });
    await s.close();
    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.id)).toEqual(['s0', 's1']);
    expect(again.index.ledgerSize).toBe(2);
    await again.close();
    expect(listLogs(dir)).toEqual([2]);
  });
});

describe('a store in the v3 layout (the whole index one document)', () => {
  const copy = () => {
    const dir = tempDir();
    fs.cpSync(V3_STORE, dir, { recursive: true });
    return dir;
  };
  const v3 = JSON.parse(fs.readFileSync(path.join(V3_STORE, INDEX_FILE), 'utf8'));

  it('reads as it is when opened read-only, and writes nothing', async () => {
    const dir = copy();
    const s = await Store.open(dir, { readOnly: true });
    expect(s.sessions).toEqual(v3.sessions);
    expect(s.index.undreamtIds()).toEqual(['aider:add-test.md@82a8f960#37']);
    await s.close();
    expect(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')).toBe(fs.readFileSync(path.join(V3_STORE, INDEX_FILE), 'utf8'));
    expect(listLogs(dir)).toEqual([]);
  });

  it('moves summaries and ledger into the log at the first writable open, dreamt marks kept, the old index in backups', async () => {
    const dir = copy();
    const s = await Store.open(dir);
    expect(s.sessions).toEqual(v3.sessions);
    expect(s.notices.join('\n')).toMatch(/index\.json was upgraded from store version 3/);
    await s.close();
    const h = head(dir);
    expect(h).toMatchObject({ schemaVersion: SCHEMA_VERSION, undreamt: ['aider:add-test.md@82a8f960#37'], log: { file: logName(1), sessions: 3, ledger: 3, lines: 6 } });
    expect(h.sessions).toBeUndefined();
    expect(h.ledger).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'backups', `${INDEX_FILE}.v3-before-migration.json`), 'utf8'))).toEqual(v3);
    const again = await Store.open(dir);
    expect(again.notices).toEqual([]);
    expect(again.sessions).toEqual(v3.sessions);
    for (const [file, entry] of Object.entries(v3.ledger)) expect(again.index.ledgerEntry(file)).toEqual(entry);
    for (const x of v3.sessions) expect(again.readSessionDoc(x.id)!.events.length).toBe(x.eventCount);
    // Re-importing the same files (by their recorded paths) finds them unchanged.
    await again.close();
  });

  it('killed after the log was written but before the head named it, the move starts over', async () => {
    const dir = copy();
    fs.writeFileSync(path.join(dir, logName(1)), 'S {"half');
    const s = await Store.open(dir);
    expect(s.sessions).toEqual(v3.sessions);
    await s.close();
    expect(head(dir).log.file).toBe(logName(1));
    expect(listLogs(dir)).toEqual([1]);
    const again = await Store.open(dir, { readOnly: true });
    expect(again.sessions).toEqual(v3.sessions);
    expect(again.notices).toEqual([]);
    await again.close();
  });
});
