// The Claude engine's methods: what a dream with Claude would send and cost, before anything is
// sent. Both run the heuristic dream on a snapshot (nothing is stored) and never call Anthropic.
import { z } from 'zod';
import { NoInput, mutation, query } from './define';

const DreamScope = z.object({ full: z.boolean().default(false) }).default({ full: false });

export const ClaudeModelInfo = z.object({
  id: z.string(),
  /** USD per million tokens. */
  input: z.number(),
  output: z.number(),
  cacheWrite: z.number(),
  cacheRead: z.number(),
});
export type ClaudeModelInfo = z.infer<typeof ClaudeModelInfo>;

export const ClaudeStatus = z.object({
  /** A key is available (from the host's safe storage or ANTHROPIC_API_KEY); the key itself never leaves core. */
  keyPresent: z.boolean(),
  model: z.string(),
  defaultModel: z.string(),
  /** False when the chosen model id is not in Reverie's price list: costs are then counted at the dearest known rates. */
  priceKnown: z.boolean(),
  models: z.array(ClaudeModelInfo),
  caps: z.object({ perDream: z.number(), monthly: z.number() }),
  /** What Claude dreams cost so far this calendar month (UTC), from the recorded `Dream.usage`. */
  monthSpentUsd: z.number(),
});
export type ClaudeStatus = z.infer<typeof ClaudeStatus>;

export const ClaudeEstimate = ClaudeStatus.extend({
  batches: z.number().int().nonnegative(),
  clusters: z.number().int().nonnegative(),
  lessons: z.number().int().nonnegative(),
  /** Estimated tokens for the whole dream (≈3.5 characters per token; real counts come back in Dream.usage). */
  inputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  expectedCostUsd: z.number(),
  /** Every request at max_tokens with no cache hit: what the caps are checked against. */
  maxCostUsd: z.number(),
  /** Batches that fit under both caps (the dream stops before the others, saying so). */
  batchesWithinCaps: z.number().int().nonnegative(),
  /** Of `batches`: discovery batches (session digests) and the sessions they carry. */
  discoveryBatches: z.number().int().nonnegative(),
  sessionsToRead: z.number().int().nonnegative(),
  /** Batches a failed Claude dream left; the next one resumes them first. */
  pending: z.array(z.object({ kind: z.enum(['discovery', 'refine']), items: z.number().int().nonnegative(), reason: z.string(), at: z.string() })),
  note: z.string(),
});
export type ClaudeEstimate = z.infer<typeof ClaudeEstimate>;

export const ClaudePreview = z.object({
  model: z.string(),
  /** The exact Messages API request bodies, in order (secrets already redacted, twice). */
  requests: z.array(z.record(z.string(), z.unknown())),
  /** One per request: what it carries (sessions for discovery, clusters for refinement) and its size. */
  batches: z.array(z.object({ kind: z.enum(['discovery', 'refine']), items: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(), tokens: z.number().int().nonnegative(), resumed: z.string().optional() })),
  note: z.string(),
});
export type ClaudePreview = z.infer<typeof ClaudePreview>;

/**
 * Where the key comes from, and whether this host can keep one. Only the desktop app stores a key
 * (encrypted by the OS through Electron's safeStorage, in electron/main); browser mode and the CLI
 * read ANTHROPIC_API_KEY. The key itself is never returned.
 */
export const ClaudeKeyState = z.object({
  keyPresent: z.boolean(),
  source: z.enum(['app', 'environment']).nullable(),
  canStore: z.boolean(),
  /** Why this host cannot store a key (no keyring, browser mode…). */
  reason: z.string().optional(),
});
export type ClaudeKeyState = z.infer<typeof ClaudeKeyState>;

/** An Anthropic key as pasted: printable ASCII, no spaces (surrounding whitespace is trimmed). */
export const ClaudeKeyInput = z.object({ key: z.string().trim().min(8, 'That is too short to be an API key.').max(512).regex(/^[\x21-\x7e]+$/, 'The key has characters an API key never has.') }).strict();

export const claude = {
  'claude.status': query(NoInput, ClaudeStatus),
  'claude.keyState': query(NoInput, ClaudeKeyState),
  /** Stores the key encrypted with the OS keychain (desktop app only). */
  'claude.setKey': mutation(ClaudeKeyInput, ClaudeKeyState),
  'claude.clearKey': mutation(NoInput, ClaudeKeyState),
  'claude.estimate': query(DreamScope, ClaudeEstimate),
  'claude.preview': query(DreamScope, ClaudePreview),
};
