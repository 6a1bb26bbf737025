import type { Change, Lesson, Settings, Tombstone } from '../../../shared/model';
import type { HelperLauncher } from './cluster-helper';
import type { DreamDigest } from '../store/schema';

export interface SessionLocations { ids: string[]; at: Float64Array }

/** What the worker needs to compute a dream: a snapshot, never a live store handle. */
export interface DreamInput {
  storeDir: string;
  full: boolean;
  /** Sessions whose signals this dream reads. */
  sessionIds: string[];
  lessons: Lesson[];
  tombstones: Tombstone[];
  settings: Settings;
  now: string;
  agentNames: Record<string, string>;
  /** Where the worker writes the updated observation index (absent: a preview, nothing written). */
  indexOut?: string;
  /**
   * Where each session's record is in the store's segments (a store still in the v2 layout has none:
   * its files are read): session `ids[i]`'s segment, offset and length at `at[3i]`, `at[3i+1]`,
   * `at[3i+2]` (NaN: none). Arrays, not an object keyed by id: the input is copied to the worker, and
   * at 100,000 sessions a 100,000-key object took ~0.4 s to copy across, flat arrays ~0.06 s.
   */
  locations?: SessionLocations;
  /** Every session in the store: an incremental dream falls back to these when the index is damaged. */
  allSessionIds?: string[];
  /**
   * Retirements and merges the user undid (with the sessions of support the lesson had): not
   * redone until the lesson's pattern recurs in more sessions. Adds undone are tombstones instead.
   */
  undone?: UndoneChange[];
}

/** One retirement or merge of an undone dream: the shape reverie.json keeps in the history's digest. */
export type UndoneChange = DreamDigest['undone'][number];

export interface DreamOutput {
  changes: Change[];
  stats: { sessionsRead: number; signalsRead: number; patterns: number };
  message?: string;
}

/**
 * What a worker starts with: the dream's input, or (warm, runner.ts) the store whose observation index
 * to read while the input is worked out; and how to start the thread that clusters beside it (cluster-helper.ts).
 */
export type WorkerStart = (DreamInput | { warm: string }) & { helper?: HelperLauncher };

export type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'result'; output: DreamOutput }
  /** After the result: `indexOut` is written (runner.ts startDreamInWorker). */
  | { type: 'index-written' }
  | { type: 'error'; message: string };
