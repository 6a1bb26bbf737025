// Reads one session: every event, virtualized (a long agent run has thousands), scrolled to the
// event the user came for. A side panel on the Timeline, a drawer anywhere else.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Drawer } from '../ui/parts';
import { fmtDateTime, plural } from '../ui/format';
import { EventRow } from './Events';
import { loadSession, type SessionDoc } from './sessionCache';

export function SessionReader({ asDrawer = false }: { asDrawer?: boolean }) {
  const reader = useApp((s) => s.reader);
  const openSession = useApp((s) => s.openSession);
  const agents = useApp((s) => s.agents);
  const [doc, setDoc] = useState<SessionDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!reader) return;
    let live = true;
    setDoc(null);
    setError(null);
    loadSession(reader.sessionId).then((d) => live && setDoc(d), (err: Error) => live && setError(err.message));
    return () => { live = false; };
  }, [reader?.sessionId]);
  if (!reader) return null;
  const close = () => openSession(null);
  const s = doc?.session;
  const title = s?.title ?? 'Session';
  const agent = s ? agents.find((a) => a.id === s.agentId)?.name ?? s.agentId : '';
  const sub = s ? `${agent} · ${fmtDateTime(s.startedAt)} · ${plural(s.eventCount, 'event')}${s.errorCount ? ` · ${plural(s.errorCount, 'error')}` : ''}` : error ?? 'Loading…';
  const body = error ? <p className="alert" role="alert">{error}</p> : !doc ? <div className="skeleton" style={{ height: 200 }} /> : <EventList doc={doc} focus={reader.eventId} />;
  if (asDrawer) return <Drawer label="Session" title={title} sub={sub} onClose={close}>{body}</Drawer>;
  return (
    <section className="reader" aria-label="Session">
      <div className="drawer-head">
        <div><h2>{title}</h2><div className="sub">{sub}</div></div>
        <button type="button" className="btn ghost icon" aria-label="Close session" onClick={close}><Icon name="close" /></button>
      </div>
      <div className="reader-events">{body}</div>
    </section>
  );
}

function EventList({ doc, focus }: { doc: SessionDoc; focus?: string }) {
  const parent = useRef<HTMLDivElement>(null);
  const events = doc.events;
  const v = useVirtualizer({ count: events.length, getScrollElement: () => parent.current?.closest('.drawer-body, .reader-events') as HTMLElement | null, estimateSize: () => 48, overscan: 8 });
  useEffect(() => {
    const i = focus ? events.findIndex((e) => e.id === focus) : -1;
    if (i >= 0) v.scrollToIndex(i, { align: 'center' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus, events]);
  return (
    <div ref={parent} role="log" aria-label="Conversation" style={{ height: v.getTotalSize(), position: 'relative' }}>
      {v.getVirtualItems().map((item) => (
        <div key={item.key} data-index={item.index} ref={v.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
          <EventRow e={events[item.index]} here={events[item.index].id === focus} />
        </div>
      ))}
    </div>
  );
}
