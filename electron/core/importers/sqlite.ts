// Reading an SQLite database another program is using, without touching it: the file's bytes (and
// those of its write-ahead log) are read into memory and opened there with sql.js, SQLite compiled to
// WebAssembly (no native build step; the .wasm ships in its npm package). Nothing is ever opened
// through the file system's SQLite locks, so the owner (Cursor) is never blocked or changed.
//
// Cursor keeps its databases in WAL mode: recent writes live in `state.vscdb-wal` until SQLite
// checkpoints them into the main file. sql.js cannot open a second file beside an in-memory database,
// so the committed frames of the log are applied to the in-memory copy here, as a checkpoint would,
// verifying each frame's salts and running checksum (https://www.sqlite.org/fileformat.html#the_write_ahead_log);
// a frame being written (torn, or from a transaction not yet committed) ends the replay there.
import fs from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';

export const SQLITE_MAGIC = 'SQLite format 3\u0000';
export const isSqlite = (head: Buffer) => head.length >= 16 && head.subarray(0, 16).toString('latin1') === SQLITE_MAGIC;

let engine: Promise<SqlJsStatic> | null = null;
/**
 * sql.js finds its .wasm beside its own script in node_modules (externalized in the Electron build).
 * Loaded on the first database read: only Cursor's chats need it, and its script alone is ~11 MB.
 */
const sqlJs = () => (engine ??= import('sql.js').then((m) => m.default()));

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from (s0, s1). */
function walChecksum(data: Buffer, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const a = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const b = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + a + s1) >>> 0;
    s1 = (s1 + b + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * Applies the committed frames of a WAL to a copy of the main database file. Returns the database as
 * a checkpoint would leave it, and how many frames were applied (0 when the log is empty or stale).
 */
export function applyWal(main: Buffer, wal: Buffer): { db: Buffer; frames: number } {
  if (wal.length < WAL_HEADER) return { db: main, frames: 0 };
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { db: main, frames: 0 };
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = walChecksum(wal.subarray(0, 24), bigEndian, 0, 0);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) return { db: main, frames: 0 };
  const pages = new Map<number, Buffer>();
  let committed = new Map<number, Buffer>();
  let dbPages = 0;
  let frames = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    const header = wal.subarray(at, at + FRAME_HEADER);
    if (header.readUInt32BE(8) !== salt1 || header.readUInt32BE(12) !== salt2) break; // left over from an earlier log
    const page = wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize);
    [s0, s1] = walChecksum(header.subarray(0, 8), bigEndian, s0, s1);
    [s0, s1] = walChecksum(page, bigEndian, s0, s1);
    if (s0 !== header.readUInt32BE(16) || s1 !== header.readUInt32BE(20)) break; // torn write
    pages.set(header.readUInt32BE(0), page);
    const commitSize = header.readUInt32BE(4);
    if (commitSize > 0) {
      // A commit frame: everything up to here is one finished transaction.
      committed = new Map(pages);
      dbPages = commitSize;
      frames = (at - WAL_HEADER) / (FRAME_HEADER + pageSize) + 1;
    }
  }
  if (!frames) return { db: main, frames: 0 };
  const db = Buffer.alloc(dbPages * pageSize);
  main.copy(db, 0, 0, Math.min(main.length, db.length));
  for (const [n, page] of committed) if (n <= dbPages) page.copy(db, (n - 1) * pageSize);
  return { db, frames };
}

/** The database's bytes as its owner sees them: the main file with its write-ahead log applied. */
export function readDatabaseBytes(file: string): Buffer {
  let bytes: Buffer = fs.readFileSync(file);
  let wal: Buffer | null = null;
  try {
    wal = fs.readFileSync(`${file}-wal`);
  } catch {
    wal = null; // no log: everything is in the main file
  }
  if (wal?.length) bytes = applyWal(bytes, wal).db;
  else bytes = Buffer.from(bytes);
  // Header bytes 18/19 = 2 mark WAL mode; the in-memory copy has no log beside it, so it is opened as
  // an ordinary (rollback-journal) database. Only the copy is changed.
  if (bytes.length >= 20 && (bytes[18] === 2 || bytes[19] === 2)) bytes[18] = bytes[19] = 1;
  return bytes;
}

/** What the ledger compares to tell "changed since the last import": the log grows while the main file stays. */
export function walSignature(file: string): string {
  try {
    const st = fs.statSync(`${file}-wal`);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** Opens an in-memory copy of the database. Throws a plain message for a damaged or non-SQLite file. */
export async function openDatabaseCopy(file: string): Promise<Database> {
  const SQL = await sqlJs();
  const bytes = readDatabaseBytes(file);
  let db: Database;
  try {
    db = new SQL.Database(bytes);
    // sql.js opens lazily: the first query is what finds a damaged file.
    db.exec('SELECT count(*) FROM sqlite_master');
  } catch (err) {
    throw new Error(`not a readable SQLite database (${(err as Error).message})`);
  }
  return db;
}

/** The text of a key/value table's value column (stored as TEXT or as a UTF-8 BLOB). */
export function valueText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  return null;
}

/**
 * Rows of a key/value table, as [key, text]: those whose key starts with a prefix, or one key. A
 * prefix is a range on the key's unique index (`k >= 'p:' AND k < 'p;'`): LIKE would scan the whole
 * table per call, and a database holds a row per message.
 */
export function kvRows(db: Database, table: 'ItemTable' | 'cursorDiskKV', where: { prefix: string } | { key: string }): [string, string][] {
  const byPrefix = 'prefix' in where;
  const stmt = db.prepare(`SELECT key, value FROM ${table} WHERE ${byPrefix ? 'key >= ? AND key < ?' : 'key = ?'}`);
  const out: [string, string][] = [];
  try {
    stmt.bind(byPrefix ? [where.prefix, prefixEnd(where.prefix)] : [where.key]);
    while (stmt.step()) {
      const [k, v] = stmt.get();
      const text = valueText(v);
      if (typeof k === 'string' && text !== null) out.push([k, text]);
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** The smallest string after every string starting with `prefix` (its last character plus one). */
const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export function tableNames(db: Database): Set<string> {
  const r = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
  return new Set((r[0]?.values ?? []).map((row) => String(row[0])));
}
