// What the Claude engine remembers between dreams, in <store>/claude.json: which sessions Claude
// has read (by digest hash), its validated answers by request hash (a re-run with nothing new
// sends nothing), the patterns it proposed that do not have enough support yet, the batches that
// failed and must be resumed first, and which lesson wordings it has already refined. The owner of
// the store writes it when it records the dream; a preview only reads it.
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { IsoDate } from '../../../../shared/model';

export const LEDGER_FILE = 'claude.json';

export const Cite = z.object({ sessionId: z.string(), eventId: z.string() });
export type Cite = z.infer<typeof Cite>;

/** A pattern Claude proposed, after Reverie dropped what it could not verify. */
export const Candidate = z.object({
  id: z.string(),
  kind: z.enum(['mistake', 'preference', 'workflow']),
  title: z.string(),
  text: z.string(),
  cites: z.array(Cite),
  firstProposedAt: IsoDate,
});
export type Candidate = z.infer<typeof Candidate>;

export const PendingBatch = z.object({
  kind: z.enum(['discovery', 'refine']),
  /** Discovery: the sessions of the batch, in order. Refine: the lesson ids it carried. */
  ids: z.array(z.string()),
  reason: z.string(),
  at: IsoDate,
});
export type PendingBatch = z.infer<typeof PendingBatch>;

export const ClaudeLedger = z.object({
  version: z.literal(1),
  /** session id → hash of the digest Claude read. */
  read: z.record(z.string(), z.string()),
  /** request hash → the validated tool input of its answer. */
  answers: z.record(z.string(), z.unknown()),
  candidates: z.array(Candidate),
  pending: z.array(PendingBatch),
  /** lesson id → fingerprint of the wording Claude last saw. */
  refined: z.record(z.string(), z.string()),
});
export type ClaudeLedger = z.infer<typeof ClaudeLedger>;

export const emptyLedger = (): ClaudeLedger => ({ version: 1, read: {}, answers: {}, candidates: [], pending: [], refined: {} });

/**
 * Reads the ledger. Missing = empty. A damaged one is kept beside it (`claude.json.damaged-<ms>`)
 * and replaced by an empty ledger with a note: it is a cache, so the cost is re-reading sessions.
 */
export function loadLedger(storeDir: string): { ledger: ClaudeLedger; note?: string } {
  const file = path.join(storeDir, LEDGER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ledger: emptyLedger() };
  }
  let problem: string;
  try {
    const r = ClaudeLedger.safeParse(JSON.parse(text));
    if (r.success) return { ledger: r.data };
    problem = `it does not match its schema (${r.error.issues[0]?.path.join('.') || 'root'}: ${r.error.issues[0]?.message})`;
  } catch (err) {
    problem = `it is not valid JSON (${(err as Error).message})`;
  }
  const kept = `${file}.damaged-${Date.now()}`;
  try {
    fs.copyFileSync(file, kept);
  } catch { /* a read-only store: the note still says what happened */ }
  return { ledger: emptyLedger(), note: `The Claude engine's ledger ${file} was unreadable: ${problem}; it was kept as ${path.basename(kept)} and Claude reads every session again.` };
}

export function saveLedger(storeDir: string, ledger: ClaudeLedger): void {
  writeFileAtomic.sync(path.join(storeDir, LEDGER_FILE), JSON.stringify(ClaudeLedger.parse(ledger)));
}
