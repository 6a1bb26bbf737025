// The evidence drawer: every source message behind a lesson, each openable in its conversation
// context (a few events before and after, the evidence itself highlighted).
import { useEffect, useState } from 'react';
import type { Evidence, Lesson, SessionEvent } from '../../../shared/model';
import { api } from '../api';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Drawer } from '../ui/parts';
import { fmtDateTime, pct, plural } from '../ui/format';
import { EventRow } from './Events';

export function EvidenceDrawer({ lesson, onClose }: { lesson: Lesson; onClose: () => void }) {
  return (
    <Drawer label="Evidence" title={lesson.title} sub={`${plural(lesson.evidence.length, 'source message')} · ${plural(lesson.support.sessions, 'session')} · ${pct(lesson.confidence)} confidence`} onClose={onClose}>
      <p style={{ color: 'var(--fg-2)' }}>{lesson.text}</p>
      {lesson.evidence.length === 0 && <p className="muted">Seeded lessons start without evidence; it appears when your sessions confirm them.</p>}
      {lesson.evidence.map((e, i) => <EvidenceItem key={`${e.sessionId}/${e.eventId}`} ev={e} initiallyOpen={i === 0} />)}
    </Drawer>
  );
}

function EvidenceItem({ ev, initiallyOpen }: { ev: Evidence; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <article className="evidence" aria-label={`Evidence from ${ev.agent}`}>
      <button type="button" className="evidence-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <strong>{ev.agent}</strong>
        <span>{fmtDateTime(ev.timestamp ?? null)}</span>
        <Icon name="chevron" size={14} className="chev" />
      </button>
      {!open && <pre className="evidence-excerpt">{ev.excerpt}</pre>}
      {open && <Context ev={ev} />}
    </article>
  );
}

const AROUND = 3;

/** The evidence event and its neighbours: only that window is fetched (sessions.context), not the whole session. */
function Context({ ev }: { ev: Evidence }) {
  const openSession = useApp((s) => s.openSession);
  const [ctx, setCtx] = useState<{ events: SessionEvent[]; focus: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('sessions.context', { sessionId: ev.sessionId, eventId: ev.eventId, radius: AROUND }).then(
      (r) => live && setCtx({ events: r.events, focus: r.focus }),
      // An event the session no longer has (re-imported differently): the excerpt still shows.
      (err: Error) => live && setError(err.message),
    );
    return () => { live = false; };
  }, [ev.sessionId, ev.eventId]);
  if (error) return <div className="context"><p className="muted" style={{ padding: '0 12px' }}>The source message could not be opened: {error}</p><pre className="evidence-excerpt">{ev.excerpt}</pre></div>;
  if (!ctx) return <div className="context" aria-busy="true"><div className="skeleton" style={{ height: 90, margin: '4px 12px' }} /></div>;
  const slice = ctx.events;
  const at = ctx.focus;
  return (
    <div className="context" aria-label="Conversation context">
      {at < 0 ? <pre className="evidence-excerpt">{ev.excerpt}</pre> : slice.map((e, i) => <EventRow key={e.id} e={e} here={i === at} />)}
      <div className="context-foot">
        <button type="button" className="btn sm" onClick={() => openSession({ sessionId: ev.sessionId, eventId: ev.eventId })}>Open full session<Icon name="chevron" size={12} /></button>
      </div>
    </div>
  );
}
