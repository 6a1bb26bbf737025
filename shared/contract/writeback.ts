// Write-back: each agent's lessons rendered into a managed block of its own instruction file
// (CLAUDE.md, AGENTS.md, GEMINI.md, .cursor/rules/reverie.mdc, .clinerules). Preview first (a
// unified diff per file), then apply (with a backup); a hand edit inside the block is offered back.
import { z } from 'zod';
import { AgentTool, IsoDate, Lesson } from '../model';
import { mutation, query } from './define';

/** A difference between what Reverie last wrote into a block and what the file holds now. */
export const BlockEdit = z.object({
  kind: z.enum(['changed', 'added', 'removed']),
  /** The lesson the line was rendered from; null for a line the user added. */
  lessonId: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type BlockEdit = z.infer<typeof BlockEdit>;

export const TargetStatus = z.enum([
  'create', // the file does not exist yet
  'insert', // the file exists without a block: the block is appended, the rest kept
  'update', // the block changes
  'unchanged', // nothing to do (a second run)
  'edited', // the user edited the block by hand: offered back, not overwritten
  'skipped', // no file for this tool, or its project folder is not on this machine
  'error', // e.g. a begin marker without an end marker
]);
export type TargetStatus = z.infer<typeof TargetStatus>;

export const WritebackTarget = z.object({
  agentIds: z.array(z.string()),
  tool: AgentTool,
  /** Absolute path of the instruction file; null when skipped for want of one. */
  file: z.string().nullable(),
  status: TargetStatus,
  /** Why it was skipped, what went wrong, or what the edit means. */
  reason: z.string().optional(),
  /** Unified diff of the whole file, empty when unchanged. */
  diff: z.string(),
  /** Lessons in the block, most important first. */
  lessonIds: z.array(z.string()),
  /** Lessons that apply but did not fit the size budget (or the per-agent lesson cap). */
  omitted: z.array(z.string()),
  chars: z.number().int().nonnegative(),
  budget: z.number().int().nonnegative(),
  edits: z.array(BlockEdit),
  /**
   * Lessons held back because they contradict a rule the user wrote by hand in the same file (the
   * user's own words win; pinned lessons are written anyway and only reported).
   */
  conflicts: z.array(z.object({ lessonId: z.string(), line: z.number().int().positive(), rule: z.string(), reason: z.string(), heldBack: z.boolean() })).default([]),
  /** Where the previous file was copied before it was written (apply only). */
  backup: z.string().optional(),
  written: z.boolean(),
});
export type WritebackTarget = z.infer<typeof WritebackTarget>;

export const WritebackResult = z.object({ at: IsoDate, dryRun: z.boolean(), targets: z.array(WritebackTarget) });
export type WritebackResult = z.infer<typeof WritebackResult>;

const Select = z
  .object({
    /** Agent ids or names; absent = every agent. */
    agents: z.array(z.string().min(1)).optional(),
  })
  .strict();

/** What Reverie has written where, for the Lessons screen ("in CLAUDE.md since …"). */
export const WritebackStatus = z.object({
  files: z.array(z.object({ file: z.string(), agentIds: z.array(z.string()), writtenAt: IsoDate, lessonIds: z.array(z.string()) })),
  lessons: z.record(z.string(), z.object({ firstWrittenAt: IsoDate, lastWrittenAt: IsoDate, files: z.array(z.string()) })),
});
export type WritebackStatus = z.infer<typeof WritebackStatus>;

export const writeback = {
  'writeback.status': query(z.object({}).strict().default({}), WritebackStatus),
  'writeback.preview': query(Select.default({}), WritebackResult),
  /** Writes every target whose preview is create/insert/update; `force` also overwrites hand edits. */
  'writeback.apply': mutation(Select.extend({ force: z.boolean().default(false) }).default({ force: false }), WritebackResult),
  /** Takes a hand-edited block back as lesson edits (changed → edited text, added → a user lesson, removed → retired). */
  'writeback.adopt': mutation(z.object({ file: z.string().min(1) }).strict(), z.object({ file: z.string(), changed: z.array(Lesson), added: z.array(Lesson), retired: z.array(Lesson) })),
};
