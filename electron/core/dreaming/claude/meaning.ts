// "Do these two say the same thing?" for the Claude engine, through the heuristic engine's own
// similarity (similarity.ts): the same signed tokens, IDF, instruction similarity and contradiction
// test it clusters user wishes with, so a pattern Claude found and a lesson the heuristics learned
// that mean one thing are one lesson — and a rule and its reversal never are.
import { contradicts, cosine, idfOf, instructionSimilarity, signedTokens, unsigned, vectorOf } from '../similarity';

/** As the heuristic's clustering of user wishes (mine.ts). */
export const SAME_MEANING = 0.6;
/** As the heuristic's match of a pattern to a seeded lesson or a deleted one's text (heuristic.ts). */
export const READS_LIKE = 0.45;

export interface Meaning {
  /** Same meaning (instruction similarity ≥ SAME_MEANING) and not opposite. */
  same(a: string, b: string): boolean;
  /** Reads like (cosine ≥ READS_LIKE) and not opposite: how a deleted seeded text is recognised. */
  readsLike(a: string, b: string): boolean;
}

/** IDF over every text the dream compares, so rare words (pnpm, ruff) weigh more than common ones. */
export function meaningOver(texts: string[]): Meaning {
  const idf = idfOf(texts.map((t) => unsigned(signedTokens(t))));
  const memo = new Map<string, string[]>();
  const doc = (t: string) => memo.get(t) ?? (memo.set(t, signedTokens(t)), memo.get(t)!);
  const vec = (t: string) => vectorOf(unsigned(doc(t)), idf);
  return {
    same: (a, b) => instructionSimilarity(vec(a), vec(b)) >= SAME_MEANING && !contradicts(doc(a), doc(b), idf, SAME_MEANING),
    readsLike: (a, b) => cosine(vec(a), vec(b)) >= READS_LIKE && !contradicts(doc(a), doc(b), idf, READS_LIKE),
  };
}
