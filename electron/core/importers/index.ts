// The import pipeline: walk paths → detect each file's format by content → parse to sessions →
// redact → merge → store. Idempotent through a per-file ledger (path, size, mtime, head hash);
// every problem is reported with its file (and line/record) and never stops the rest of the batch.
import fs from 'node:fs';
import type { ImportError, ImportResult, LedgerEntry } from '../../../shared/model';
import type { WorkerLauncher } from '../dreaming/runner';
import type { Store } from '../store/store';
import { aider } from './aider';
import { chatgpt } from './chatgpt';
import { claudeAi } from './claude-ai';
import { claudeCode } from './claude-code';
import { cline, clineTaskPart } from './cline';
import { codex } from './codex';
import { cursor } from './cursor';
import { cursorDb } from './cursor-db';
import { collectFiles, describeFsError, HEAD_BYTES, headHash, lineOfPosition, looksBinary, prefixHash, readHead } from './files';
import { gemini } from './gemini';
import { generic } from './generic';
import { openHands } from './openhands';
import { sidecars } from './sidecars';
import { RecordPool } from './record-pool';
import { isSqlite, walSignature } from './sqlite';
import { restoreMissingAgents, SessionWrites, storeSession } from './store-session';
import { sweAgent } from './swe-agent';
import type { FormatImporter, ParsedSession } from './types';

export { agentFor } from './store-session';

/** Formats in detection order: the most specific shapes first, the generic fallback last. */
export const IMPORTERS: FormatImporter[] = [claudeCode, codex, gemini, chatgpt, claudeAi, cline, clineTaskPart, sweAgent, openHands, cursor, aider, sidecars, generic];

/** At most this many line/record problems are listed per file (the count of the rest is given). */
const MAX_WARNINGS_PER_FILE = 20;

export interface ImportProgress {
  phase: 'scanning' | 'importing' | 'done';
  file: string | null;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  sessions: number;
  events: number;
  errors: number;
}

export interface ImportOptions {
  /** Overrides the agent name for everything in this batch. */
  agent?: string;
  /** Called often (every file, and while a big file streams); callers throttle what they show. */
  onProgress?: (p: ImportProgress) => void;
  /**
   * The worker thread to prepare session records in (record-pool.ts) when the batch is large: the host's
   * worker entry, the one dreams run in. Without it everything runs in this thread.
   */
  worker?: WorkerLauncher;
  /** A batch of at least this many bytes uses the worker (smaller ones finish before it would have started). */
  workerMinBytes?: number;
}

/**
 * Starting the record worker costs ~0.1 s and ~30 MB: worth it from a few seconds of import on.
 * REVERIE_IMPORT_WORKER_MIN_BYTES overrides it (the kill test runs the CLI's small imports through the worker).
 */
export function recordWorkerMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.REVERIE_IMPORT_WORKER_MIN_BYTES?.trim();
  const n = Number(raw);
  return raw && Number.isFinite(n) && n >= 0 ? n : 16 * 1024 * 1024;
}

export function detectFormat(head: string, file: string): FormatImporter | undefined {
  return IMPORTERS.find((imp) => {
    try {
      return imp.detect(head, file);
    } catch {
      return false;
    }
  });
}

export async function importPaths(store: Store, paths: string[], opts: ImportOptions = {}): Promise<ImportResult> {
  const result: ImportResult = { files: 0, sessions: 0, events: 0, skipped: 0, errors: [] };
  const progress: ImportProgress = { phase: 'scanning', file: null, filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, sessions: 0, events: 0, errors: 0 };
  const emit = () => opts.onProgress?.({ ...progress, sessions: result.sessions, events: result.events, errors: result.errors.length });
  emit();
  const files = collectFiles(paths, result.errors);
  progress.phase = 'importing';
  progress.filesTotal = files.length;
  progress.bytesTotal = files.reduce((n, f) => n + f.size, 0);
  emit();
  const restored = restoreMissingAgents(store);
  if (restored) store.notices.push(`${restored} agent(s) missing after an interrupted import were restored from their sessions.`);
  const roots = rootIndex(store);
  const touched = new Set<string>();
  const pool = opts.worker && progress.bytesTotal >= (opts.workerMinBytes ?? recordWorkerMinBytes()) ? new RecordPool(opts.worker) : null;
  const writes = new SessionWrites(store, pool);
  try {
    for (const { file, size, explicit } of files) {
      progress.file = file;
      const bytesBefore = progress.bytesDone;
      let lastEmit = 0;
      const onBytes = (n: number) => {
        progress.bytesDone = Math.min(bytesBefore + size, progress.bytesDone + n);
        const now = Date.now();
        if (now - lastEmit > 100) (lastEmit = now), emit();
      };
      try {
        await importFile(store, writes, file, explicit, opts, result, roots, touched, onBytes);
      } catch (err) {
        // importFile reports its own problems; anything escaping is a bug, still never fatal for the batch.
        result.errors.push({ file, reason: `import failed: ${(err as Error).message}` });
      }
      progress.filesDone++;
      progress.bytesDone = bytesBefore + size;
      emit();
    }
    // Every session record is on disk before the index (the commit point) names it. The main document
    // (agents) is saved before the index: killed in between, the journal rolls the sessions forward
    // and the ledger does not yet skip their files, so nothing is left pointing at a missing agent.
    for (const f of await writes.flush()) {
      // Counted when read, not stored: taken back, and the file (left unmarked) is read again next time.
      if (touched.delete(f.sessionId)) result.sessions--;
      result.events -= f.events;
      result.errors.push({ file: f.file, reason: `session ${f.sessionId} could not be stored (${f.reason}); the file is read again at the next import` });
    }
    // Every record is in: the worker's memory is given back before the index is written (the import's peak).
    await pool?.close();
    await store.writeMain();
    await store.writeIndex();
  } finally {
    await pool?.close();
  }
  progress.phase = 'done';
  progress.file = null;
  emit();
  return result;
}

/**
 * Copies the strings that outlive the file (ids, title, project go into the index and ledger).
 * A streaming parser hands out substrings that V8 keeps as slices of its whole read chunk: holding
 * one id would pin a megabyte, and a large export would grow memory with its size.
 */
const fresh = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
function detached(p: ParsedSession): ParsedSession {
  return { ...p, id: fresh(p.id), title: fresh(p.title), project: p.project === null ? null : fresh(p.project), ...(p.rootKey ? { rootKey: fresh(p.rootKey) } : {}) };
}

/**
 * Where to read a grown file from: the end of what the last import read, when the format only ever
 * appends to the file's one session, the file is larger, and the bytes before that point hash as
 * they did (nothing was rewritten). Otherwise null: the file is read whole and merged as before.
 */
function resumeFrom(seen: LedgerEntry | undefined, importer: FormatImporter, size: number, hash: string, file: string): { offset: number; line: number } | null {
  if (!seen || !importer.appendable || seen.format !== importer.tool || seen.headHash !== hash) return null;
  if (seen.lines === undefined || !seen.prefixHash || seen.sessionIds.length !== 1 || seen.offset === 0 || size <= seen.offset) return null;
  try {
    return prefixHash(file, seen.offset) === seen.prefixHash ? { offset: seen.offset, line: seen.lines } : null;
  } catch {
    return null;
  }
}

/** Root record key → session id, from the ledger: how a conversation continued in a new file is found. */
function rootIndex(store: Store): Map<string, string> {
  const roots = new Map<string, string>();
  for (const entry of store.index.ledgerEntries()) for (const [k, v] of Object.entries(entry.roots ?? {})) roots.set(k, v);
  return roots;
}

async function importFile(store: Store, writes: SessionWrites, file: string, explicit: boolean, opts: ImportOptions, result: ImportResult, roots: Map<string, string>, touched: Set<string>, onBytes: (n: number) => void): Promise<void> {
  let st: fs.Stats;
  let head: Buffer;
  try {
    st = fs.statSync(file);
    head = readHead(file);
  } catch (err) {
    result.errors.push({ file, reason: `cannot read: ${describeFsError(err)}` });
    return;
  }
  result.files++;
  if (st.size === 0) return void result.errors.push({ file, reason: 'empty file' });
  // Databases are binary but may hold sessions (Cursor's state.vscdb); their recent writes sit in a
  // write-ahead log beside them, so the log's size and time are part of "unchanged since last time".
  const database = isSqlite(head);
  if (database && !cursorDb.detect(head.toString('latin1'), file)) return void result.errors.push({ file, reason: `an SQLite database Reverie does not know (only Cursor's ${'state.vscdb'} is read)` });
  if (!database && looksBinary(head)) return void result.errors.push({ file, line: 1, reason: 'binary file, not a session log' });
  const hash = database ? headHash(Buffer.concat([head.subarray(0, 4096), Buffer.from(walSignature(file))])) : headHash(head);
  const seen = store.index.ledgerEntry(file);
  if (seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs && seen.headHash === hash) {
    result.skipped++;
    return;
  }
  const headText = database ? head.toString('latin1') : head.toString('utf8');
  const importer = database ? cursorDb : detectFormat(headText, file);
  if (!importer) {
    // Markdown met while walking a folder is usually documentation (a README), not a log: skipped quietly.
    if (!explicit && /\.md$/i.test(file)) return void result.skipped++;
    return void result.errors.push({ file, line: 1, reason: 'unknown format: not a session log Reverie can read (see docs/formats.md for the generic shape)' });
  }

  const warnings: ImportError[] = [];
  const from = resumeFrom(seen, importer, st.size, hash, file);
  // Read from where it ended: what is parsed belongs to the one session the file held.
  const sessionIds: string[] = from ? [...seen!.sessionIds] : [];
  // An export holds tens of thousands of conversations: looked up in a set, not searched in the list.
  const known = new Set(sessionIds);
  const fileRoots: Record<string, string> = from ? { ...seen!.roots } : {};
  if (from) result.resumed = (result.resumed ?? 0) + 1;
  let reached: { offset: number; line: number; prefixHash?: string } | null = null;
  let skippedWhy: string | null = null;
  let failure: ImportError | null = null;
  try {
    // A head shorter than HEAD_BYTES is the whole file (readHead reads to the end or to HEAD_BYTES).
    const content = !database && head.length < HEAD_BYTES ? head : undefined;
    const ctx = { file, head: headText, ...(content ? { content } : {}), warn: (w: Omit<ImportError, 'file'>) => warnings.push({ file, ...w }), skip: (why: string) => (skippedWhy = why), onBytes, onReached: (at: { offset: number; line: number; prefixHash?: string }) => (reached = at), ...(from ? { from } : {}) };
    for await (const raw of importer.parse(file, ctx)) {
      const parsed = detached(raw);
      // A conversation continued in another file (same root record) is stored as the session it continues.
      const id = from ? seen!.sessionIds[0]! : (parsed.rootKey && roots.get(parsed.rootKey)) || parsed.id;
      const stored = await storeSession(store, writes, parsed, id, file, opts.agent);
      if (parsed.rootKey && !from) {
        roots.set(parsed.rootKey, id);
        fileRoots[parsed.rootKey] = id;
      }
      if (!known.has(id)) known.add(id), sessionIds.push(id);
      // A session met in several files of one batch counts once.
      if (stored.changed && !touched.has(id)) touched.add(id), result.sessions++;
      result.events += stored.added;
    }
  } catch (err) {
    const message = (err as Error).message;
    failure = { file, ...(lineOfPosition(file, message) ? { line: lineOfPosition(file, message) } : {}), reason: `could not be read as ${importer.tool}: ${message}` };
  }
  const listed = warnings.slice(0, MAX_WARNINGS_PER_FILE);
  if (warnings.length > listed.length) listed.push({ file, reason: `${warnings.length - listed.length} more problem(s) in this file not listed` });
  if (failure) {
    // Sessions read before the failure are kept; the file is not marked imported so a fixed file is read again.
    result.errors.push(failure, ...listed);
    return;
  }
  const end = reached as { offset: number; line: number; prefixHash?: string } | null;
  const entry: LedgerEntry = {
    path: file,
    size: st.size,
    mtimeMs: st.mtimeMs,
    headHash: hash,
    offset: st.size,
    format: importer.tool,
    sessionIds,
    importedAt: new Date().toISOString(),
    ...(Object.keys(fileRoots).length ? { roots: fileRoots } : {}),
    // Where a grown file's next import may start: the end of its last complete line, and what came before.
    ...(importer.appendable && end ? { offset: end.offset, lines: end.line, prefixHash: end.prefixHash ?? prefixHash(file, end.offset) } : {}),
  };
  if (!sessionIds.length && skippedWhy) {
    // Remembered too, so an unchanged subagent summariser or prompt history is not parsed again.
    writes.setLedgerEntry(entry);
    return void result.skipped++;
  }
  if (!sessionIds.length) {
    // A file whose every record failed is an error of the file; a few bad lines are per-line reports.
    result.errors.push(listed[0] ? { ...listed[0], reason: `no session found: ${listed[0].reason}` } : { file, reason: `no conversation found in this ${importer.tool} file` }, ...listed.slice(1));
    return;
  }
  result.errors.push(...listed);
  writes.setLedgerEntry(entry);
}
