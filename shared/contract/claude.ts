// The Claude engine's methods: what a dream with Claude would send and cost, before anything is
// sent. Both run the heuristic dream on a snapshot (nothing is stored) and never call Anthropic.
import { z } from 'zod';
import { NoInput, query } from './define';

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
  note: z.string(),
});
export type ClaudeEstimate = z.infer<typeof ClaudeEstimate>;

export const ClaudePreview = z.object({
  model: z.string(),
  /** The exact Messages API request bodies, in order (secrets already redacted, twice). */
  requests: z.array(z.record(z.string(), z.unknown())),
  note: z.string(),
});
export type ClaudePreview = z.infer<typeof ClaudePreview>;

export const claude = {
  'claude.status': query(NoInput, ClaudeStatus),
  'claude.estimate': query(DreamScope, ClaudeEstimate),
  'claude.preview': query(DreamScope, ClaudePreview),
};
