// Turning a parsed session into stored data: agent identity, redaction, merge with what the store
// already holds (same session id, or the same conversation continued in another file), signals.
import path from 'node:path';
import type { Agent, AgentTool, Session, SessionEvent } from '../../../shared/model';
import { extractSignals } from '../dreaming/signals';
import { redact } from '../redaction';
import type { SessionDoc } from '../store/schema';
import type { Store } from '../store/store';
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

/** Every string of an event that came from the log goes through redaction before it is stored. */
export function redactEvent(e: SessionEvent): SessionEvent {
  const text = redact(e.text);
  if (!e.tool) return text === e.text ? e : { ...e, text };
  const t = e.tool;
  const name = redact(t.name);
  const input = t.input !== undefined ? redact(t.input) : undefined;
  const callId = t.callId !== undefined ? redact(t.callId) : undefined;
  // Most events hold no secret: keep the same object instead of copying every one.
  if (text === e.text && name === t.name && input === t.input && callId === t.callId) return e;
  return { ...e, text, tool: { ...t, name, ...(input !== undefined ? { input } : {}), ...(callId !== undefined ? { callId } : {}) } };
}

export interface Stored { session: Session; added: number; changed: boolean }

/**
 * Session files are written while the next file is parsed: a durable write waits on the disk
 * (fsync), parsing waits on the CPU, and overlapping the two is most of an import's wall time.
 * A session being written is awaited before it is read again (a conversation spanning files), and
 * everything is flushed before the index, the commit point, names the new files.
 */
export class SessionWrites {
  private readonly pending = new Map<string, Promise<void>>();
  constructor(private readonly store: Store, private readonly max = 2) {}

  /** Adds or replaces the session's index entry. */
  index(session: Session): void {
    this.store.index.putSession(session);
  }

  /** Whether the index names the session. */
  has(id: string): boolean {
    return this.store.index.has(id);
  }

  async settled(id: string): Promise<void> {
    await this.pending.get(id);
  }

  async write(doc: SessionDoc): Promise<void> {
    while (this.pending.size >= this.max) await Promise.race(this.pending.values());
    const id = doc.session.id;
    const p: Promise<void> = this.store.writeSessionDoc(doc).finally(() => {
      if (this.pending.get(id) === p) this.pending.delete(id);
    });
    // Observed here so a failure surfaces through race/flush, never as an unhandled rejection.
    p.catch(() => undefined);
    this.pending.set(id, p);
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending.values());
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
  const incoming = parsed.events.map(redactEvent);
  await writes.settled(id);
  const existing = store.readSessionDoc(id);
  const files = new Set(existing?.session.files ?? []);
  files.add(file);
  let events: SessionEvent[];
  let added = incoming.length;
  let changed = true;
  if (existing) {
    const merge = mergeEvents(existing.events, incoming);
    events = merge.events;
    added = merge.added;
    const merged = events.slice(0, existing.events.length);
    changed = added > 0 || merged.some((e, i) => e !== existing.events[i] && !sameEvent(e, existing.events[i])) || files.size !== existing.session.files.length;
    if (!changed) {
      // The file is complete but an interrupted import may have died before the index named it:
      // nothing to rewrite, but the index must see it (the kill test found such sessions missing).
      if (!writes.has(id)) writes.index(existing.session);
      return { session: existing.session, added: 0, changed: false };
    }
  } else events = incoming;
  events = events.map((e, seq) => (e.seq === seq ? e : { ...e, seq }));
  const signals = extractSignals(id, agent, events);
  const stamps = events.map((e) => e.timestamp).filter((t): t is string => !!t).sort();
  const session: Session = {
    id,
    agentId: existing?.session.agentId ?? agent.id,
    tool: parsed.tool,
    project: existing?.session.project ?? parsed.project,
    title: existing?.session.title ?? redact(parsed.title),
    startedAt: stamps[0] ?? null,
    endedAt: stamps[stamps.length - 1] ?? null,
    eventCount: events.length,
    errorCount: events.filter((e) => e.isError).length,
    correctionCount: signals.filter((s) => s.kind === 'correction' || s.kind === 'rejection').length,
    files: [...files],
    importedAt: existing?.session.importedAt ?? new Date().toISOString(),
    ...(parsed.forkedFrom ?? existing?.session.forkedFrom ? { forkedFrom: parsed.forkedFrom ?? existing?.session.forkedFrom } : {}),
    // New events have not been dreamt over yet.
    dreamt: existing && added === 0 ? store.index.isDreamt(id) : false,
  };
  await writes.write({ session, events, signals });
  writes.index(session);
  return { session, added, changed: true };
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
