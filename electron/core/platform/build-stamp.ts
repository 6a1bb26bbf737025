// The name of the code a thread runs, for what is kept between runs only if the same code reads it
// back (dreaming/pattern-memo.ts): the hash of the bundle it was started from (WorkerLauncher.bundle).
// Sources run through tsx have no such name (their modules change one by one): null, nothing is kept.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export function buildStamp(entry: string | undefined): string | null {
  if (!entry) return null;
  const file = entry.startsWith('file:') ? fileURLToPath(entry) : entry;
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
  } catch {
    return null;
  }
}
