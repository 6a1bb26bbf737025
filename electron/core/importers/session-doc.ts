// A session's stored document, built from its events: redaction of what came from the log, sequence
// numbers, signals, the summary the index keeps. Pure (no store), so it runs in the owner's thread or in
// the record worker of a large import (record-pool.ts) — one function either way, so a session is stored
// as the same bytes whichever thread prepared it.
import type { Agent, Session, SessionEvent } from '../../../shared/model';
import { extractSignals } from '../dreaming/signals';
import { redact } from '../redaction';
import type { SessionDoc } from '../store/schema';

/** What a session's summary takes from the store, the file and the agent rather than from its events. */
export type SessionBase = Pick<Session, 'id' | 'agentId' | 'tool' | 'project' | 'title' | 'files' | 'importedAt' | 'dreamt'> & { forkedFrom?: string };

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

/** The document of a session whose events (already redacted, in their final order) are `events`. */
export function sessionDoc(base: SessionBase, agent: Agent, events: SessionEvent[]): SessionDoc {
  events = events.map((e, seq) => (e.seq === seq ? e : { ...e, seq }));
  const signals = extractSignals(base.id, agent, events);
  const stamps = events.map((e) => e.timestamp).filter((t): t is string => !!t).sort();
  // Field order is the stored JSON's: kept as it always was.
  const session: Session = {
    id: base.id,
    agentId: base.agentId,
    tool: base.tool,
    project: base.project,
    title: base.title,
    startedAt: stamps[0] ?? null,
    endedAt: stamps[stamps.length - 1] ?? null,
    eventCount: events.length,
    errorCount: events.filter((e) => e.isError).length,
    correctionCount: signals.filter((s) => s.kind === 'correction' || s.kind === 'rejection').length,
    files: base.files,
    importedAt: base.importedAt,
    ...(base.forkedFrom ? { forkedFrom: base.forkedFrom } : {}),
    dreamt: base.dreamt,
  };
  return { session, events, signals };
}
