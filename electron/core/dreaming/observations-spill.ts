// A full dream folds every session's signals into an index that starts empty: held in memory, every
// observation of 100,000 sessions would be (several hundred MB). Every so many signals the index is
// written to a scratch file and read back: what was folded so far becomes offsets into that file
// (observations-file.ts reads an entry's bytes only when a later session touches it), and memory
// holds one batch's observations plus a small entry per key and session. Two files take turns: the
// next is written while the entries still read from the last. The index is the one the same folds
// make in memory (test/integration/dream-spill.test.ts compares them; only the agent table may be
// numbered in another order), so mining and the final file do not depend on when spills happened.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ObservationIndex } from './observations';
import { readIndexFile, writeIndexScratch } from './observations-file';

/** Signals folded between two spills (about 20 MB of observations); a setting for tests. */
export function spillEverySignals(): number {
  const n = Number(process.env.REVERIE_DREAM_SPILL_SIGNALS);
  return Number.isInteger(n) && n > 0 ? n : 50_000;
}

/** The scratch files a dream writing its index to `indexOut` may leave (a killed worker's are removed by its owner, or at the next open). */
export const spillFilesOf = (indexOut: string) => [0, 1].map((i) => `${indexOut}.spill-${i}.tmp`);

export class IndexSpill {
  readonly #files: string[];
  #turn = 0;
  #signals = 0;
  readonly #every = spillEverySignals();

  /** `indexOut`: where the dream's index goes (its scratch files lie beside it); none: the system's temp folder. */
  constructor(indexOut?: string) {
    this.#files = spillFilesOf(indexOut ?? path.join(os.tmpdir(), `reverie-patterns-${randomUUID()}`));
  }

  /** After a session's signals were folded in: the index to go on with (the same one, or read back from a spill). */
  folded(index: ObservationIndex, signals: number): ObservationIndex {
    this.#signals += signals;
    if (this.#signals < this.#every) return index;
    this.#signals = 0;
    const file = this.#files[this.#turn++ % 2]!;
    writeIndexScratch(file, index);
    // The index written now holds everything the other file's entries held: that file is done with.
    fs.rmSync(this.#files[this.#turn % 2]!, { force: true });
    return readIndexFile(file);
  }

  /** Once the dream's index is written (or the dream failed). */
  remove(): void {
    for (const f of this.#files) fs.rmSync(f, { force: true });
  }
}
