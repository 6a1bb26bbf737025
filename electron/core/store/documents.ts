// Loading the two store documents safely: parse → migrate → validate, and when that fails, move the
// damaged file aside (never delete it), restore the newest backup that validates, and say so.
// Backups are plain copies of a document that was read and validated (so known good), rotated.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ContractError } from '../../../shared/contract/define';
import { describeZodError } from '../rpc';
import { fileStamp, writeJsonDurableSync } from './files';
import { migrate, type DocKind } from './migrations';

export const BACKUPS_KEPT = 5;
/** A running app takes a fresh backup at most this often (and at every writable open). */
export const BACKUP_EVERY_MS = 60 * 60 * 1000;

export const backupsDir = (storeDir: string) => path.join(storeDir, 'backups');
export const corruptDir = (storeDir: string) => path.join(storeDir, 'corrupt');

/** What a document is validated with: a zod schema, or one that answers like it (IndexDocInPlace). */
export interface DocSchema<T> { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: z.ZodError } }

type Parsed<T> = { ok: true; data: T; migratedFrom: number | null } | { ok: false; why: string };

/** `source.text` is emptied once parsed: the index's text is megabytes, and only the parsed document is kept. */
function parseDocument<T>(kind: DocKind, file: string, source: { text: string }, schema: DocSchema<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(source.text);
  } catch (err) {
    return { ok: false, why: source.text.trim() ? `not valid JSON (${(err as Error).message})` : 'empty' };
  }
  source.text = '';
  const { doc, from } = migrate(kind, raw, file); // throws for a newer version: that is not damage
  const r = schema.safeParse(doc);
  if (!r.success) return { ok: false, why: `does not match the store schema: ${describeZodError(r.error).slice(0, 300)}` };
  return { ok: true, data: r.data, migratedFrom: from };
}

/** Backups of one document, newest first. */
export function listBackups(storeDir: string, base: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(backupsDir(storeDir));
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(`${base}.`) && n.endsWith('.bak')).sort().reverse().map((n) => path.join(backupsDir(storeDir), n));
}

/**
 * Keeps the document as it is on disk in the backups, keeping the newest BACKUPS_KEPT. With `link`, the
 * backup is a hard link where the file system allows it: a document is only ever replaced by a rename,
 * never written in place, so the link keeps this version as it is — for the session index (tens of MB
 * at 100,000 sessions, and rebuildable from the segments) instead of a copy at every writable open after
 * an import. The main document, which only backups can bring back, is always copied.
 */
export function backupDocument(storeDir: string, file: string, link = false): string | null {
  if (!fs.existsSync(file)) return null;
  const base = path.basename(file);
  fs.mkdirSync(backupsDir(storeDir), { recursive: true });
  const target = path.join(backupsDir(storeDir), `${base}.${fileStamp()}.bak`);
  if (!(link && linked(file, target))) fs.copyFileSync(file, target);
  for (const old of listBackups(storeDir, base).slice(BACKUPS_KEPT)) fs.rmSync(old, { force: true });
  return target;
}

/** A hard link `target` → `file`; false where the file system has none (FAT, some network mounts). */
function linked(file: string, target: string): boolean {
  try {
    fs.linkSync(file, target);
    return true;
  } catch {
    return false;
  }
}

/** Whether two files of the same size hold the same bytes, compared a megabyte at a time (the index is tens of MB). */
function sameBytes(a: string, b: string): boolean {
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  try {
    const ba = Buffer.allocUnsafe(1 << 20);
    const bb = Buffer.allocUnsafe(1 << 20);
    for (let at = 0; ; ) {
      const n = fs.readSync(fa, ba, 0, ba.length, at);
      const m = fs.readSync(fb, bb, 0, bb.length, at);
      if (n !== m) return false;
      if (n === 0) return true;
      if (!ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
      at += n;
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

/** True when the newest backup already holds exactly this file (mtimes are too coarse to tell). */
export function newestBackupMatches(storeDir: string, file: string): boolean {
  const newest = listBackups(storeDir, path.basename(file))[0];
  if (!newest) return false;
  try {
    const [a, b] = [fs.statSync(newest), fs.statSync(file)];
    if (a.ino === b.ino && a.dev === b.dev) return true; // the backup is a link to this very file
    if (a.size !== b.size) return false;
    return sameBytes(newest, file);
  } catch {
    return false;
  }
}

export interface LoadOptions<T> {
  storeDir: string;
  kind: DocKind;
  file: string;
  schema: DocSchema<T>;
  empty: () => T;
  readOnly: boolean;
  /** Last resort when the document and every backup are unusable (the index can be rebuilt from session files). */
  rebuild?: () => T;
}

export interface Loaded<T> { data: T; notices: string[] }

export function loadDocument<T>(o: LoadOptions<T>): Loaded<T> {
  const name = path.basename(o.file);
  const notices: string[] = [];
  let read: { text: string } | null;
  try {
    read = { text: fs.readFileSync(o.file, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ContractError('failed', `Cannot read ${o.file}: ${(err as Error).message}`);
    read = null;
  }
  const present = read !== null;

  let why: string;
  if (read === null) {
    // A brand-new store has neither the file nor backups; a missing file *with* backups was lost.
    if (!listBackups(o.storeDir, name).length) return { data: o.empty(), notices };
    why = 'missing';
  } else {
    const parsed = parseDocument(o.kind, o.file, read, o.schema);
    if (parsed.ok) {
      if (parsed.migratedFrom !== null && !o.readOnly) {
        // Keep the file exactly as the old version wrote it before replacing it.
        fs.mkdirSync(backupsDir(o.storeDir), { recursive: true });
        fs.copyFileSync(o.file, path.join(backupsDir(o.storeDir), `${name}.v${parsed.migratedFrom}-before-migration.json`));
        writeJsonDurableSync(o.file, parsed.data as object);
        notices.push(`${name} was upgraded from store version ${parsed.migratedFrom}; the old file is kept in backups/.`);
      }
      return { data: parsed.data, notices };
    }
    why = parsed.why;
  }

  // Damaged: find the newest backup that still validates.
  let restored: { data: T; from: string } | null = null;
  for (const b of listBackups(o.storeDir, name)) {
    const p = parseDocument(o.kind, o.file, { text: fs.readFileSync(b, 'utf8') }, o.schema);
    if (p.ok) {
      restored = { data: p.data, from: b };
      break;
    }
  }
  const data = restored?.data ?? o.rebuild?.() ?? o.empty();
  const source = restored
    ? `restored from the backup of ${fs.statSync(restored.from).mtime.toISOString()} (changes made after it are not in it)`
    : o.rebuild ? 'rebuilt from the session files (run your import again to refresh the import ledger)' : 'started empty: no usable backup was found';

  if (o.readOnly) {
    notices.push(`${name} is damaged (${why}); this read-only view uses data ${source}. Open the store for writing (the app, or any writing command) to repair it.`);
    return { data, notices };
  }
  let movedTo = '';
  if (present) {
    fs.mkdirSync(corruptDir(o.storeDir), { recursive: true });
    movedTo = path.join(corruptDir(o.storeDir), `${name}.${fileStamp()}`);
    fs.renameSync(o.file, movedTo);
  }
  writeJsonDurableSync(o.file, data as object);
  notices.push(`${name} was ${why === 'missing' ? 'missing' : `damaged (${why})`}${movedTo ? `; it was moved to ${movedTo}` : ''} and the store was ${source}.`);
  return { data, notices };
}
