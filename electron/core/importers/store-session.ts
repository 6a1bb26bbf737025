// Turning a parsed session into stored data: agent identity, merge with what the store already holds
// (same session id, or the same conversation continued in another file); the document itself (redaction,
// signals, summary) is session-doc.ts's, built here or in the record worker.
import path from 'node:path';
import type { Agent, AgentTool, LedgerEntry, Session, SessionEvent } from '../../../shared/model';
import { redact } from '../redaction';
import type { SessionDoc } from '../store/schema';
import type { Store } from '../store/store';
import type { RecordJob, RecordPool } from './record-pool';
import { redactEvent, sessionDoc, type SessionBase } from './session-doc';
import type { ParsedSession } from './types';
import { fileScoped } from './values';

const LABEL: Record<AgentTool, string> = {
  'claude-code': 'Claude Code', codex: 'Codex', 'gemini-cli': 'Gemini CLI', cline: 'Cline', aider: 'Aider', chatgpt: 'ChatGPT',
  'claude-ai': 'Claude.ai', 'swe-agent': 'SWE-agent', openhands: 'OpenHands', cursor: 'Cursor', generic: 'Agent',
};

/** Agent = tool + project: `claude-code:/home/me/src/shop`, shown as "Claude Code · shop". */
export function agentFor(tool: AgentTool, project: string | null, override?: string): Agent {
  if (override) return { id: `${tool}:${override}`, tool, project, name: override };
  const base = project ? path.basename(project.replace(/[\\/]+$/, '')) : null;
  return { id: project ? `${tool}:${project}` : tool, tool, project, name: base ? `${LABEL[tool]} · ${base}` : LABEL[tool] };
}

/** Two projects with the same folder name get their parent folder in the name too. */
function disambiguate(agent: Agent, agents: Agent[]): Agent {
  if (!agent.project || !agents.some((a) => a.id !== agent.id && a.name === agent.name)) return agent;
  const parts = agent.project.replace(/[\\/]+$/, '').split(/[\\/]/);
  return { ...agent, name: `${LABEL[agent.tool]} · ${parts.slice(-2).join('/')}` };
}

/**
 * Self-healing after a crash between the two document writes of an import (the index names a
 * session whose agent reverie.json never got): every agent a session refers to but the main document
 * lacks is rebuilt from that session (tool, project; an `--agent` name from the id). Without this a
 * re-import skips every file (the ledger has them) and the agents stay missing for good.
 * Returns how many were restored; the caller saves the main document.
 */
export function restoreMissingAgents(store: Store): number {
  const known = new Set(store.data.agents.map((a) => a.id));
  // The head lists every agent a session names: the summaries are read only when one is missing.
  if ([...store.index.agents].every((id) => known.has(id))) return 0;
  let restored = 0;
  for (const s of store.index.sessions) {
    if (known.has(s.agentId)) continue;
    const derived = agentFor(s.tool, s.project);
    const prefix = `${s.tool}:`;
    // An id that is not the derived one was named with --agent: `<tool>:<name>`.
    const agent = derived.id === s.agentId ? derived : { id: s.agentId, tool: s.tool, project: s.project, name: s.agentId.startsWith(prefix) ? s.agentId.slice(prefix.length) : s.agentId };
    store.data.agents.push(disambiguate(agent, store.data.agents));
    known.add(agent.id);
    restored++;
  }
  return restored;
}

export interface Stored { added: number; changed: boolean }

/** A session the record worker could not prepare: not stored; its file is read again next time. */
export interface FailedRecord { file: string; sessionId: string; events: number; reason: string }

/**
 * Where the sessions of one import go. Records are appended as they are ready (plain writes; the batch
 * is made durable once, before the index, the commit point, names it). In a large import a new session
 * is prepared in the record worker (record-pool.ts) while the next one is read; a session still being
 * prepared is awaited before it is read again (a conversation spanning files), and everything is
 * awaited before the index is written. A file is marked imported (its ledger entry) only once every
 * session read from it is stored: one the worker failed on leaves its file to be read again.
 */
export class SessionWrites {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly failed: FailedRecord[] = [];
  private readonly ledger: LedgerEntry[] = [];
  private writeError: Error | null = null;
  constructor(private readonly store: Store, private readonly pool: RecordPool | null = null) {}

  /** Adds or replaces the session's index entry. */
  index(session: Session): void {
    this.store.index.putSession(session);
  }

  /** Whether the index names the session. */
  has(id: string): boolean {
    return this.store.index.has(id);
  }

  /** Waits for the session's record if it is being prepared (one that failed is simply not stored). */
  async settled(id: string): Promise<void> {
    await this.pending.get(id)?.catch(() => undefined);
  }

  /** Whether the record worker can take a session now (else it is prepared in this thread). */
  get canOffload(): boolean {
    return this.pool?.hasRoom ?? false;
  }

  /** Stores a document prepared in this thread. */
  async write(doc: SessionDoc): Promise<void> {
    await this.store.writeSessionDoc(doc);
    this.index(doc.session);
  }

  /** Hands a new session to the record worker; its record is appended and indexed when it comes back. */
  offload(job: RecordJob, file: string, events: number): void {
    const id = job.base.id;
    const p: Promise<void> = this.pool!
      .prepare(job)
      .then(
        ({ session, record }) => {
          try {
            this.store.writeSessionRecord(id, record);
            this.index(session);
          } catch (err) {
            // The store could not take it (a full disk): the import stops with this error at flush, before its commit.
            this.writeError ??= err as Error;
          }
        },
        (err: Error) => void this.failed.push({ file, sessionId: id, events, reason: err.message }),
      )
      .finally(() => {
        if (this.pending.get(id) === p) this.pending.delete(id);
      });
    this.pending.set(id, p);
  }

  /** Marks a file imported once the batch's records are all in (at once when nothing is in flight). */
  setLedgerEntry(entry: LedgerEntry): void {
    if (this.pool) this.ledger.push(entry);
    else this.store.index.setLedgerEntry(entry);
  }

  /**
   * Every record in; returns the sessions that could not be prepared (their files are not marked
   * imported). Throws when the store could not take a record: the import stops before its commit (what
   * was appended is kept by the next open, as after a crash; a re-import completes the rest).
   */
  async flush(): Promise<FailedRecord[]> {
    await Promise.all(this.pending.values());
    if (this.writeError) throw this.writeError;
    const failedFiles = new Set(this.failed.map((f) => f.file));
    for (const entry of this.ledger) if (!failedFiles.has(entry.path)) this.store.index.setLedgerEntry(entry);
    this.ledger.length = 0;
    return this.failed.splice(0);
  }
}

/**
 * Stores one parsed session under `id` (its own, or the session it continues). Events merge by
 * stable id: an event re-read from the file it came from replaces its earlier copy (a later rewind
 * may have changed its branch); the same id from another file never replaces it; events only the
 * store has (from another file) stay. Nothing stored is ever dropped.
 */
export async function storeSession(store: Store, writes: SessionWrites, parsed: ParsedSession, id: string, file: string, agentOverride?: string): Promise<Stored> {
  let agent = agentFor(parsed.tool, parsed.project, agentOverride);
  const known = store.data.agents.find((a) => a.id === agent.id);
  if (known) agent = known;
  else {
    agent = disambiguate(agent, store.data.agents);
    store.data.agents.push(agent);
  }
  await writes.settled(id);
  const existing = store.readSessionDoc(id);
  const forkedFrom = parsed.forkedFrom ?? existing?.session.forkedFrom;
  if (!existing && writes.canOffload) {
    // A new session (most of a large import): prepared in the record worker while the next is read.
    const base: SessionBase = { id, agentId: agent.id, tool: parsed.tool, project: parsed.project, title: redact(parsed.title), files: [file], importedAt: new Date().toISOString(), ...(forkedFrom ? { forkedFrom } : {}), dreamt: false };
    writes.offload({ base, agent, events: parsed.events }, file, parsed.events.length);
    return { added: parsed.events.length, changed: true };
  }
  const incoming = parsed.events.map(redactEvent);
  const files = new Set(existing?.session.files ?? []);
  files.add(file);
  let events: SessionEvent[];
  let added = incoming.length;
  if (existing) {
    const merge = mergeEvents(existing.events, incoming);
    events = merge.events;
    added = merge.added;
    const merged = events.slice(0, existing.events.length);
    const changed = added > 0 || merged.some((e, i) => e !== existing.events[i] && !sameEvent(e, existing.events[i])) || files.size !== existing.session.files.length;
    if (!changed) {
      // The file is complete but an interrupted import may have died before the index named it:
      // nothing to rewrite, but the index must see it (the kill test found such sessions missing).
      if (!writes.has(id)) writes.index(existing.session);
      return { added: 0, changed: false };
    }
  } else events = incoming;
  const base: SessionBase = {
    id,
    agentId: existing?.session.agentId ?? agent.id,
    tool: parsed.tool,
    project: existing?.session.project ?? parsed.project,
    title: existing?.session.title ?? redact(parsed.title),
    files: [...files],
    importedAt: existing?.session.importedAt ?? new Date().toISOString(),
    ...(forkedFrom ? { forkedFrom } : {}),
    // New events have not been dreamt over yet.
    dreamt: existing && added === 0 ? store.index.isDreamt(id) : false,
  };
  await writes.write(sessionDoc(base, agent, events));
  return { added, changed: true };
}

/**
 * Merges what a file says about a session into what the store holds. Only the file an event was
 * read from may replace it (a re-read of that file, perhaps after a rewind). The same id read from
 * another file is either a copy (a resumed conversation repeats its history: same kind and text,
 * dropped) or a different event whose id is only unique in its own file (Codex numbers records by
 * line): that one is kept under an id scoped to its file, so neither file's events are lost and a
 * re-import maps to the same ids again.
 */
function mergeEvents(stored: SessionEvent[], incoming: SessionEvent[]): { events: SessionEvent[]; added: number } {
  const at = new Map(stored.map((e, i) => [e.id, i]));
  const merged = [...stored];
  const fresh: SessionEvent[] = [];
  for (let e of incoming) {
    let i = at.get(e.id);
    if (i === -1) continue; // already taken by an event of this batch
    if (i !== undefined && merged[i].source.file !== e.source.file) {
      if (merged[i].kind === e.kind && merged[i].text === e.text) continue;
      e = { ...e, id: fileScoped(e.id, e.source.file) };
      i = at.get(e.id);
      if (i === -1) continue;
      // Scoped ids name their file, but a stored copy from elsewhere still never gets replaced.
      if (i !== undefined && merged[i].source.file !== e.source.file) continue;
    }
    if (i !== undefined) merged[i] = e;
    else {
      at.set(e.id, -1);
      fresh.push(e);
    }
  }
  return { events: [...merged, ...fresh], added: fresh.length };
}

function sameEvent(a: SessionEvent, b: SessionEvent | undefined): boolean {
  return !!b && a.branch === b.branch && a.text === b.text && a.isError === b.isError;
}
