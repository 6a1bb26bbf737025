// The store's files: versioned and migrated, validated, repaired from backups, in the right folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../shared/model';
import { spillFilesOf } from '../../../electron/core/dreaming/observations-spill';
import { listBackups } from '../../../electron/core/store/documents';
import { defaultStoreDir } from '../../../electron/core/store/paths';
import { SCHEMA_VERSION } from '../../../electron/core/store/schema';
import { INDEX_FILE, JOURNAL_FILE, MAIN_FILE, Store } from '../../../electron/core/store/store';
import { fixture, runCli, tempDir } from '../../helpers/env';

const lesson = (id: string): Lesson => ({
  id, kind: 'mistake', title: `Lesson ${id}`, text: 'Run the tests before committing.', agents: ['all'],
  support: { sessions: 3, agents: 1, occurrences: 4, firstSeen: null, lastSeen: null }, confidence: 0.7,
  evidence: [{ sessionId: 's1', eventId: 'e1', agent: 'claude-code', excerpt: 'npm test failed' }],
  origin: 'learned', status: 'active', pinned: true, patternKey: `k-${id}`, userEdited: false,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', activatedAt: null,
});

/** A store exactly as version 1 (the foundation) wrote it: no scheduler state, schemaVersion 1. */
function writeV1Store(dir: string): void {
  fs.mkdirSync(path.join(dir, 'sessions'), { recursive: true });
  const main = { schemaVersion: 1, settings: { engine: 'heuristic', minSessions: 4 }, agents: [{ id: 'claude-code:/p', tool: 'claude-code', project: '/p', name: 'Claude Code · p' }], lessons: [lesson('a'), lesson('b')], tombstones: [{ patternKey: 'gone', title: 'Gone', deletedAt: '2026-01-02T00:00:00.000Z' }], dreams: [] };
  const session = { id: 's1', agentId: 'claude-code:/p', tool: 'claude-code', project: '/p', title: 'fix the build', startedAt: null, endedAt: null, eventCount: 7, errorCount: 1, correctionCount: 0, files: ['/x.jsonl'], importedAt: '2026-01-01T00:00:00.000Z', dreamt: true };
  fs.writeFileSync(path.join(dir, MAIN_FILE), JSON.stringify(main));
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify({ schemaVersion: 1, sessions: [session], ledger: {} }));
}

describe('store versions', () => {
  it('migrates a v1 store to the current version, keeping every lesson and the old files', async () => {
    const dir = tempDir();
    writeV1Store(dir);
    const store = await Store.open(dir);
    expect(store.data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.data.lessons.map((l) => l.id)).toEqual(['a', 'b']);
    expect(store.data.settings.minSessions).toBe(4);
    expect(store.data.scheduler).toEqual({ lastRunAt: null, nextDueAt: null, cron: null, runs: [] });
    expect(store.sessions).toHaveLength(1);
    expect(store.notices.join('\n')).toMatch(/upgraded from store version 1/);
    await store.close();
    // On disk: the new version, and the v1 file kept aside.
    expect(JSON.parse(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'backups', `${MAIN_FILE}.v1-before-migration.json`), 'utf8')).schemaVersion).toBe(1);
    // A second open has nothing to migrate.
    const again = await Store.open(dir);
    expect(again.notices).toEqual([]);
    await again.close();
  });

  it('refuses a store written by a newer Reverie and leaves it untouched', async () => {
    const dir = tempDir();
    const text = JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, whatever: true });
    fs.writeFileSync(path.join(dir, MAIN_FILE), text);
    await expect(Store.open(dir)).rejects.toThrow(/newer Reverie/);
    expect(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8')).toBe(text);
    // The failed open released its lock.
    const s = await Store.open(dir, { readOnly: true }).catch((e: Error) => e);
    expect(s).toBeInstanceOf(Error);
  });

  it('a read-only open of a v1 store reads it migrated in memory and writes nothing', async () => {
    const dir = tempDir();
    writeV1Store(dir);
    const before = fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8');
    const store = await Store.open(dir, { readOnly: true });
    expect(store.data.lessons).toHaveLength(2);
    await expect(store.writeMain()).rejects.toThrow(/read-only/);
    expect(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8')).toBe(before);
  });
});

/** A writable store with the record of one session ('abc') appended to its segments, not committed. */
async function storeWithOneSessionRecord(): Promise<{ dir: string; store: Store }> {
  const dir = tempDir();
  const store = await Store.open(dir);
  const session = { id: 'abc', agentId: 'a', tool: 'claude-code' as const, project: null, title: 't', startedAt: null, endedAt: null, eventCount: 0, errorCount: 0, correctionCount: 0, files: [], importedAt: '2026-01-01T00:00:00.000Z', dreamt: false };
  await store.writeSessionDoc({ session, events: [], signals: [] });
  return { dir, store };
}

describe('damaged documents', () => {
  async function storeWithBackup(): Promise<string> {
    const dir = tempDir();
    const s1 = await Store.open(dir);
    s1.data.lessons.push(lesson('keep'));
    await s1.writeMain();
    await s1.writeIndex();
    await s1.close();
    // The next writable open backs up the documents it found good.
    const s2 = await Store.open(dir);
    await s2.close();
    expect(listBackups(dir, MAIN_FILE).length).toBeGreaterThan(0);
    return dir;
  }

  for (const [name, damage] of [
    ['truncated', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['garbage', () => '\u0000\u0001 not json at all'],
    ['wrong schema', () => JSON.stringify({ schemaVersion: SCHEMA_VERSION, lessons: 'nope' })],
    ['empty', () => ''],
  ] as const) {
    it(`a ${name} main document is moved aside and restored from the newest good backup, with a notice`, async () => {
      const dir = await storeWithBackup();
      const file = path.join(dir, MAIN_FILE);
      const bad = damage(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, bad);
      const store = await Store.open(dir);
      expect(store.data.lessons.map((l) => l.id)).toEqual(['keep']);
      expect(store.notices.join('\n')).toMatch(/reverie\.json was damaged .* moved to .*corrupt.* restored from the backup/);
      await store.close();
      const moved = fs.readdirSync(path.join(dir, 'corrupt'));
      expect(moved).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, 'corrupt', moved[0]!), 'utf8')).toBe(bad);
      // Repaired on disk: the next open is clean.
      const again = await Store.open(dir);
      expect(again.notices).toEqual([]);
      await again.close();
    });
  }

  it('skips a damaged backup and uses the next good one', async () => {
    const dir = await storeWithBackup();
    // A newer, damaged backup.
    fs.writeFileSync(path.join(dir, 'backups', `${MAIN_FILE}.9999-12-31T00-00-00-000Z.bak`), '{"broken":');
    fs.writeFileSync(path.join(dir, MAIN_FILE), 'garbage');
    const store = await Store.open(dir);
    expect(store.data.lessons.map((l) => l.id)).toEqual(['keep']);
    await store.close();
  });

  it('a damaged index without backups is rebuilt from the session files', async () => {
    const { dir, store: s } = await storeWithOneSessionRecord();
    await s.close();
    fs.writeFileSync(path.join(dir, INDEX_FILE), '{"schemaVersion":');
    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.id)).toEqual(['abc']);
    expect(again.notices.join('\n')).toMatch(/index\.json was damaged .*rebuilt from the session files/);
    await again.close();
  });

  it('the session index is backed up as a link; damaged in place (link and all), it still comes back whole', async () => {
    const { dir, store: s } = await storeWithOneSessionRecord();
    await s.writeIndex();
    await s.close();
    // The next writable open keeps the index as it is: a link, not a copy of tens of MB.
    const reopened = await Store.open(dir);
    void reopened.sessions; // the index is loaded (and backed up) on first use
    await reopened.close();
    const file = path.join(dir, INDEX_FILE);
    const backups = fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.startsWith('index.json.'));
    expect(backups).toHaveLength(1);
    expect(fs.statSync(path.join(dir, 'backups', backups[0]!)).ino).toBe(fs.statSync(file).ino);
    // Written in place by something else, the link is damaged with it: the store does not trust it.
    fs.writeFileSync(file, '{"schemaVersion":');
    const again = await Store.open(dir);
    expect(again.sessions.map((x) => x.id)).toEqual(['abc']);
    expect(again.notices.join('\n')).toMatch(/index\.json was damaged/);
    await again.close();
  });

  it('a read-only open of a damaged store shows the backup without repairing anything', async () => {
    const dir = await storeWithBackup();
    fs.writeFileSync(path.join(dir, MAIN_FILE), 'garbage');
    const store = await Store.open(dir, { readOnly: true });
    expect(store.data.lessons.map((l) => l.id)).toEqual(['keep']);
    expect(store.notices.join('\n')).toMatch(/read-only view/);
    expect(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8')).toBe('garbage');
  });

  it('keeps only a few rotating backups', async () => {
    const dir = tempDir();
    for (let i = 0; i < 8; i++) {
      const s = await Store.open(dir);
      s.data.lessons.push(lesson(`l${i}`));
      await s.writeMain();
      await s.close();
      await new Promise((r) => setTimeout(r, 5));
    }
    const backups = listBackups(dir, MAIN_FILE);
    expect(backups.length).toBe(5);
    // The newest backup is the last good state before the last run's write.
    expect(JSON.parse(fs.readFileSync(backups[0]!, 'utf8')).lessons).toHaveLength(7);
  });
});

describe('interrupted imports', () => {
  const session = (id: string, eventCount: number) => ({ id, agentId: 'a', tool: 'claude-code' as const, project: null, title: 't', startedAt: null, endedAt: null, eventCount, errorCount: 0, correctionCount: 0, files: [], importedAt: '2026-01-01T00:00:00.000Z', dreamt: false });

  it('session records appended but never committed to the index are rolled forward at the next open', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    await s.writeSessionDoc({ session: session('old', 1), events: [], signals: [] });
    s.index.putSession(session('old', 1));
    await s.writeIndex();
    // An import that dies after appending two session records (one new, one grown), before index.json.
    await s.writeSessionDoc({ session: session('new', 2), events: [], signals: [] });
    await s.writeSessionDoc({ session: session('old', 5), events: [], signals: [] });
    await s.close();
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')).locations)).toEqual(['old']);

    const again = await Store.open(dir);
    expect(again.sessions.map((x) => [x.id, x.eventCount])).toEqual([['old', 5], ['new', 2]]);
    expect(again.notices.join('\n')).toMatch(/import was interrupted; the 1 session\(s\) it had completed were kept/);
    expect(again.readSessionDoc('old')!.session.eventCount).toBe(5);
    await again.close();
    const third = await Store.open(dir);
    expect(third.sessions).toHaveLength(2);
    expect(third.notices).toEqual([]);
    await third.close();
  });

  it('temp files a killed writer left behind are removed at the next writable open', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    await s.writeSessionDoc({ session: session('abc', 1), events: [], signals: [] });
    await s.close();
    fs.writeFileSync(path.join(dir, `${MAIN_FILE}.2e8f1a9c`), '{"half":');
    fs.writeFileSync(path.join(dir, 'patterns.json.d-1.tmp'), '{}');
    // A full dream's spilled observation index (dreaming/observations-spill.ts), its worker killed.
    for (const spill of spillFilesOf(path.join(dir, 'patterns.json.d-1.tmp'))) fs.writeFileSync(spill, 'K\t');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const reader = await Store.open(dir, { readOnly: true });
    void reader.sessions;
    expect(fs.existsSync(path.join(dir, 'patterns.json.d-1.tmp'))).toBe(true); // a reader never deletes
    const again = await Store.open(dir);
    void again.sessions;
    expect(fs.readdirSync(dir).sort()).toEqual(['backups', 'index-000001.log', 'index.json', 'notes.txt', 'reverie.json', 'reverie.lock', 'sessions'].filter((n) => fs.existsSync(path.join(dir, n))).sort());
    expect(fs.existsSync(path.join(dir, `${MAIN_FILE}.2e8f1a9c`))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'patterns.json.d-1.tmp'))).toBe(false);
    await again.close();
  });

  it('a committed import leaves no journal behind', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    await s.writeSessionDoc({ session: session('x', 1), events: [], signals: [] });
    await s.writeIndex();
    await s.close();
    expect(fs.existsSync(path.join(dir, JOURNAL_FILE))).toBe(false);
  });
});

describe('bad store folders', () => {
  it('a file given as the store folder is a clear usage error; an unwritable one says so', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    await expect(Store.open(file)).rejects.toThrow(/is a file, not a store folder/);
    const cli = runCli(['lessons', '--store', file]);
    expect(cli.code).toBe(2);
    if (process.getuid?.() !== 0) {
      const ro = tempDir();
      fs.chmodSync(ro, 0o500);
      await expect(Store.open(path.join(ro, 'store'))).rejects.toThrow(/Cannot use .* as the store folder: EACCES/);
    }
  });
});

describe('store location', () => {
  it('REVERIE_HOME wins; otherwise Reverie/store in the OS app-data folder (the packaged app\'s userData/store)', () => {
    expect(defaultStoreDir({ REVERIE_HOME: '/tmp/rv' })).toBe(path.resolve('/tmp/rv'));
    const home = os.homedir();
    expect(defaultStoreDir({}, 'linux')).toBe(path.join(home, '.config', 'Reverie', 'store'));
    expect(defaultStoreDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(path.join('/xdg', 'Reverie', 'store'));
    expect(defaultStoreDir({}, 'darwin')).toBe(path.join(home, 'Library', 'Application Support', 'Reverie', 'store'));
    expect(defaultStoreDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(path.join('C:\\Users\\me\\AppData\\Roaming', 'Reverie', 'store'));
  });

  it('the CLI honours REVERIE_HOME and --store', () => {
    const home = tempDir();
    const viaEnv = runCli(['lessons', '--json'], { env: { REVERIE_HOME: home } });
    expect(viaEnv.code).toBe(0);
    const other = tempDir();
    const viaFlag = runCli(['import', fixture('claude-code'), '--store', other, '--json'], { env: { REVERIE_HOME: home } });
    expect(viaFlag.code).toBe(0);
    expect(fs.existsSync(path.join(other, MAIN_FILE))).toBe(true);
    expect(fs.existsSync(path.join(home, MAIN_FILE))).toBe(false);
    const intoHome = runCli(['import', fixture('claude-code'), '--json'], { env: { REVERIE_HOME: home } });
    expect(intoHome.code).toBe(0);
    expect(fs.existsSync(path.join(home, MAIN_FILE))).toBe(true);
  }, 30_000);
});
