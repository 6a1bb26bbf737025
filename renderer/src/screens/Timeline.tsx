// Timeline: every agent's sessions on one time axis, newest first, virtualized (10k sessions
// scroll at a steady frame rate because only the visible rows exist). Day headers, dream rows
// where lessons were learned, markers for errors, corrections and lesson evidence; click a session
// to read it beside the list.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Session } from '../../../shared/model';
import { api } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Empty, PageHead } from '../ui/parts';
import { agentColor, fmtDate, fmtDay, fmtTime, plural } from '../ui/format';
import { SessionReader } from './SessionReader';

type Row =
  | { type: 'day'; key: string; label: string; n: number }
  | { type: 'session'; key: string; s: Session }
  | { type: 'dream'; key: string; at: string; added: number; changes: number };

const HEIGHT = { day: 34, session: 44, dream: 44 } as const;
const dayKey = (iso: string | null) => (iso ? iso.slice(0, 10) : 'undated');

export function Timeline() {
  const agents = useApp((s) => s.agents);
  const lessons = useApp((s) => s.lessons);
  const dreams = useApp((s) => s.dreams);
  const info = useApp((s) => s.info);
  const reader = useApp((s) => s.reader);
  const openSession = useApp((s) => s.openSession);
  const go = useApp((s) => s.go);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [agent, setAgent] = useState('');
  const [only, setOnly] = useState<'all' | 'errors' | 'lessons'>('all');

  const sessionCount = info?.counts.sessions;
  useEffect(() => {
    let live = true;
    api.call('sessions.list', { offset: 0, limit: 20000 }).then((r) => live && setSessions(r.sessions), (err) => live && setError(errorMessage(err)));
    return () => { live = false; };
  }, [sessionCount]);

  // Sessions that are evidence of a lesson: "the moment a lesson was learned from".
  const evidenceOf = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const l of lessons) for (const e of l.evidence) m.set(e.sessionId, [...(m.get(e.sessionId) ?? []), l.title]);
    return m;
  }, [lessons]);

  const visible = useMemo(() => (sessions ?? []).filter((s) => (!agent || s.agentId === agent) && (only === 'all' || (only === 'errors' ? s.errorCount + s.correctionCount > 0 : evidenceOf.has(s.id)))), [sessions, agent, only, evidenceOf]);

  const rows = useMemo(() => {
    const sorted = [...visible].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    const learned = dreams.filter((d) => d.status === 'applied' && d.changes.length > 0).sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    const perDay = new Map<string, number>();
    for (const s of sorted) perDay.set(dayKey(s.startedAt), (perDay.get(dayKey(s.startedAt)) ?? 0) + 1);
    const out: Row[] = [];
    let day = '';
    let di = 0;
    const pushDreamsAfter = (iso: string) => {
      while (di < learned.length && learned[di].finishedAt >= iso) {
        const d = learned[di++];
        out.push({ type: 'dream', key: `d:${d.id}`, at: d.finishedAt, added: d.changes.filter((c) => c.op === 'add').length, changes: d.changes.length });
      }
    };
    for (const s of sorted) {
      const k = dayKey(s.startedAt);
      if (s.startedAt) pushDreamsAfter(s.startedAt);
      if (k !== day) {
        day = k;
        out.push({ type: 'day', key: `day:${k}`, label: s.startedAt ? fmtDay(s.startedAt) : 'Undated', n: perDay.get(k) ?? 0 });
      }
      out.push({ type: 'session', key: s.id, s });
    }
    pushDreamsAfter('');
    return out;
  }, [visible, dreams]);

  const scroller = useRef<HTMLDivElement>(null);
  // Stable callbacks: the virtualizer recomputes every row's offset (10k of them) whenever
  // getItemKey changes identity, which would happen on every scroll frame.
  const estimateSize = useCallback((i: number) => HEIGHT[rows[i].type], [rows]);
  const getItemKey = useCallback((i: number) => rows[i].key, [rows]);
  const getScrollElement = useCallback(() => scroller.current, []);
  const v = useVirtualizer({ count: rows.length, getScrollElement, estimateSize, overscan: 6, getItemKey });
  const [focusKey, setFocusKey] = useState<string | null>(null);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const down = e.key === 'ArrowDown' || e.key === 'j';
    const up = e.key === 'ArrowUp' || e.key === 'k';
    if (!down && !up && e.key !== 'Enter') return;
    const i = rows.findIndex((r) => r.key === focusKey);
    if (e.key === 'Enter') {
      const r = rows[i];
      if (r?.type === 'session') openSession({ sessionId: r.s.id });
      return;
    }
    e.preventDefault();
    let j = i;
    do j += down ? 1 : -1; while (j >= 0 && j < rows.length && rows[j].type !== 'session');
    if (j < 0 || j >= rows.length) return;
    setFocusKey(rows[j].key);
    v.scrollToIndex(j, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(rows[j].key)}"]`)?.focus());
  };

  const agentName = useCallback((id: string) => agents.find((a) => a.id === id)?.name ?? id, [agents]);
  const onOpen = useCallback((key: string, sessionId: string) => { setFocusKey(key); openSession({ sessionId }); }, [openSession]);
  // From the overview: scroll the list to the newest session at or before a moment.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const jumpTo = useCallback((t: number) => {
    const iso = new Date(t).toISOString();
    const i = rowsRef.current.findIndex((r) => r.type === 'session' && (r.s.startedAt ?? '') <= iso);
    if (i >= 0) v.scrollToIndex(Math.max(0, i - 1), { align: 'start' });
  }, [v]);
  const usedAgents = useMemo(() => agents.filter((a) => (sessions ?? []).some((s) => s.agentId === a.id)), [agents, sessions]);

  return (
    <>
      <PageHead title="Timeline" sub={sessions ? `${plural(visible.length, 'session')}${visible.length !== sessions.length ? ` of ${sessions.length.toLocaleString()}` : ''} · ${plural(usedAgents.length, 'agent')}` : ''}>
        <select className="btn" aria-label="Agent" value={agent} onChange={(e) => setAgent(e.target.value)}>
          <option value="">All agents</option>
          {usedAgents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
        <select className="btn" aria-label="Show" value={only} onChange={(e) => setOnly(e.target.value as typeof only)}>
          <option value="all">All sessions</option>
          <option value="errors">With errors or corrections</option>
          <option value="lessons">Lesson evidence</option>
        </select>
      </PageHead>
      {error && <div className="page-inner"><p className="alert" role="alert">{error}</p></div>}
      {sessions && sessions.length === 0 ? (
        <div className="page-body"><Empty icon="timeline" title="No sessions yet" actions={<button type="button" className="btn primary" onClick={() => go('import')}>Import sessions</button>}>
          The timeline shows every session of every agent on one axis, with their errors, your corrections and the moments lessons were learned.
        </Empty></div>
      ) : (
        <div className={`timeline-layout ${reader ? 'reading' : ''}`} style={{ flex: 1, minHeight: 0 }}>
          <div className="tl-col">
            <Overview sessions={visible} agentName={agentName} onJump={jumpTo} />
            <div className="tl-scroll" ref={scroller} role="grid" aria-label="Sessions over time" aria-rowcount={rows.length} onKeyDown={onKey} tabIndex={focusKey ? -1 : 0} onFocus={(e) => { if (e.target === e.currentTarget && !focusKey) { const first = rows.find((r) => r.type === 'session'); if (first) { setFocusKey(first.key); requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(first.key)}"]`)?.focus()); } } }}>
              {!sessions && <div style={{ padding: 24 }}><div className="skeleton" style={{ height: 240 }} /></div>}
              <div style={{ height: v.getTotalSize(), position: 'relative' }}>
                {v.getVirtualItems().map((item) => {
                  const r = rows[item.index];
                  return <TimelineRow key={r.key} row={r} start={item.start} focused={focusKey === r.key} selected={r.type === 'session' && reader?.sessionId === r.s.id} learned={r.type === 'session' ? evidenceOf.get(r.s.id) : undefined} agentName={agentName} onOpen={onOpen} />;
                })}
              </div>
            </div>
          </div>
          {reader && <SessionReader />}
        </div>
      )}
    </>
  );
}

/**
 * One row, memoized: while scrolling only the rows that come into view render; the rows already
 * on screen keep their props (their offset does not change) and are skipped.
 */
const TimelineRow = memo(function TimelineRow({ row: r, start, focused, selected, learned, agentName, onOpen }: { row: Row; start: number; focused: boolean; selected: boolean; learned?: string[]; agentName: (id: string) => string; onOpen: (key: string, sessionId: string) => void }) {
  const style = { transform: `translateY(${start}px)`, top: 0 };
  if (r.type === 'day') return <div className="tl-day" style={style} role="row" aria-label={r.label}><span role="rowheader" style={{ color: 'inherit', margin: 0, fontWeight: 600 }}>{r.label}</span><span>{plural(r.n, 'session')}</span></div>;
  if (r.type === 'dream') return (
    <div className="tl-dream" style={style} role="row" aria-label="Dream">
      <span className="time">{fmtTime(r.at)}</span><Icon name="sparkle" size={14} />
      <span>Dream · {r.added ? `${plural(r.added, 'lesson')} learned` : plural(r.changes, 'change')}</span>
    </div>
  );
  const s = r.s;
  return (
    <div data-key={r.key} className="tl-row" style={style} role="row" tabIndex={focused ? 0 : -1} aria-selected={selected} aria-label={`${s.title} — ${agentName(s.agentId)}`} onClick={() => onOpen(r.key, s.id)}>
      <span className="time">{fmtTime(s.startedAt)}</span>
      <span className="lane" style={{ background: agentColor(s.agentId) }} title={agentName(s.agentId)} />
      <span className="ttl"><b>{s.title || 'Untitled session'}</b><small>{agentName(s.agentId)} · {plural(s.eventCount, 'event')}</small></span>
      <span className="marks">
        {s.errorCount > 0 && <span className="mark err" title={`${s.errorCount} failed tool calls`}>{s.errorCount} err</span>}
        {s.correctionCount > 0 && <span className="mark corr" title={`${s.correctionCount} corrections`}>{s.correctionCount} fix</span>}
        {learned && <span className="mark learn" title={`Evidence for: ${learned.join('; ')}`}><Icon name="sparkle" size={11} />{learned.length}</span>}
      </span>
    </div>
  );
});

/** Sessions per day (or week, over long spans), stacked by agent; mistakes drawn as a red line. */
const Overview = memo(function Overview({ sessions, agentName, onJump }: { sessions: Session[]; agentName: (id: string) => string; onJump: (t: number) => void }) {
  const model = useMemo(() => {
    const dated = sessions.filter((s) => s.startedAt);
    if (dated.length === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const s of dated) { const t = Date.parse(s.startedAt!); if (t < min) min = t; if (t > max) max = t; }
    const day = 864e5;
    const span = Math.max(day, max - min);
    const bucket = span / day > 180 ? 7 * day : day;
    const n = Math.min(400, Math.floor(span / bucket) + 1);
    const agentIds = [...new Set(dated.map((s) => s.agentId))];
    const counts = agentIds.map(() => new Array<number>(n).fill(0));
    const errs = new Array<number>(n).fill(0);
    for (const s of dated) {
      const b = Math.min(n - 1, Math.floor((Date.parse(s.startedAt!) - min) / bucket));
      counts[agentIds.indexOf(s.agentId)][b]++;
      errs[b] += s.errorCount + s.correctionCount;
    }
    const totals = counts[0].map((_, i) => counts.reduce((a, c) => a + c[i], 0));
    return { min, max, n, bucket, agentIds, counts, errs, top: Math.max(1, ...totals), errTop: Math.max(1, ...errs), weekly: bucket > day };
  }, [sessions]);
  if (!model) return null;
  const W = 1000;
  const H = 64;
  const bw = W / model.n;
  return (
    <div className="overview" aria-label={`Sessions per ${model.weekly ? 'week' : 'day'}`} role="img">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" style={{ cursor: 'pointer' }} onClick={(e) => {
        // A click on a day (or week) scrolls the list to it.
        const box = e.currentTarget.getBoundingClientRect();
        const b = Math.floor(((e.clientX - box.left) / box.width) * model.n);
        onJump(model.min + (b + 1) * model.bucket - 1);
      }}>
        {model.counts[0].map((_, i) => {
          let y = H;
          return model.agentIds.map((id, a) => {
            const h = (model.counts[a][i] / model.top) * (H - 4);
            if (!h) return null;
            y -= h;
            return <rect key={`${i}:${a}`} x={i * bw + bw * 0.12} y={y} width={Math.max(0.8, bw * 0.76)} height={h} rx={Math.min(2, bw / 4)} fill={agentColor(id)} opacity={0.85} />;
          });
        })}
        <polyline fill="none" stroke="var(--red)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" points={model.errs.map((e, i) => `${i * bw + bw / 2},${H - 2 - (e / model.errTop) * (H - 8)}`).join(' ')} opacity={0.8} />
      </svg>
      <div className="axis"><span>{fmtDate(new Date(model.min).toISOString())}</span><span>{fmtDate(new Date(model.max).toISOString())}</span></div>
      <div className="legend">
        {model.agentIds.slice(0, 8).map((id) => <span key={id}><i style={{ background: agentColor(id) }} />{agentName(id)}</span>)}
        {model.agentIds.length > 8 && <span>+{model.agentIds.length - 8} more</span>}
        <span><i style={{ background: 'var(--red)', height: 2 }} />errors and corrections</span>
      </div>
    </div>
  );
});
