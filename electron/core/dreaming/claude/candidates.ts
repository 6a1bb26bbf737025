// Patterns Claude proposed, gathered across batches and dreams in the ledger. A new proposal that
// means what a kept candidate means (same kind, and the heuristic's own similarity says so) adds
// its citations to it, so the same wish seen in two batches — or two dreams — counts as one.
import { createHash } from 'node:crypto';
import type { Resolved } from './discovery';
import type { ClaudeLedger } from './ledger';
import { meaningOver } from './meaning';

export function mergeFound(ledger: ClaudeLedger, found: Resolved[], now: string): void {
  if (!found.length) return;
  const meaning = meaningOver([...ledger.candidates.map((c) => c.text), ...found.map((f) => f.text)]);
  for (const f of found) {
    const same = ledger.candidates.find((c) => c.kind === f.kind && (meaning.same(c.text, f.text) || meaning.same(c.title, f.title)));
    if (same) {
      const have = new Set(same.cites.map((c) => `${c.sessionId}\n${c.eventId}`));
      same.cites.push(...f.cites.filter((c) => !have.has(`${c.sessionId}\n${c.eventId}`)));
      continue;
    }
    const id = `k-${createHash('sha1').update(`${f.kind}\n${f.title}\n${f.cites[0].sessionId}\n${f.cites[0].eventId}`).digest('hex').slice(0, 12)}`;
    if (ledger.candidates.some((c) => c.id === id)) continue;
    ledger.candidates.push({ id, kind: f.kind, title: f.title, text: f.text, cites: [...f.cites], firstProposedAt: now });
  }
}
