import { z } from 'zod';
import { AgentTool, ImportResult } from '../model';
import { mutation, NoInput, query } from './define';

/** Where an import stands; the core notifies the topic 'import.progress' while it changes. */
export const ImportProgress = z.object({
  running: z.boolean(),
  phase: z.enum(['idle', 'scanning', 'importing', 'done']),
  file: z.string().nullable(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  sessions: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

/** A known log location found on this machine (~/.claude/projects, ~/.codex/sessions, …). */
export const DiscoveredSource = z.object({
  tool: AgentTool,
  label: z.string(),
  path: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  newest: z.string().nullable(),
  /** What one counted file is: one session (absent, most tools) or a database holding many (Cursor). */
  unit: z.enum(['file', 'database']).optional(),
  /** Conversations counted inside the databases (unit 'database'); null when too big to count quickly. */
  sessions: z.number().int().nonnegative().nullable().optional(),
});
export type DiscoveredSource = z.infer<typeof DiscoveredSource>;

export const imports = {
  'import.paths': mutation(z.object({ paths: z.array(z.string().min(1)).min(1), agent: z.string().optional() }), ImportResult),
  'import.discover': query(NoInput, z.object({ sources: z.array(DiscoveredSource) })),
  'import.progress': query(NoInput, ImportProgress),
};
