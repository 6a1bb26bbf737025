// Which sessions the discovery pass sends, and how: resumed batches first (exactly as they were,
// session for session), then every session Claude has not read or whose digest changed. Batches
// whose exact body was answered before take the cached answer and are not sent. Used by the real
// run, the preview and the estimate alike, so the preview is what a dream sends.
import type { SessionDoc } from '../../store/schema';
import { readSessionFile } from '../../store/store';
import type { DreamInput } from '../types';
import { digestSession, type Digest } from './digest';
import { buildDiscoveryRequest, packDigests, requestHash, type DiscoveryBatch } from './discovery';
import type { ClaudeLedger } from './ledger';
import type { RequestBody } from './prompt';

export interface PlannedDiscovery {
  batch: DiscoveryBatch;
  body: RequestBody;
  hash: string;
  /** The validated answer this exact body got before: used instead of sending. */
  cached?: unknown;
}

export type SessionReader = (id: string) => SessionDoc | null;

/** Reads session files, remembering the ones asked for again (recount reads cited sessions twice). */
export function sessionReader(storeDir: string): SessionReader {
  const memo = new Map<string, SessionDoc | null>();
  return (id) => {
    if (!memo.has(id)) {
      // A damaged session file is reported by import and the heuristic dream; here it is just not read.
      try { memo.set(id, readSessionFile(storeDir, id)); } catch { memo.set(id, null); }
      if (memo.size > 256) memo.delete(memo.keys().next().value!);
    }
    return memo.get(id) ?? null;
  };
}

export interface DiscoveryPlan {
  batches: PlannedDiscovery[];
  /** Sessions with nothing to send (no user turn, error or refusal): read, by their digest hash. */
  empty: Record<string, string>;
}

export function planDiscovery(input: DreamInput, ledger: ClaudeLedger, read: SessionReader, promptCaching = true, maxSessions?: number): DiscoveryPlan {
  const digests = new Map<string, Digest>();
  const digestOf = (id: string): Digest | null => {
    if (digests.has(id)) return digests.get(id)!;
    const doc = read(id);
    if (!doc) return null;
    const d = digestSession(doc);
    digests.set(id, d);
    return d;
  };
  const batches: DiscoveryBatch[] = [];
  const planned = new Set<string>();
  for (const p of ledger.pending.filter((x) => x.kind === 'discovery')) {
    const ds = p.ids.map(digestOf).filter((d): d is Digest => !!d && !planned.has(d.sessionId));
    if (!ds.length) continue;
    ds.forEach((d) => planned.add(d.sessionId));
    batches.push({ digests: ds, resumed: p.reason });
  }
  // New or re-imported sessions (not dreamt yet), and any Claude never read (a store older than
  // the discovery pass, a dream that fell back before sending).
  const consider = [...new Set([...input.sessionIds, ...(input.allSessionIds ?? []).filter((id) => !(id in ledger.read))])];
  const fresh: Digest[] = [];
  const empty: Record<string, string> = {};
  for (const id of consider) {
    if (planned.has(id)) continue;
    const d = digestOf(id);
    if (!d || ledger.read[id] === d.hash) continue;
    // A session with nothing a person said or a tool failed on carries no pattern worth a request.
    if (!d.lines.length) empty[id] = d.hash;
    else fresh.push(d);
  }
  // Oldest first: the order is stable, so a batch is the same request whenever it is rebuilt.
  fresh.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.sessionId.localeCompare(b.sessionId));
  batches.push(...packDigests(fresh, maxSessions));
  const opts = { model: input.settings.claudeModel, promptCaching };
  return {
    empty,
    batches: batches.map((batch) => {
      const body = buildDiscoveryRequest(batch, input.agentNames, opts);
      const hash = requestHash(body);
      return { batch, body, hash, ...(hash in ledger.answers ? { cached: ledger.answers[hash] } : {}) };
    }),
  };
}
