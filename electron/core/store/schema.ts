// What the store's files contain, as zod schemas: every file is validated when read, so a
// hand-edited or corrupt file is reported instead of silently poisoning the app.
// Version history (migrations.ts turns any older document into the current shape):
//   1  foundation: settings, agents, lessons, tombstones, dreams / sessions, ledger
//   2  the dream scheduler's state in the main document (last run, next due time, run log)
//   3  sessions in append-only segment files: the index says where each session's record is
//      (locations) and how far the active segment was committed (tail); a v2 store's session files
//      are converted at the first writable open (legacyFiles until then)
//   4  index.json is a small head: session summaries and the import ledger move to an append-only
//      log it names (index-log.ts); which sessions are not dreamt over yet is a list in the head.
//      A v3 index carries them inline until the first writable open writes the log
//   5  the dream history leaves reverie.json for an append-only log it names (dream-log.ts): a v4
//      document carries its dreams inline until the first writable open writes the log. The index
//      changed nothing; its version moves in step
import { z } from 'zod';
import { FollowedSource } from '../../../shared/contract/follow';
import { SchedulerRun } from '../../../shared/contract/scheduler';
import { Agent, Dream, IsoDate, LedgerEntry, Lesson, Session, SessionEvent, Settings, Signal, Tombstone } from '../../../shared/model';

export const SCHEMA_VERSION = 5;

/** The scheduler's memory across restarts: what makes "catch up after the app was closed" possible. */
export const SchedulerState = z.object({
  lastRunAt: IsoDate.nullable(),
  /** When the cron schedule is next due; a past value at start means a run was missed. */
  nextDueAt: IsoDate.nullable(),
  /** The cron pattern nextDueAt was computed from (a changed pattern recomputes it instead of catching up). */
  cron: z.string().nullable(),
  /** Newest last, capped (RUN_LOG_LIMIT). */
  runs: z.array(SchedulerRun),
});
export type SchedulerState = z.infer<typeof SchedulerState>;
export const RUN_LOG_LIMIT = 200;

/** The main document as the store works with it: everything the UI needs to open, nothing per-event. */
export const MainDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  settings: Settings,
  agents: z.array(Agent),
  lessons: z.array(Lesson),
  tombstones: z.array(Tombstone),
  dreams: z.array(Dream),
  scheduler: SchedulerState,
  /** Followed sources (issue 16): absent in older documents, so no version step is needed. */
  follow: z.array(FollowedSource).default([]),
});
export type MainDoc = z.infer<typeof MainDoc>;

/**
 * The history as a dream needs it: whether one waits for review (no dream starts then), and the
 * retirements and merges the user undid (dreaming/review.ts undoneChanges), which the next dreams do
 * not redo behind their back. A few hundred bytes, against megabytes of dreams a dream would read.
 */
export const DreamDigest = z.object({
  pending: z.array(z.string()),
  undone: z.array(z.object({ op: z.enum(['retire', 'merge']), lessonId: z.string(), sessions: z.number().int().nonnegative() })),
});
export type DreamDigest = z.infer<typeof DreamDigest>;

/** The dream log reverie.json names (dream-log.ts), and what is in its committed part. */
export const DreamLogRef = z.object({
  file: z.string().regex(/^dreams-\d{6,}\.log$/),
  /** Committed bytes: lines past them were appended by a writer that did not commit. */
  length: z.number().int().nonnegative(),
  /** Lines in the committed part and the dreams they hold (the rest are replaced versions: what a compaction drops). */
  lines: z.number().int().nonnegative(),
  dreams: z.number().int().nonnegative(),
  /** What a dream asks of the history, kept so it need not read it (absent in logs written before it: then it reads them). */
  digest: DreamDigest.optional(),
});
export type DreamLogRef = z.infer<typeof DreamLogRef>;

/**
 * reverie.json as written: the main document with its dreams in the log it names. `dreams` inline is
 * a v4 document (or a new store's empty list), moved into a log at the first writable open.
 */
export const MainFile = MainDoc.omit({ dreams: true }).extend({
  dreamLog: DreamLogRef.nullable().default(null),
  dreams: z.array(Dream).optional(),
});
export type MainFile = z.infer<typeof MainFile>;

const Count = z.number().int().nonnegative();
/** Segment number, byte offset and length of a session's newest record (segments.ts). */
export const SessionLocation = z.tuple([Count, Count, Count]);

/** Where the session summaries and ledger entries are (index-log.ts), and what is in the committed part. */
export const IndexLog = z.object({
  file: z.string().regex(/^index-\d{6,}\.log$/),
  /** Committed bytes: lines past them were appended by a writer that did not commit. */
  length: Count,
  /** Lines in the committed part, and how many of them are live (the rest are superseded: what a compaction drops). */
  lines: Count,
  sessions: Count,
  ledger: Count,
});
export type IndexLog = z.infer<typeof IndexLog>;

/**
 * The session index's head (index.json, the commit point of imports and dreams): small at any store
 * size, so a dream or an import into a large store neither parses nor rewrites every session.
 */
export const IndexDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** Session id → where its record is in sessions/seg-*.log. */
  locations: z.record(z.string(), SessionLocation),
  /** The active segment and its committed length: records past it were appended by an import that did not commit. */
  tail: z.object({ segment: Count, length: Count }),
  /** Sessions not dreamt over yet (an incremental dream reads these). */
  undreamt: z.array(z.string()),
  /** Every agent some session belongs to (an import heals agents missing from reverie.json without reading every summary). */
  agents: z.array(z.string()),
  /** The log of summaries and ledger entries; null before the first one is written. */
  log: IndexLog.nullable(),
  /** Inline summaries and ledger (a v3 index, or one rebuilt from the segments): moved to a log at the first writable open. */
  sessions: z.array(Session).optional(),
  ledger: z.record(z.string(), LedgerEntry).optional(),
  /** Sessions still in the v2 layout (sessions/ab/<id>.json): until the first writable open converts them. */
  legacyFiles: z.boolean().optional(),
});
export type IndexDoc = z.infer<typeof IndexDoc>;

/** IndexDoc's outer shape; its entries are checked one by one (IndexDocInPlace). */
const IndexShell = IndexDoc.extend({
  sessions: z.array(z.unknown()).optional(),
  ledger: z.record(z.string(), z.unknown()).optional(),
  locations: z.record(z.string(), z.unknown()),
});

const BigParts = { locations: true, sessions: true, ledger: true, undreamt: true, agents: true } as const;
const SmallShell = IndexShell.omit(BigParts);
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const allStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * IndexShell's answer without zod walking the large parts: zod copies every entry of a record or
 * array it checks, and the head holds 100,000 locations and ids at a year of logs. Those parts get
 * their shape checked here (their entries by validateEntries); anything off goes to zod for its message.
 */
function parseShell(raw: unknown): ReturnType<typeof IndexShell.safeParse> {
  if (!isPlain(raw) || !isPlain(raw.locations) || !allStrings(raw.undreamt) || !allStrings(raw.agents) || (raw.sessions !== undefined && !Array.isArray(raw.sessions)) || (raw.ledger !== undefined && !isPlain(raw.ledger))) return IndexShell.safeParse(raw);
  const { locations, sessions, ledger, undreamt, agents, ...rest } = raw;
  const small = SmallShell.safeParse(rest);
  if (!small.success) return small as ReturnType<typeof IndexShell.safeParse>;
  return { success: true, data: { ...small.data, locations, undreamt, agents, ...(sessions !== undefined ? { sessions } : {}), ...(ledger !== undefined ? { ledger } : {}) } } as ReturnType<typeof IndexShell.safeParse>;
}

/** Deep equality of two parsed JSON values, key order aside. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(rb);
  if (keys.length !== Object.keys(ra).length) return false;
  for (const k of keys) if (!Object.hasOwn(ra, k) || !sameData(ra[k], rb[k])) return false;
  return true;
}

/**
 * Validates each entry of `entries` with `schema`. zod answers with a validated copy; an entry whose
 * copy equals it (nothing dropped or filled in, the usual case) is kept as it was parsed, so the copy
 * dies young instead of the index being held twice. Returns the first entry's problems, if any.
 */
function validateEntries(entries: Record<string, unknown> | unknown[], schema: z.ZodType, name: string, valid?: (v: unknown) => boolean): z.ZodError | null {
  const list = entries as Record<string, unknown>;
  const isArray = Array.isArray(entries);
  for (const k of Object.keys(entries)) {
    if (valid?.(list[k])) continue;
    const r = schema.safeParse(list[k]);
    if (!r.success) return new z.ZodError(r.error.issues.map((i) => ({ ...i, path: [name, isArray ? Number(k) : k, ...i.path] })));
    if (!sameData(list[k], r.data)) list[k] = r.data;
  }
  return null;
}

const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
/** SessionLocation's check without zod: 100,000 of them are in the head every dream and import opens (zod says what is wrong when this says no). */
const isLocation = (v: unknown) => Array.isArray(v) && v.length === 3 && isCount(v[0]) && isCount(v[1]) && isCount(v[2]);

/**
 * IndexDoc validated in place: the same answer as IndexDoc.safeParse (key order aside), without a
 * second copy of the whole index. At 20,000 sessions the parsed index and zod's copy of it were the
 * largest allocation of a re-import (megabytes of JSON, held twice until a full collection).
 */
export const IndexDocInPlace = {
  safeParse(raw: unknown): { success: true; data: IndexDoc } | { success: false; error: z.ZodError } {
    const shell = parseShell(raw);
    if (!shell.success) return { success: false, error: shell.error };
    const d = shell.data;
    const error = validateEntries(d.sessions ?? [], Session, 'sessions') ?? validateEntries(d.ledger ?? {}, LedgerEntry, 'ledger') ?? validateEntries(d.locations, SessionLocation, 'locations', isLocation);
    return error ? { success: false, error } : { success: true, data: d as IndexDoc };
  },
};

/** One file per session: its normalized events and the signals extracted from them at import. */
export const SessionDoc = z.object({ session: Session, events: z.array(SessionEvent), signals: z.array(Signal) });
export type SessionDoc = z.infer<typeof SessionDoc>;
/** A session record read for its signals only (an incremental dream): its events are neither validated nor kept. */
export const SessionSignals = SessionDoc.omit({ events: true });
export type SessionSignals = z.infer<typeof SessionSignals>;

export const emptySchedulerState = (): SchedulerState => ({ lastRunAt: null, nextDueAt: null, cron: null, runs: [] });
export const emptyMain = (): MainDoc => ({
  schemaVersion: SCHEMA_VERSION,
  settings: Settings.parse({}),
  agents: [],
  lessons: [],
  tombstones: [],
  dreams: [],
  scheduler: emptySchedulerState(),
  follow: [],
});
export const emptyIndex = (): IndexDoc => ({ schemaVersion: SCHEMA_VERSION, locations: {}, tail: { segment: 1, length: 0 }, undreamt: [], agents: [], log: null });
