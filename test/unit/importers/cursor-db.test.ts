// Cursor's chat databases (state.vscdb), built for each test by test/fixtures/cursor/build.ts with
// sql.js: composers with tool calls, the older chat panel, composers kept in the workspace, the
// workspace a chat belongs to, a write-ahead log, re-import, damaged files, and the rule that
// Cursor's files are never changed.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/model';
import { countCursorChats } from '../../../electron/core/importers/cursor-db';
import { discoverSources } from '../../../electron/core/importers/discover';
import { importPaths } from '../../../electron/core/importers';
import { applyWal } from '../../../electron/core/importers/sqlite';
import { Store } from '../../../electron/core/store/store';
import { API, buildCursorUserDir, COMPOSER_FIX, COMPOSER_INLINE, COMPOSER_OLD_WORKSPACE, databaseWithExtraComposer, LEGACY, SHOP, writeWal } from '../../fixtures/cursor/build';
import { tempDir } from '../../helpers/env';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
async function store(): Promise<Store> {
  const s = await Store.open(tempDir());
  stores.push(s);
  return s;
}
const kinds = (events: SessionEvent[]) => events.map((e) => e.kind);
const sources = (userDir: string) => [path.join(userDir, 'globalStorage'), path.join(userDir, 'workspaceStorage')];

describe('Cursor chat databases', () => {
  it('imports composers (messages, thinking, tool calls and results) and chat-panel tabs with their workspace', async () => {
    const f = await buildCursorUserDir(tempDir());
    const s = await store();
    const r = await importPaths(s, sources(f.userDir));
    // Record counts per fixture database (reported in docs/formats.md).
    expect(r).toMatchObject({ files: 5, sessions: 4, skipped: 2 });
    expect(r.errors).toEqual([{ file: f.globalDb, record: 'composerData:broken-composer', reason: 'composer record is not a JSON object' }]);
    const byId = new Map(s.sessions.map((x) => [x.id, x]));
    expect([...byId.keys()].sort()).toEqual([`cursor:chat:tab-cart-1`, `cursor:composer:${COMPOSER_FIX}`, `cursor:composer:${COMPOSER_INLINE}`, `cursor:composer:${COMPOSER_OLD_WORKSPACE}`].sort());

    const fix = s.readSessionDoc(`cursor:composer:${COMPOSER_FIX}`)!;
    expect(fix.session).toMatchObject({ tool: 'cursor', project: SHOP, agentId: `cursor:${SHOP}`, title: 'Fix the flaky login test', startedAt: '2026-11-20T09:00:00.000Z', endedAt: '2026-11-20T09:06:00.000Z', errorCount: 2 });
    expect(kinds(fix.events)).toEqual(['user', 'thinking', 'assistant', 'tool_call', 'tool_result', 'assistant', 'tool_call', 'tool_result', 'user', 'assistant', 'tool_call', 'tool_result']);
    const [failedCall, failed] = fix.events.filter((e) => e.tool?.callId === 'toolu_01');
    expect(failedCall).toMatchObject({ text: 'run_terminal_cmd npm test -- login.spec.ts', tool: { name: 'run_terminal_cmd' } });
    expect(failed).toMatchObject({ kind: 'tool_result', isError: true });
    // The command's output, not the JSON envelope Cursor keeps it in.
    expect(failed!.text).toBe('FAIL login.spec.ts\n  ✕ redirects after login (5012 ms)\n  Error: Timeout of 5000ms exceeded');
    expect(fix.events.find((e) => e.tool?.callId === 'toolu_02' && e.kind === 'tool_result')).toMatchObject({ isError: true, rejected: true });
    expect(fix.events.find((e) => e.tool?.callId === 'toolu_03' && e.kind === 'tool_call')!.text).toBe('edit_file test/login.spec.ts');
    // Every event points back at its record in the database.
    expect(fix.events[0]!.source).toEqual({ file: f.globalDb, record: `bubbleId:${COMPOSER_FIX}:b0000000-0000-4000-8000-000000000001` });
    // The correction is a signal like in any other agent's log.
    expect(fix.signals.map((x) => [x.kind, x.text])).toEqual([
      // The line that says what failed, not the runner's FAIL header before it.
      ['tool_error', 'Error: Timeout of 5000ms exceeded'],
      ['rejection', "No, don't add sleeps to tests."],
    ]);

    const inline = s.readSessionDoc(`cursor:composer:${COMPOSER_INLINE}`)!;
    expect(inline.session).toMatchObject({ project: API, title: 'Add pagination to GET /orders.', startedAt: '2026-11-21T09:00:00.000Z', endedAt: '2026-11-21T09:02:00.000Z' });
    expect(kinds(inline.events)).toEqual(['user', 'assistant']);

    const tab = s.readSessionDoc('cursor:chat:tab-cart-1')!;
    expect(tab.session).toMatchObject({ project: SHOP, title: 'Explain the cart reducer', endedAt: '2026-11-19T09:00:00.000Z' });
    expect(kinds(tab.events)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(tab.events[0]!.source.file).toBe(f.workspaceDbs.shop);

    const old = s.readSessionDoc(`cursor:composer:${COMPOSER_OLD_WORKSPACE}`)!;
    expect(old.session).toMatchObject({ project: LEGACY });
    expect(kinds(old.events)).toEqual(['user', 'assistant']);
    expect(s.data.agents.map((a) => a.name).sort()).toEqual(['Cursor · api', 'Cursor · legacy', 'Cursor · shop']);
  });

  it('re-importing changes nothing, and Cursor\'s files are never changed', async () => {
    const f = await buildCursorUserDir(tempDir());
    const dbs = [f.globalDb, ...Object.values(f.workspaceDbs)];
    const before = dbs.map((d) => [fs.readFileSync(d), fs.statSync(d).mtimeMs] as const);
    const s = await store();
    await importPaths(s, sources(f.userDir));
    const events = s.sessions.reduce((n, x) => n + x.eventCount, 0);
    const again = await importPaths(s, sources(f.userDir));
    expect(again).toMatchObject({ files: 5, sessions: 0, events: 0, skipped: 5 });
    expect(s.sessions.reduce((n, x) => n + x.eventCount, 0)).toBe(events);
    dbs.forEach((d, i) => {
      expect(fs.readFileSync(d).equals(before[i]![0]), d).toBe(true);
      expect(fs.statSync(d).mtimeMs).toBe(before[i]![1]);
      expect(fs.existsSync(`${d}-journal`) || fs.existsSync(`${d}-wal`)).toBe(false);
    });
  });

  it('reads what is still in the write-ahead log, and stops at a torn write', async () => {
    const f = await buildCursorUserDir(tempDir());
    const s = await store();
    await importPaths(s, [f.globalDb]);
    const committed = await databaseWithExtraComposer(f.globalDb, 'wal-composer', 'Always run the linter before committing.');
    const tornSource = path.join(tempDir(), 'state.vscdb');
    fs.writeFileSync(tornSource, committed);
    const torn = await databaseWithExtraComposer(tornSource, 'torn-composer', 'This transaction was cut off.');
    writeWal(f.globalDb, committed, { torn });
    // The log changed while the main file did not: the ledger still sees the change.
    const r = await importPaths(s, [f.globalDb]);
    expect(r.errors).toEqual([{ file: f.globalDb, record: 'composerData:broken-composer', reason: 'composer record is not a JSON object' }]);
    const ids = s.sessions.map((x) => x.id);
    expect(ids).toContain('cursor:composer:wal-composer');
    expect(ids).not.toContain('cursor:composer:torn-composer');
    expect(s.readSessionDoc('cursor:composer:wal-composer')!.events[0]!.text).toBe('Always run the linter before committing.');
    // applyWal on its own: one committed transaction applied, the torn one not.
    const { frames } = applyWal(fs.readFileSync(f.globalDb), fs.readFileSync(`${f.globalDb}-wal`));
    expect(frames).toBeGreaterThan(0);
  });

  it('a damaged database is a clear error naming the file, and loses nothing stored', async () => {
    const f = await buildCursorUserDir(tempDir());
    const s = await store();
    await importPaths(s, sources(f.userDir));
    const stored = s.sessions.length;
    // Cut off mid-page (a copy taken while it was written, a full disk).
    const bytes = fs.readFileSync(f.globalDb);
    fs.writeFileSync(f.globalDb, bytes.subarray(0, 1500));
    const truncated = await importPaths(s, [f.globalDb]);
    expect(truncated.sessions).toBe(0);
    expect(truncated.errors).toHaveLength(1);
    expect(truncated.errors[0]).toMatchObject({ file: f.globalDb });
    expect(truncated.errors[0]!.reason).toMatch(/could not be read as cursor: not a readable SQLite database|no ItemTable or cursorDiskKV table/);
    // Garbage after a valid header.
    fs.writeFileSync(f.globalDb, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(8000, 0xab)]));
    const garbage = await importPaths(s, [f.globalDb]);
    expect(garbage.errors[0]).toMatchObject({ file: f.globalDb });
    expect(garbage.errors[0]!.reason).toMatch(/cursor/);
    // Another program's SQLite database.
    const other = path.join(tempDir(), 'history.sqlite');
    fs.writeFileSync(other, bytes);
    expect((await importPaths(s, [other])).errors[0]!.reason).toMatch(/SQLite database Reverie does not know/);
    expect(s.sessions).toHaveLength(stored);
    for (const x of s.sessions) expect(s.readSessionDoc(x.id)).not.toBeNull();
  });

  it('a VS Code database without Cursor chats is skipped quietly; walking a storage folder reads only its database', async () => {
    const f = await buildCursorUserDir(tempDir());
    const s = await store();
    const r = await importPaths(s, [path.dirname(f.workspaceDbs.vscode)]);
    expect(r).toMatchObject({ files: 1, sessions: 0, skipped: 1, errors: [] });
  });

  it('is discovered on Linux, macOS and Windows, with its chats counted', async () => {
    for (const [rel, env] of [
      ['.config/Cursor', (home: string) => ({ HOME: home })],
      ['Library/Application Support/Cursor', (home: string) => ({ HOME: home })],
      ['AppData/Roaming/Cursor', (home: string) => ({ HOME: home, APPDATA: path.join(home, 'AppData', 'Roaming') })],
    ] as const) {
      const home = tempDir();
      const f = await buildCursorUserDir(path.join(home, rel));
      const found = discoverSources(env(home)).filter((x) => x.tool === 'cursor');
      expect(found.map((x) => [x.label, x.path, x.files, x.unit]), rel).toEqual([
        ['Cursor chats', path.join(f.userDir, 'globalStorage'), 1, 'database'],
        ['Cursor workspace chats', path.join(f.userDir, 'workspaceStorage'), 4, 'database'],
      ]);
    }
    const f = await buildCursorUserDir(tempDir());
    expect(await countCursorChats([f.globalDb])).toBe(2);
    expect(await countCursorChats(Object.values(f.workspaceDbs))).toBe(2);
  });
});
