// Patterns kept with the observation index for the next dream (P lines of the file, observations-file.ts).
// A group of keys none of which changed since the last dream mines into the same pattern and is worded
// the same: it is read back instead of walked and worded again. A group whose keys only gained new
// sessions is read back and extended by them (pattern-walk.ts): at 100,000 sessions a pattern of
// 15,000 sessions gains ~75 in a dream of 500 new ones, and walking it whole was most of that dream.
//
// Kept only by a build that can name itself (`setMemoStamp`: the dream worker's bundle, hashed): a
// pattern mined or worded by other code is never read back. Sources run through tsx keep nothing.
import type { ObservationIndex } from './observations';

let stamp: string | null = null;
/** Names the code this thread runs (null: nothing is kept or read back). */
export function setMemoStamp(s: string | null): void { stamp = s; }
export const memoStamp = () => stamp;

/** Where a file read keeps its patterns: a group's entry by the group's keys as JSON, and where its whole line lies in the file. */
type Lookup = (keysJson: string) => { body: string; line: [number, number] } | undefined;
const sources = new WeakMap<ObservationIndex, Lookup>();
/**
 * What a mining keeps, by the group's keys as JSON: its body, made when the index is written (after
 * the wording), or the line read, when the entry is the one read (a group nothing new touched).
 */
type Keep = (() => string) | { line: [number, number] };
const kept = new WeakMap<ObservationIndex, Map<string, Keep>>();

/** The reader's side: the index was read from a file holding entries kept under the current stamp. */
export function attachMemo(index: ObservationIndex, lookup: Lookup): void { sources.set(index, lookup); }

/** The entry kept for a group of keys (sorted), parsed, and where its line lies; undefined when there is none (or it is not JSON). */
export function recall(index: ObservationIndex, keys: string[]): { entry: unknown; line: [number, number] } | undefined {
  const lookup = sources.get(index);
  const found = lookup && stamp ? lookup(JSON.stringify(keys)) : undefined;
  if (!found) return undefined;
  try {
    return { entry: JSON.parse(found.body) as unknown, line: found.line };
  } catch {
    return undefined;
  }
}

/** Drops what an earlier mining of the same index kept. */
export function forget(index: ObservationIndex): void { kept.delete(index); }

/** Keeps a group's entry for the next dream: `body` is asked for when the index is written, or the line read is copied as it was. */
export function remember(index: ObservationIndex, keys: string[], body: Keep): void {
  if (!stamp) return;
  let m = kept.get(index);
  if (!m) kept.set(index, (m = new Map()));
  m.set(JSON.stringify(keys), body);
}

/** Whether a mining of this index kept anything (the writer names the build in its first line then). */
export const keepsPatterns = (index: ObservationIndex) => !!kept.get(index)?.size;

/** The writer's side: each kept entry as a line's two fields (keys, body), made as asked for, or the line read to copy. */
export function* memoLines(index: ObservationIndex): Generator<{ keys: string; body: string } | { copy: [number, number] }> {
  for (const [keys, keep] of kept.get(index) ?? []) yield typeof keep === 'function' ? { keys, body: keep() } : { copy: keep.line };
}
