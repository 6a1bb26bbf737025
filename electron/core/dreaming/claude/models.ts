// Model ids and list prices (USD per million tokens) for cost estimates, the cost caps and the
// usage recorded on each dream. Checked against Anthropic's model and pricing pages on 2026-11-25:
// Sonnet 5.5 is the current Sonnet (cache reads cut to $0.10 on 2026-10-07). Prices change, so an
// unknown model id is priced at the most expensive known rates: a cap must never under-count.
import type { Dream } from '../../../../shared/model';

export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-5-5';
/** Input + output tokens one request may take: the smallest context window of the models Reverie knows. */
export const CONTEXT_TOKENS = 200_000;

export interface ModelPrice {
  input: number;
  output: number;
  /** 5-minute cache writes (the only TTL Reverie uses): 1.25 × input. */
  cacheWrite: number;
  cacheRead: number;
  /** Accepts `output_config.effort` (the 5.x family); older models reject unknown parameters. */
  effort: boolean;
}

const p = (input: number, output: number, cacheRead: number, effort: boolean): ModelPrice => ({ input, output, cacheWrite: input * 1.25, cacheRead, effort });

export const PRICES: Record<string, ModelPrice> = {
  'claude-sonnet-5-5': p(2, 10, 0.1, true),
  'claude-sonnet-5': p(2, 10, 0.2, true),
  'claude-opus-5-5': p(4, 20, 0.2, true),
  'claude-opus-5': p(5, 25, 0.5, true),
  'claude-fable-5-1': p(10, 50, 1, true),
  // Haiku 5.5 is priced in two bands; Reverie's requests stay far below its 100k-token threshold.
  'claude-haiku-5-5': p(0.1, 0.5, 0.01, true),
  'claude-haiku-4-5': p(1, 5, 0.1, false),
  'claude-sonnet-4-5': p(3, 15, 0.3, false),
  'claude-opus-4-5': p(5, 25, 0.5, false),
};

const MOST_EXPENSIVE: ModelPrice = Object.values(PRICES).reduce((a, b) => (b.output > a.output ? b : a));

/** Exact id, then a dated snapshot of a known id (`claude-haiku-4-5-20251001`), else the dearest rates. */
export function priceOf(model: string): ModelPrice & { known: boolean } {
  const exact = PRICES[model] ?? PRICES[model.replace(/-\d{8}$/, '')];
  return exact ? { ...exact, known: true } : { ...MOST_EXPENSIVE, effort: false, known: false };
}

export type Usage = NonNullable<Dream['usage']>;

export const zeroUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 });

export function costOf(u: Omit<Usage, 'costUsd'>, model: string): number {
  const price = priceOf(model);
  const usd = (u.inputTokens * price.input + u.outputTokens * price.output + u.cacheReadTokens * price.cacheRead + u.cacheWriteTokens * price.cacheWrite) / 1e6;
  return Math.round(usd * 1e6) / 1e6;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e6) / 1e6,
  };
}
