// Issue 13's targets in CI, on the independent quality corpus (test/bench/quality-corpus.ts, built
// apart from the engine) at full size, on held-out seeds that were never used for tuning: recall and
// precision ≥ 0.95, no duplicate, evidence accuracy ≥ 0.95, and no lesson in any failure class.
// `npm run bench -- quality` prints the same figures for all ten seeds.
import { describe, expect, it } from 'vitest';
import { runQualitySeed } from '../bench/quality.bench';

describe('learning quality on a corpus the engine was not tuned to', () => {
  it.each([100, 103])('held-out seed %i, 2,000 sessions', async (seed) => {
    const { score } = await runQualitySeed(seed, 2000);
    const context = JSON.stringify({ missed: score.missed.map((m) => m.id), unmatched: score.unmatched.map((u) => u.title) });
    expect(score.recall, context).toBeGreaterThanOrEqual(0.95);
    expect(score.precision, context).toBeGreaterThanOrEqual(0.95);
    expect(score.duplicates, context).toBe(0);
    expect(score.evidenceAccuracy ?? 0).toBeGreaterThanOrEqual(0.95);
    expect(score.failures).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: { droppedSteps: 0, notFound: 0 }, 8: 0 });
  }, 240_000);
});
