// The session index's log (store v4): session summaries and import-ledger entries, one per line,
// appended as they change and read only by the commands that need them. index.json, the small head
// that is the commit point, names the log file and how many of its bytes are committed; bytes past
// that belong to a writer that did not commit and are cut off at the next writable open, exactly like
// an uncommitted segment tail. A later line for the same session (or file) replaces an earlier one;
// a compaction writes the live lines into a new file that the next head names.
//
// Line format: `S <Session JSON without dreamt>` or `L <LedgerEntry JSON>`, then `\n`. Why lines and
// not one document: at 100,000 sessions the index was 77 MB of JSON that every writing command parsed
// whole (1.6 s, over 100 MB held) and every import and dream rewrote whole, to add 300 sessions or
// mark 500 as dreamt over.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { LedgerEntry, Session } from '../../../shared/model';
import { fsyncDir, numberedFiles } from './files';

export const logName = (n: number) => `index-${String(n).padStart(6, '0')}.log`;
export const LOG_FILE = /^index-(\d{6,})\.log$/;

/** A session summary as the log keeps it: whether it was dreamt over lives in the head (`undreamt`). */
export type Summary = Omit<Session, 'dreamt'>;

export const sessionLine = (s: Session | Summary): string => {
  const { dreamt: _ignored, ...summary } = s as Session;
  return `S ${JSON.stringify(summary)}\n`;
};
export const ledgerLine = (e: LedgerEntry): string => `L ${JSON.stringify(e)}\n`;

/** The log files present in the store folder, by number. */
export const listLogs = (dir: string): number[] => numberedFiles(dir, LOG_FILE);

export class LogDamaged extends Error {}

/** A log (the index's, the dreams') is written anew once its superseded lines outnumber the live ones and it passes this size. */
export const LOG_COMPACT_MIN_BYTES = 1024 * 1024;

/** Whether a log of `lines` committed lines, `live` of them current, and `length` bytes is due for compaction. */
export const compactionDue = (lines: number, live: number, length: number): boolean => lines - live > live && length > LOG_COMPACT_MIN_BYTES;

const SummarySchema = Session.omit({ dreamt: true });
const CHUNK = 4 << 20;

/**
 * Calls `onLine` for every line of kind `kind` in the first `length` bytes of `file`, parsed and
 * validated. Lines of the log's other kinds (`kinds`) are skipped by their first byte, unparsed.
 * Throws LogDamaged when the file is shorter than `length` or a line of this kind does not parse or
 * validate; the lines before it have been passed to `onLine`. The dream log (dream-log.ts) is read
 * by it too.
 */
export function readLines<T>(file: string, length: number, kind: string, schema: z.ZodType<T>, onLine: (value: T) => void, kinds = 'SL'): void {
  const want = kind.charCodeAt(0);
  const known = new Set([...kinds].map((k) => k.charCodeAt(0)));
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new LogDamaged(`${path.basename(file)} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    if (fs.fstatSync(fd).size < length) throw new LogDamaged(`${path.basename(file)} is shorter than its committed length`);
    let carry = Buffer.alloc(0);
    let at = 0;
    let line = 0;
    while (at < length) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, length - at));
      const n = fs.readSync(fd, chunk, 0, chunk.length, at);
      if (n <= 0) throw new LogDamaged(`${path.basename(file)} ended early`);
      at += n;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        line++;
        if (buf[start] === want) {
          let value: unknown;
          try {
            value = JSON.parse(buf.toString('utf8', start + 2, nl));
          } catch {
            throw new LogDamaged(`line ${line} of ${path.basename(file)} is not valid JSON`);
          }
          const r = schema.safeParse(value);
          if (!r.success) throw new LogDamaged(`line ${line} of ${path.basename(file)} does not match the store schema`);
          onLine(r.data);
        } else if (!known.has(buf[start]!)) throw new LogDamaged(`line ${line} of ${path.basename(file)} is of no kind this log holds`);
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length) throw new LogDamaged(`${path.basename(file)} ends inside a line`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The session summaries of a log, newest line per session winning, in the order sessions first appeared. */
export function readSummaries(file: string, length: number): Summary[] {
  const list: Summary[] = [];
  const at = new Map<string, number>();
  readLines(file, length, 'S', SummarySchema, (s) => {
    const i = at.get(s.id);
    if (i === undefined) at.set(s.id, list.push(s) - 1);
    else list[i] = s;
  });
  return list;
}

/** What app.info and status show about the sessions, computed without keeping the summaries. */
export interface SessionStats { count: number; events: number; newest: string | null; perAgent: Map<string, number> }

/** The counts over sessions (or the three fields of each the counts need). */
export function statsOf(sessions: Iterable<Counted>): SessionStats {
  const st: SessionStats = { count: 0, events: 0, newest: null, perAgent: new Map() };
  for (const s of sessions) {
    st.count++;
    st.events += s.eventCount;
    if (s.startedAt && (!st.newest || s.startedAt > st.newest)) st.newest = s.startedAt;
    st.perAgent.set(s.agentId, (st.perAgent.get(s.agentId) ?? 0) + 1);
  }
  return st;
}

/** The three fields of a summary the counts need. */
export type Counted = Pick<Summary, 'eventCount' | 'startedAt' | 'agentId'>;

/**
 * What the counts need, straight from a log's summary lines: each line's object dies young and only
 * three small fields per session are kept (the newest line per session counts), a tenth of the
 * summaries' memory.
 */
export function readSummaryCounts(file: string, length: number): Map<string, Counted> {
  const kept = new Map<string, Counted>();
  const agents = new Map<string, string>(); // one copy of each agent id, not one per line
  readLines(file, length, 'S', SummarySchema, (s) => {
    let agentId = agents.get(s.agentId);
    if (agentId === undefined) agents.set(s.agentId, (agentId = s.agentId));
    kept.set(s.id, { eventCount: s.eventCount, startedAt: s.startedAt, agentId });
  });
  return kept;
}

/** The import ledger of a log, newest line per file winning. */
export function readLedger(file: string, length: number): Map<string, LedgerEntry> {
  const map = new Map<string, LedgerEntry>();
  readLines(file, length, 'L', LedgerEntry, (e) => map.set(e.path, e));
  return map;
}

/**
 * Appends lines to a log from its committed length on (what lies past it is an uncommitted writer's
 * and is cut off first). Lines are gathered into writes of about a megabyte; `sync` makes everything
 * written durable, which the head's commit waits for.
 */
export class LogAppender {
  private fd: number;
  private buffered: string[] = [];
  private bufferedBytes = 0;
  /** Bytes in the file, buffered lines included once flushed. */
  length: number;

  constructor(readonly file: string, committed: number) {
    const exists = fs.existsSync(file);
    this.fd = fs.openSync(file, exists ? 'r+' : 'w+');
    if (!exists) fsyncDir(path.dirname(file));
    if (fs.fstatSync(this.fd).size !== committed) fs.ftruncateSync(this.fd, committed);
    this.length = committed;
  }

  append(line: string): void {
    this.buffered.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= 1 << 20) this.flush();
  }

  /** Writes the buffered lines; returns the file's length. */
  flush(): number {
    if (!this.buffered.length) return this.length;
    const buf = Buffer.from(this.buffered.join(''), 'utf8');
    this.buffered = [];
    this.bufferedBytes = 0;
    for (let done = 0; done < buf.length; ) done += fs.writeSync(this.fd, buf, done, buf.length - done, this.length + done);
    this.length += buf.length;
    return this.length;
  }

  sync(): number {
    this.flush();
    fs.fsyncSync(this.fd);
    return this.length;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}
