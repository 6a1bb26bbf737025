// Finding candidate files and looking at their first bytes: everything the pipeline decides before
// a format importer runs (is it readable, empty, binary, unchanged since the last import?).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportError } from '../../../shared/model';
import { readFullyAt } from '../store/files';

/** Walking a folder picks these; a file named explicitly is always tried (detection is by content). */
const CANDIDATE = /\.(jsonl|json|md|traj)$/i;
/** Cursor (a VS Code-family editor) keeps its chats in SQLite databases of this name. */
export const EDITOR_DB = 'state.vscdb';
export const SKIP_DIRS = new Set(['node_modules', '.git', 'tool-results']);

/** Whether a file met while walking (or seen by the watcher) may hold sessions. */
export function isCandidateFile(p: string): boolean {
  return CANDIDATE.test(p) || path.basename(p) === EDITOR_DB;
}
export const HEAD_BYTES = 64 * 1024;

/** `explicit`: named on the command line (always reported), rather than found by walking a folder. */
export interface Candidate { file: string; size: number; explicit: boolean }

/**
 * Walks the given paths. Folder links are followed (a linked project folder is common), so every
 * folder and file is remembered by its real path: a link back to a parent cannot loop, and a file
 * reached through two links is imported once (under the first path met).
 */
export function collectFiles(paths: string[], errors: ImportError[]): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();
  const realOf = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  const visit = (p: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      errors.push({ file: p, reason: `cannot read: ${describeFsError(err)}` });
      return;
    }
    if (st.isDirectory()) {
      const real = realOf(p);
      if (visitedDirs.has(real)) return;
      visitedDirs.add(real);
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch (err) {
        errors.push({ file: p, reason: `cannot list folder: ${describeFsError(err)}` });
        return;
      }
      // An editor's storage folder (Cursor's globalStorage, workspaceStorage/<hash>): its database is
      // the log; the rest is editor and extension state (workspace.json, caches), not sessions.
      if (names.includes(EDITOR_DB)) return visit(path.join(p, EDITOR_DB), false);
      for (const name of names) if (!SKIP_DIRS.has(name)) visit(path.join(p, name), false);
    } else if (st.isFile() && (explicit || isCandidateFile(p))) {
      const real = realOf(p);
      if (seen.has(real)) return;
      seen.add(real);
      out.push({ file: p, size: st.size, explicit });
    }
  };
  for (const p of paths) visit(path.resolve(p), true);
  return out;
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EBUSY') return 'locked by another program (try again when it is closed)';
  return code ?? (err as Error).message;
}

export function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    // Not zero-filled: only the bytes read are handed out (10,000 small logs zero-filled 640 MB for nothing).
    // Fewer bytes than HEAD_BYTES: the end of the file, the head is all of it.
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    return buf.subarray(0, readFullyAt(fd, buf, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** NUL bytes or many invalid UTF-8 sequences: an image, an archive, a database — not a log. */
export function looksBinary(head: Buffer): boolean {
  if (head.includes(0)) return true;
  const text = head.toString('utf8');
  return text.split('\uFFFD').length - 1 > Math.max(8, text.length / 100);
}

/** Identifies "the same file": a grown file keeps its head; a replaced one does not. */
/**
 * Hash of a file's first `length` bytes, read in 1 MB pieces: whether the part of a grown file that was
 * imported is still what it was. Reading to hash runs at disk/memory speed, far below parsing again.
 */
export function prefixHash(file: string, length: number): string {
  const h = createHash('sha1');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(length, 1024 * 1024));
    for (let at = 0; at < length; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, length - at), at);
      if (!n) return 'short';
      h.update(buf.subarray(0, n));
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

export const headHash = (head: Buffer) => createHash('sha256').update(head.subarray(0, 4096)).digest('hex').slice(0, 32);

/** JSON.parse reports "position N": turn it into the line a person can open. */
export function lineOfPosition(file: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(pos, 64 * 1024 * 1024));
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      let line = 1;
      for (let i = 0; i < n; i++) if (buf[i] === 10) line++;
      return line;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
