// What the store's files contain, as zod schemas: every file is validated when read, so a
// hand-edited or corrupt file is reported instead of silently poisoning the app.
// Version history (migrations.ts turns any older document into the current shape):
//   1  foundation: settings, agents, lessons, tombstones, dreams / sessions, ledger
//   2  the dream scheduler's state in the main document (last run, next due time, run log)
//   3  sessions in append-only segment files: the index says where each session's record is
//      (locations) and how far the active segment was committed (tail); a v2 store's session files
//      are converted at the first writable open (legacyFiles until then)
import { z } from 'zod';
import { FollowedSource } from '../../../shared/contract/follow';
import { SchedulerRun } from '../../../shared/contract/scheduler';
import { Agent, Dream, IsoDate, LedgerEntry, Lesson, Session, SessionEvent, Settings, Signal, Tombstone } from '../../../shared/model';

export const SCHEMA_VERSION = 3;

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

/** The small main document: everything the UI needs to open, nothing per-event. */
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

const Count = z.number().int().nonnegative();
/** Segment number, byte offset and length of a session's newest record (segments.ts). */
export const SessionLocation = z.tuple([Count, Count, Count]);

/** The session index and import ledger: rewritten by imports only, so lesson edits stay cheap. */
export const IndexDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  sessions: z.array(Session),
  ledger: z.record(z.string(), LedgerEntry),
  /** Session id → where its record is in sessions/seg-*.log. */
  locations: z.record(z.string(), SessionLocation),
  /** The active segment and its committed length: records past it were appended by an import that did not commit. */
  tail: z.object({ segment: Count, length: Count }),
  /** Sessions still in the v2 layout (sessions/ab/<id>.json): until the first writable open converts them. */
  legacyFiles: z.boolean().optional(),
});
export type IndexDoc = z.infer<typeof IndexDoc>;

/** IndexDoc's outer shape; its entries are checked one by one (IndexDocInPlace). */
const IndexShell = IndexDoc.extend({
  sessions: z.array(z.unknown()),
  ledger: z.record(z.string(), z.unknown()),
  locations: z.record(z.string(), z.unknown()),
});

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
function validateEntries(entries: Record<string, unknown> | unknown[], schema: z.ZodType, name: string): z.ZodError | null {
  const list = entries as Record<string, unknown>;
  const isArray = Array.isArray(entries);
  for (const k of Object.keys(entries)) {
    const r = schema.safeParse(list[k]);
    if (!r.success) return new z.ZodError(r.error.issues.map((i) => ({ ...i, path: [name, isArray ? Number(k) : k, ...i.path] })));
    if (!sameData(list[k], r.data)) list[k] = r.data;
  }
  return null;
}

/**
 * IndexDoc validated in place: the same answer as IndexDoc.safeParse (key order aside), without a
 * second copy of the whole index. At 20,000 sessions the parsed index and zod's copy of it were the
 * largest allocation of a re-import (megabytes of JSON, held twice until a full collection).
 */
export const IndexDocInPlace = {
  safeParse(raw: unknown): { success: true; data: IndexDoc } | { success: false; error: z.ZodError } {
    const shell = IndexShell.safeParse(raw);
    if (!shell.success) return { success: false, error: shell.error };
    const d = shell.data;
    const error = validateEntries(d.sessions, Session, 'sessions') ?? validateEntries(d.ledger, LedgerEntry, 'ledger') ?? validateEntries(d.locations, SessionLocation, 'locations');
    return error ? { success: false, error } : { success: true, data: d as IndexDoc };
  },
};

/** One file per session: its normalized events and the signals extracted from them at import. */
export const SessionDoc = z.object({ session: Session, events: z.array(SessionEvent), signals: z.array(Signal) });
export type SessionDoc = z.infer<typeof SessionDoc>;

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
export const emptyIndex = (): IndexDoc => ({ schemaVersion: SCHEMA_VERSION, sessions: [], ledger: {}, locations: {}, tail: { segment: 1, length: 0 } });
