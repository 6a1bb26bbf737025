// Following the agents: sources (log folders) whose new and grown session files are imported in the
// background by a file watcher, and the store at a glance (`reverie status`).
import { z } from 'zod';
import { AgentTool, ImportResult, IsoDate } from '../model';
import { NoInput, mutation, query } from './define';

/** A followed source, kept in the store's main document. */
export const FollowedSource = z.object({
  /** Absolute path of a folder (or one file) to watch. */
  path: z.string().min(1),
  /** The tool discovery found there; null when the user named the folder. */
  tool: AgentTool.nullable().default(null),
  label: z.string().nullable().default(null),
  enabled: z.boolean().default(true),
  addedAt: IsoDate,
  /** When the watcher last imported something changed in this source (a clean run with nothing new does not count). */
  lastImportAt: IsoDate.nullable().default(null),
  lastImport: z.object({ files: z.number().int().nonnegative(), sessions: z.number().int().nonnegative(), events: z.number().int().nonnegative() }).nullable().default(null),
  /** The last problem (an unreadable file, a store held by another process); cleared by the next clean import. */
  lastError: z.string().nullable().default(null),
  lastErrorAt: IsoDate.nullable().default(null),
});
export type FollowedSource = z.infer<typeof FollowedSource>;

export const FollowList = z.object({
  sources: z.array(FollowedSource),
  /** Whether this host runs the watcher (the app and `serve` do; a one-shot CLI command does not). */
  watching: z.boolean(),
});
export type FollowList = z.infer<typeof FollowList>;

export const StoreStatus = z.object({
  storeDir: z.string(),
  sessions: z.object({
    count: z.number().int().nonnegative(),
    events: z.number().int().nonnegative(),
    /** Imported since the last dream (what "after N new sessions" counts). */
    undreamt: z.number().int().nonnegative(),
    /** Newest session start, ISO. */
    newest: IsoDate.nullable(),
  }),
  agents: z.array(z.object({ id: z.string(), name: z.string(), tool: AgentTool, sessions: z.number().int().nonnegative() })),
  lessons: z.object({ active: z.number().int().nonnegative(), candidate: z.number().int().nonnegative(), retired: z.number().int().nonnegative(), pinned: z.number().int().nonnegative() }),
  followed: z.array(FollowedSource),
  watching: z.boolean(),
  lastDream: z.object({ id: z.string(), finishedAt: IsoDate, status: z.string(), changes: z.number().int().nonnegative() }).nullable(),
  nextDream: z.object({
    /** When the cron schedule is next due (null: no schedule). */
    scheduledAt: IsoDate.nullable(),
    /** The "after N new sessions" trigger: 0 = off. */
    afterNewSessions: z.number().int().nonnegative(),
    /** Sessions still to come before that trigger fires (null when it is off). */
    sessionsToGo: z.number().int().nonnegative().nullable(),
    whenIdle: z.boolean(),
  }),
});
export type StoreStatus = z.infer<typeof StoreStatus>;

export const follow = {
  'follow.list': query(NoInput, FollowList),
  /** Follows folders (or re-enables them); the watcher imports what they hold now and whatever changes later. */
  'follow.add': mutation(z.object({ paths: z.array(z.string().min(1)).min(1), tool: AgentTool.optional(), label: z.string().optional() }), FollowList),
  'follow.set': mutation(z.object({ path: z.string().min(1), enabled: z.boolean() }), FollowList),
  /** Stops following (the sessions already imported stay). */
  'follow.remove': mutation(z.object({ path: z.string().min(1) }), FollowList),
  /** Imports files (or folders) that changed in followed sources and records the outcome on each source. */
  'follow.import': mutation(z.object({ paths: z.array(z.string().min(1)).min(1) }), ImportResult),
  'app.status': query(NoInput, StoreStatus),
};
