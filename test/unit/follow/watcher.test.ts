// The follow watcher on real folders (chokidar): a root is handed over whole once watched, writes are
// debounced into batches, a Cursor database's write-ahead log stands for its database, databases are
// read at most every `databaseEveryMs`, and a batch that fails is kept and tried again.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FollowWatcher, type FollowWatcherOptions } from '../../../electron/core/follow/watcher';
import { tempDir, until } from '../../helpers/env';

const watchers: FollowWatcher[] = [];
afterEach(async () => {
  for (const w of watchers.splice(0)) await w.close();
});

interface Batch { paths: string[]; reason: string; at: number }
function start(root: string, opts: Partial<FollowWatcherOptions> = {}, fail = 0) {
  const batches: Batch[] = [];
  const notices: string[] = [];
  let failures = fail;
  const w = new FollowWatcher({
    debounceMs: 100,
    rescanMs: 0,
    settleMs: 50,
    log: (m) => notices.push(m),
    ...opts,
    importBatch: async (paths, reason) => {
      if (failures > 0) {
        failures--;
        throw new Error('The store is in use by reverie import (pid 1); trying again in 5 s.');
      }
      batches.push({ paths, reason, at: Date.now() });
    },
  });
  watchers.push(w);
  w.setRoots([root]);
  return { w, batches, notices };
}

describe('FollowWatcher', () => {
  it('hands over the root once ready, then each written file, debounced', async () => {
    const root = tempDir();
    const { batches } = start(root);
    await until('the root', () => batches.length === 1);
    expect(batches[0]).toMatchObject({ paths: [root], reason: 'change' });
    const file = path.join(root, 'a', 'session.jsonl');
    fs.mkdirSync(path.dirname(file));
    for (let i = 0; i < 5; i++) fs.appendFileSync(file, `{"line":${i}}\n`);
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not a session log');
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'node_modules', 'x.jsonl'), '{}\n');
    await until('the file', () => batches.some((b) => b.paths.includes(file)));
    const later = batches.slice(1).flatMap((b) => b.paths);
    // Five writes, one import of the file; the text file and node_modules are not handed over.
    expect(later.filter((p) => p === file).length).toBe(1);
    expect(later.some((p) => p.endsWith('notes.txt') || p.includes('node_modules'))).toBe(false);
  });

  it('a database\'s write-ahead log stands for the database, read at most every databaseEveryMs', async () => {
    const root = tempDir();
    const db = path.join(root, 'state.vscdb');
    fs.writeFileSync(db, 'SQLite format 3\u0000');
    const { batches } = start(root, { databaseEveryMs: 1500 });
    await until('the root', () => batches.length === 1);
    fs.writeFileSync(`${db}-wal`, 'one');
    await until('the database', () => batches.some((b) => b.paths.includes(db)));
    const first = batches.find((b) => b.paths.includes(db))!.at;
    fs.writeFileSync(`${db}-wal`, 'two');
    await until('the database again', () => batches.filter((b) => b.paths.includes(db)).length === 2, 10_000);
    const second = batches.filter((b) => b.paths.includes(db))[1]!.at;
    expect(second - first).toBeGreaterThanOrEqual(1400);
    expect(batches.flatMap((b) => b.paths).some((p) => p.endsWith('-wal'))).toBe(false);
    // The rest of an editor's storage folder (extension state, workspace.json) is not watched.
    fs.mkdirSync(path.join(root, 'some.extension'));
    fs.writeFileSync(path.join(root, 'some.extension', 'state.json'), '{}');
    fs.writeFileSync(path.join(root, 'workspace.json'), '{}');
    fs.writeFileSync(`${db}-wal`, 'three');
    await until('the database a third time', () => batches.filter((b) => b.paths.includes(db)).length === 3, 10_000);
    expect(batches.flatMap((b) => b.paths).filter((p) => p.endsWith('.json'))).toEqual([]);
  });

  it('keeps a batch that failed and tries it again, saying why', async () => {
    const root = tempDir();
    const { batches, notices } = start(root, { debounceMs: 10 }, 1);
    await until('the retried root', () => batches.length === 1, 15_000);
    expect(batches[0]!.paths).toEqual([root]);
    expect(notices.some((n) => /in use by reverie import/.test(n))).toBe(true);
  });

  it('stops handing over a root that is no longer followed', async () => {
    const root = tempDir();
    const other = tempDir();
    const { w, batches } = start(root);
    await until('the root', () => batches.length === 1);
    w.setRoots([other]);
    fs.writeFileSync(path.join(root, 'late.jsonl'), '{}\n');
    await until('the other root', () => batches.some((b) => b.paths.includes(other)));
    fs.writeFileSync(path.join(other, 'new.jsonl'), '{}\n');
    await until('the other root\'s file', () => batches.some((b) => b.paths.includes(path.join(other, 'new.jsonl'))));
    expect(batches.flatMap((b) => b.paths).some((p) => p.endsWith('late.jsonl'))).toBe(false);
    expect(w.watching).toEqual([other]);
  });
});
