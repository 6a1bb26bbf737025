// What Reverie wrote where: per file, the hash of the block as written (so a hand edit is noticed)
// and its lines (so the edit can be mapped back to lessons); per lesson, when it was first and last
// written back (the "after" line of the improvement curves). A file of its own in the store folder,
// written atomically, so write-back never rewrites the main document for bookkeeping.
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { IsoDate } from '../../../shared/model';
import { describeZodError } from '../rpc';

export const WrittenFile = z.object({
  file: z.string(),
  agentIds: z.array(z.string()),
  hash: z.string(),
  lines: z.array(z.object({ lessonId: z.string(), text: z.string() })),
  writtenAt: IsoDate,
});
export type WrittenFile = z.infer<typeof WrittenFile>;

export const WritebackState = z.object({
  version: z.literal(1),
  files: z.record(z.string(), WrittenFile),
  lessons: z.record(
    z.string(),
    z.object({
      firstWrittenAt: IsoDate,
      lastWrittenAt: IsoDate,
      files: z.array(z.string()),
      /** When it first reached each agent's file: the "after" line of that agent's sessions. */
      byAgent: z.record(z.string(), IsoDate).default({}),
    }),
  ),
});
export type WritebackState = z.infer<typeof WritebackState>;

export const stateFile = (storeDir: string) => path.join(storeDir, 'writeback.json');

export function readState(storeDir: string): WritebackState {
  const file = stateFile(storeDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { version: 1, files: {}, lessons: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); move it away to start write-back bookkeeping afresh`);
  }
  const r = WritebackState.safeParse(raw);
  if (!r.success) throw new Error(`${file} does not match its schema: ${describeZodError(r.error)}`);
  return r.data;
}

export async function writeState(storeDir: string, state: WritebackState): Promise<void> {
  await writeFileAtomic(stateFile(storeDir), JSON.stringify(state, null, 1));
}

/** When each lesson was first written back into any agent file (null: never). */
export function writtenBackAt(state: WritebackState, lessonId: string): string | null {
  return state.lessons[lessonId]?.firstWrittenAt ?? null;
}
