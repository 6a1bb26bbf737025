import { z } from 'zod';
import { Agent, ImportResult } from '../model';
import { NoInput, mutation, query } from './define';

export const AppInfo = z.object({
  version: z.string(),
  storeDir: z.string(),
  /** 'electron' | 'browser' | 'cli': lets the UI hide what a host cannot do (safeStorage, native dialogs). */
  host: z.enum(['electron', 'browser', 'cli']),
  /** `heldBack`: lessons the user deleted, rejected or undid, whose patterns no dream re-learns (for good, or until they recur more). */
  counts: z.object({ sessions: z.number(), events: z.number(), lessons: z.number(), agents: z.number(), dreams: z.number(), heldBack: z.number() }),
  empty: z.boolean(),
  demoAvailable: z.boolean(),
  /** What the store had to tell at open: a repaired or migrated document, a lock cleared after a crash. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const app = {
  'app.info': query(NoInput, AppInfo),
  'app.loadDemo': mutation(NoInput, ImportResult),
  'agents.list': query(NoInput, z.array(Agent)),
};
