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
