// What the store's files contain, as zod schemas: every file is validated when read, so a
// hand-edited or corrupt file is reported instead of silently poisoning the app.
import { z } from 'zod';
import { Agent, Dream, LedgerEntry, Lesson, Session, SessionEvent, Settings, Signal, Tombstone } from '../../../shared/model';

export const SCHEMA_VERSION = 1;

/** The small main document: everything the UI needs to open, nothing per-event. */
export const MainDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  settings: Settings,
  agents: z.array(Agent),
  lessons: z.array(Lesson),
  tombstones: z.array(Tombstone),
  dreams: z.array(Dream),
});
export type MainDoc = z.infer<typeof MainDoc>;

/** The session index and import ledger: rewritten by imports only, so lesson edits stay cheap. */
export const IndexDoc = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  sessions: z.array(Session),
  ledger: z.record(z.string(), LedgerEntry),
});
export type IndexDoc = z.infer<typeof IndexDoc>;

/** One file per session: its normalized events and the signals extracted from them at import. */
export const SessionDoc = z.object({ session: Session, events: z.array(SessionEvent), signals: z.array(Signal) });
export type SessionDoc = z.infer<typeof SessionDoc>;

export const emptyMain = (): MainDoc => ({ schemaVersion: SCHEMA_VERSION, settings: Settings.parse({}), agents: [], lessons: [], tombstones: [], dreams: [] });
export const emptyIndex = (): IndexDoc => ({ schemaVersion: SCHEMA_VERSION, sessions: [], ledger: {} });
