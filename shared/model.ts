// The data model of GUIDE.md §2 as zod schemas: the single source of truth for every type that
// crosses a boundary (files on disk, IPC, HTTP, the worker, model output). Types are inferred
// from the schemas so the two can never drift apart.
import { z } from 'zod';

export const IsoDate = z.string().describe('ISO-8601 timestamp');

// ── Agents and sessions ───────────────────────────────────────────────────────────────────────
/** The tools Reverie can read. `generic` is the documented fallback shape (role, content, timestamp). */
export const AgentTool = z.enum([
  'claude-code', 'codex', 'gemini-cli', 'cline', 'aider', 'chatgpt', 'claude-ai', 'swe-agent', 'openhands', 'cursor', 'generic',
]);
export type AgentTool = z.infer<typeof AgentTool>;

/** One tool working in one place: `claude-code:/home/me/src/shop`. The unit of "a team of agents". */
export const Agent = z.object({
  id: z.string(),
  tool: AgentTool,
  project: z.string().nullable(),
  name: z.string(),
});
export type Agent = z.infer<typeof Agent>;

export const EventKind = z.enum(['user', 'assistant', 'thinking', 'tool_call', 'tool_result', 'system']);
export type EventKind = z.infer<typeof EventKind>;

/** Where an event came from, so evidence can point at the very record. */
export const SourceRef = z.object({
  file: z.string(),
  /** 1-based line for line formats, record index / id for JSON documents. */
  line: z.number().int().optional(),
  record: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const SessionEvent = z.object({
  /** Stable across re-imports: derived from the source record (uuid, call id, index). */
  id: z.string(),
  seq: z.number().int().nonnegative(),
  kind: EventKind,
  text: z.string(),
  timestamp: IsoDate.nullable(),
  tool: z.object({ name: z.string(), callId: z.string().optional(), input: z.string().optional() }).optional(),
  /** For tool results: true when the tool failed (is_error, non-zero exit, failed patch…). */
  isError: z.boolean().optional(),
  /** Text the user did not type (system reminders, injected context, compaction summaries). */
  injected: z.boolean().optional(),
  /** The user stopped the agent here (interrupt / rejected tool call). */
  interrupt: z.boolean().optional(),
  rejected: z.boolean().optional(),
  /** The agent reported the task complete here (Cline's completion_result): the next user turn judges it. */
  completion: z.boolean().optional(),
  /** Copied from the session this one was forked from (Codex forks): shown, but counted there, once. */
  copied: z.boolean().optional(),
  /** Events on an abandoned branch (rewind, edit, retry) are kept but marked. */
  branch: z.enum(['active', 'abandoned']).optional(),
  source: SourceRef,
});
export type SessionEvent = z.infer<typeof SessionEvent>;

export const Session = z.object({
  id: z.string(),
  agentId: z.string(),
  tool: AgentTool,
  project: z.string().nullable(),
  title: z.string(),
  startedAt: IsoDate.nullable(),
  endedAt: IsoDate.nullable(),
  eventCount: z.number().int().nonnegative(),
  errorCount: z.number().int().nonnegative(),
  correctionCount: z.number().int().nonnegative(),
  files: z.array(z.string()),
  importedAt: IsoDate,
  /** The session this one was forked from: what both show from before the fork counts once, there. */
  forkedFrom: z.string().optional(),
  /** Set when this session has not been dreamt over yet (incremental dreams read only these). */
  dreamt: z.boolean(),
});
export type Session = z.infer<typeof Session>;

// ── Signals ───────────────────────────────────────────────────────────────────────────────────
export const SignalKind = z.enum(['tool_error', 'correction', 'preference', 'rejection', 'interrupt', 'workflow']);
export type SignalKind = z.infer<typeof SignalKind>;

/** Something from one session that may matter across sessions. Extracted once, at import. */
export const Signal = z.object({
  id: z.string(),
  sessionId: z.string(),
  agentId: z.string(),
  kind: SignalKind,
  /** Normalized signature: equal keys mean "the same thing happened". */
  key: z.string(),
  /** Human-readable gist (the error line, the correction sentence). */
  text: z.string(),
  /** What worked afterwards, when known (the next successful action). */
  fix: z.string().optional(),
  tool: z.string().optional(),
  /** Ordered steps for workflow signals: tool + normalized target. */
  steps: z.array(z.string()).optional(),
  /** For workflow signals, what each step touched (the file edited, the command as typed). */
  targets: z.array(z.string()).optional(),
  eventIds: z.array(z.string()).min(1),
  excerpt: z.string(),
  timestamp: IsoDate.nullable(),
});
export type Signal = z.infer<typeof Signal>;

// ── Lessons ───────────────────────────────────────────────────────────────────────────────────
export const LessonKind = z.enum(['mistake', 'preference', 'workflow', 'practice', 'pitfall']);
export type LessonKind = z.infer<typeof LessonKind>;
export const LessonStatus = z.enum(['candidate', 'active', 'retired']);
export type LessonStatus = z.infer<typeof LessonStatus>;
export const LessonOrigin = z.enum(['learned', 'seeded', 'user']);
export type LessonOrigin = z.infer<typeof LessonOrigin>;

export const Evidence = z.object({
  sessionId: z.string(),
  eventId: z.string(),
  agent: z.string(),
  excerpt: z.string(),
  timestamp: IsoDate.nullable().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Support = z.object({
  sessions: z.number().int().nonnegative(),
  agents: z.number().int().nonnegative(),
  occurrences: z.number().int().nonnegative(),
  firstSeen: IsoDate.nullable(),
  lastSeen: IsoDate.nullable(),
});
export type Support = z.infer<typeof Support>;

export const Lesson = z.object({
  id: z.string(),
  kind: LessonKind,
  title: z.string(),
  text: z.string(),
  /** Agent ids it applies to; ['all'] for a team lesson. */
  agents: z.array(z.string()),
  support: Support,
  confidence: z.number().min(0).max(1),
  evidence: z.array(Evidence),
  origin: LessonOrigin,
  status: LessonStatus,
  pinned: z.boolean(),
  /** The pattern key it distils; tombstones and re-learning are keyed on it. */
  patternKey: z.string(),
  /** True once the user edited the text: user edits win over dream rewording. */
  userEdited: z.boolean().default(false),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** When it became active (the improvement curve's "before/after" line). */
  activatedAt: IsoDate.nullable().default(null),
  /**
   * Every signal key this lesson covers, when it distils more than one (a clustered pattern).
   * Progress and write-back match signals on these plus `patternKey`; absent = just `patternKey`.
   */
  signalKeys: z.array(z.string()).optional(),
  /**
   * Fingerprint of the title and text the heuristic engine last wrote. It rewords only a lesson whose
   * wording is still its own: never one sharpened by the Claude engine or edited by the user.
   */
  autoWording: z.string().optional(),
  /** Where a seeded lesson came from: `pack:node`, or the seed file's name. */
  seedSource: z.string().optional(),
  /** Set when later evidence contradicts the lesson (seeded lessons are flagged, never deleted). */
  contradiction: z.object({ reason: z.string(), evidence: z.array(Evidence), at: IsoDate }).optional(),
});
export type Lesson = z.infer<typeof Lesson>;

export const Tombstone = z.object({
  patternKey: z.string(),
  title: z.string(),
  deletedAt: IsoDate,
  /** Why: deleted by the user / rejected in review (forever), or undone with its dream (until new evidence). Absent = deleted. */
  reason: z.enum(['deleted', 'rejected', 'undone']).optional(),
  /** For 'undone': the sessions of support it had; the pattern may come back once it recurs in more. */
  sessions: z.number().int().nonnegative().optional(),
  /** The text of a deleted seeded or user-written lesson: those match patterns by wording, not by key. */
  text: z.string().optional(),
});
export type Tombstone = z.infer<typeof Tombstone>;

// ── Dreams and changesets ─────────────────────────────────────────────────────────────────────
export const ChangeOp = z.enum(['add', 'reinforce', 'sharpen', 'merge', 'split', 'retire', 'promote']);
export type ChangeOp = z.infer<typeof ChangeOp>;

/** The state of one lesson before and after a change; null = did not exist / removed. */
export const LessonDelta = z.object({ lessonId: z.string(), before: Lesson.nullable(), after: Lesson.nullable() });
export type LessonDelta = z.infer<typeof LessonDelta>;

export const Change = z.object({
  id: z.string(),
  op: ChangeOp,
  lessonId: z.string(),
  before: Lesson.nullable(),
  after: Lesson.nullable(),
  /** Other lessons the change touches (the lessons a merge absorbs, the parts of a split). */
  related: z.array(LessonDelta).default([]),
  /** One line a person can read: why the dream did this. */
  reason: z.string(),
  /** Review mode: pending until the user accepts or rejects it. */
  decision: z.enum(['applied', 'pending', 'accepted', 'rejected']).default('applied'),
});
export type Change = z.infer<typeof Change>;

export const DreamStatus = z.enum(['applied', 'pending', 'undone', 'failed', 'cancelled', 'empty']);
export type DreamStatus = z.infer<typeof DreamStatus>;

export const Dream = z.object({
  id: z.string(),
  startedAt: IsoDate,
  finishedAt: IsoDate,
  engine: z.enum(['heuristic', 'claude']),
  full: z.boolean(),
  status: DreamStatus,
  changes: z.array(Change),
  stats: z.object({
    sessionsRead: z.number().int().nonnegative(),
    signalsRead: z.number().int().nonnegative(),
    patterns: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
  }),
  /** Why nothing was learned, a fallback note, a failure reason. */
  message: z.string().optional(),
  usage: z
    .object({ inputTokens: z.number(), outputTokens: z.number(), cacheReadTokens: z.number(), cacheWriteTokens: z.number(), costUsd: z.number() })
    .optional(),
});
export type Dream = z.infer<typeof Dream>;

// ── Import ────────────────────────────────────────────────────────────────────────────────────
export const ImportError = z.object({ file: z.string(), line: z.number().int().optional(), record: z.string().optional(), reason: z.string() });
export type ImportError = z.infer<typeof ImportError>;

export const ImportResult = z.object({
  files: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Grown files read only from where the last import ended (their earlier part unchanged). */
  resumed: z.number().int().nonnegative().optional(),
  errors: z.array(ImportError),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const LedgerEntry = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  headHash: z.string(),
  /** Bytes already imported (line formats resume from here when the file grew). */
  offset: z.number().int().nonnegative(),
  /** Lines before `offset`, and a hash of the bytes before it: a grown file whose prefix still hashes the same is read from `offset` on. */
  lines: z.number().int().nonnegative().optional(),
  prefixHash: z.string().optional(),
  format: z.string(),
  sessionIds: z.array(z.string()),
  importedAt: IsoDate,
  /**
   * Root record key → session id for the sessions this file holds (Claude Code: the first uuid).
   * A resumed session written to a new file repeats its earlier records; the shared root merges it.
   */
  roots: z.record(z.string(), z.string()).optional(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

// ── Settings ──────────────────────────────────────────────────────────────────────────────────
export const Settings = z.object({
  engine: z.enum(['heuristic', 'claude']).default('heuristic'),
  /** Any Messages API model id; prices for the cost caps are in electron/core/dreaming/claude/models.ts. */
  claudeModel: z.string().default('claude-sonnet-5-5'),
  /** A pattern needs support in at least this many sessions. */
  minSessions: z.number().int().min(2).default(3),
  /** A team lesson (scope: all) needs at least this many agents. */
  minAgentsForTeam: z.number().int().min(2).default(2),
  maxLessonsPerAgent: z.number().int().min(1).default(20),
  reviewMode: z.boolean().default(false),
  schedule: z
    .object({
      cron: z.string().nullable().default('0 3 * * *'),
      afterNewSessions: z.number().int().min(0).default(20),
      whenIdle: z.boolean().default(false),
    })
    .prefault({}),
  writeback: z
    .object({
      auto: z.boolean().default(false),
      claudeTarget: z.enum(['project', 'user']).default('project'),
      /** Size budget of one managed block, in characters: instruction files are read on every turn. */
      maxChars: z.number().int().min(300).max(50_000).default(4000),
    })
    .prefault({}),
  costCapUsd: z.object({ perDream: z.number().min(0).default(0.5), monthly: z.number().min(0).default(5) }).prefault({}),
});
export type Settings = z.infer<typeof Settings>;
