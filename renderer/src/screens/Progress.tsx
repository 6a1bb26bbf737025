// Progress: do the mistakes stop? Overall, the errors and corrections per session over time from
// the imported sessions (with the moments lessons became active); per lesson, the recurrence
// before and after it became active, with stalled lessons flagged and explained, from the core's
// progress method when this build has it.
import { useEffect, useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Session } from '../../../shared/model';
import { api, callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Empty, PageHead, Unavailable } from '../ui/parts';
import { fmtDate, plural } from '../ui/format';
import { parseProgress, type LessonProgress, type ProgressReport } from './progressModel';

const WEEK = 7 * 864e5;

export function Progress() {
  const info = useApp((s) => s.info);
  const lessons = useApp((s) => s.lessons);
  const go = useApp((s) => s.go);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [report, setReport] = useState<ProgressReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progressMethod = ['progress.get', 'progress.report', 'progress.list'].find(has) ?? null;

  useEffect(() => {
    let live = true;
    api.call('sessions.list', { offset: 0, limit: 20000 }).then((r) => live && setSessions(r.sessions), (err) => live && setError(errorMessage(err)));
    if (progressMethod) callLoose(progressMethod, {}).then((r) => live && setReport(parseProgress(r)), (err) => live && setError(errorMessage(err)));
    return () => { live = false; };
  }, [info?.counts.sessions, info?.counts.dreams, progressMethod]);

  // Weekly: failed tool calls and corrections per session (the "mistakes" rate), all agents.
  const overall = useMemo(() => {
    const dated = (sessions ?? []).filter((s) => s.startedAt);
    if (dated.length === 0) return [];
    const t0 = Math.min(...dated.map((s) => Date.parse(s.startedAt!)));
    const weeks = new Map<number, { sessions: number; mistakes: number }>();
    for (const s of dated) {
      const w = Math.floor((Date.parse(s.startedAt!) - t0) / WEEK);
      const b = weeks.get(w) ?? { sessions: 0, mistakes: 0 };
      b.sessions++;
      b.mistakes += s.errorCount + s.correctionCount;
      weeks.set(w, b);
    }
    return [...weeks.entries()].sort(([a], [b]) => a - b).map(([w, b]) => ({ t: t0 + w * WEEK, rate: +(b.mistakes / b.sessions).toFixed(2), sessions: b.sessions }));
  }, [sessions]);

  const activations = lessons.filter((l) => l.activatedAt && l.status !== 'retired');
  const firstHalf = overall.slice(0, Math.ceil(overall.length / 2));
  const secondHalf = overall.slice(Math.ceil(overall.length / 2));
  const avg = (xs: { rate: number }[]) => (xs.length ? xs.reduce((a, x) => a + x.rate, 0) / xs.length : 0);
  const stalled = report?.lessons.filter((l) => l.stalled) ?? [];

  if (info && info.counts.sessions === 0) {
    return (
      <>
        <PageHead title="Progress" />
        <div className="page-body"><Empty icon="progress" title="Nothing to measure yet" actions={<button type="button" className="btn primary" onClick={() => go('import')}>Import sessions</button>}>
          Progress compares how often each lesson’s mistake recurs per session before and after the lesson became active. It needs sessions from before and after.
        </Empty></div>
      </>
    );
  }

  return (
    <>
      <PageHead title="Progress" sub={report?.summary ?? (overall.length ? `${plural(overall.length, 'week')} of sessions` : '')} />
      <div className="page-body">
        <div className="page-inner">
          {error && <p className="alert" role="alert">{error}</p>}
          <div className="kpis" role="group" aria-label="Overall figures">
            <Kpi v={report?.overall.before != null ? report.overall.before.toFixed(2) : avg(firstHalf).toFixed(2)} k={report ? 'recurrences / session before' : 'mistakes / session, earlier half'} />
            <Kpi v={report?.overall.after != null ? report.overall.after.toFixed(2) : avg(secondHalf).toFixed(2)} k={report ? 'recurrences / session after' : 'mistakes / session, later half'} />
            <Kpi v={String(activations.length)} k="active lessons" />
            <Kpi v={report ? String(stalled.length) : '—'} k="stalled lessons" />
          </div>

          <section className="card chart-card" aria-label="Mistakes per session over time">
            <h3>Mistakes per session, weekly</h3>
            <p className="sub">Failed tool calls and your corrections per session, all agents. Dashed lines: a lesson became active.</p>
            <div className="chart-box">
              {sessions === null ? <div className="skeleton" style={{ height: '100%' }} /> : (
                <ResponsiveContainer width="100%" height="100%">
                  <AreaChart data={overall} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
                    <defs><linearGradient id="rate" x1="0" y1="0" x2="0" y2="1"><stop offset="0%" stopColor="var(--accent)" stopOpacity={0.28} /><stop offset="100%" stopColor="var(--accent)" stopOpacity={0} /></linearGradient></defs>
                    <CartesianGrid stroke="var(--line)" vertical={false} />
                    <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => fmtDate(new Date(t).toISOString())} stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} />
                    <YAxis stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} allowDecimals />
                    <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--line)', borderRadius: 8, fontSize: 12 }} labelFormatter={(t) => `Week of ${fmtDate(new Date(Number(t)).toISOString())}`} formatter={(v) => [v, 'mistakes / session']} />
                    {activations.map((l) => <ReferenceLine key={l.id} x={Date.parse(l.activatedAt!)} stroke="var(--accent)" strokeDasharray="3 3" strokeOpacity={0.6} />)}
                    <Area type="monotone" dataKey="rate" stroke="var(--accent)" strokeWidth={2} fill="url(#rate)" isAnimationActive={false} />
                  </AreaChart>
                </ResponsiveContainer>
              )}
            </div>
          </section>

          <h2 className="section-title">Per lesson<span className="rule" /></h2>
          {!progressMethod ? (
            <Unavailable what="Per-lesson recurrence">The curves appear here once the core computes recurrence before and after each lesson; until then, <code>reverie progress</code> prints the figures.</Unavailable>
          ) : !report ? <div className="skeleton" style={{ height: 120 }} /> : report.lessons.length === 0 ? (
            <p className="muted">No active lesson has sessions after it yet: recurrence is measured once new work arrives.</p>
          ) : (
            <div className="plist" role="list" aria-label="Lessons' recurrence">
              {[...report.lessons].sort((a, b) => Number(b.stalled) - Number(a.stalled)).map((l) => <LessonRow key={l.id} l={l} />)}
            </div>
          )}
        </div>
      </div>
    </>
  );
}

const Kpi = ({ v, k }: { v: string; k: string }) => <div className="kpi"><span className="v">{v}</span><span className="k">{k}</span></div>;

function LessonRow({ l }: { l: LessonProgress }) {
  const better = l.before != null && l.after != null && l.after < l.before;
  return (
    <div className="card prow" role="listitem" aria-label={l.title}>
      <div className="name"><b>{l.title}</b><span className="muted" style={{ fontSize: 12 }}>{l.detail}</span></div>
      <div className="chart-box sm">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={l.curve} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
            {l.activatedAt != null && <ReferenceLine x={l.activatedAt} stroke="var(--faint)" strokeDasharray="2 2" />}
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} hide />
            <YAxis hide domain={[0, 'dataMax']} />
            <Line type="monotone" dataKey="v" stroke={l.stalled ? 'var(--amber)' : 'var(--accent)'} strokeWidth={1.75} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="delta">
        <b className="num" style={{ color: l.stalled ? 'var(--amber)' : better ? 'var(--green)' : 'var(--fg)' }}>{l.before != null && l.after != null ? `${l.before.toFixed(2)} → ${l.after.toFixed(2)}` : '—'}</b>
        <span className="muted" style={{ fontSize: 11.5 }}>per session, before → after</span>
      </div>
      {l.stalled && <p className="why" role="note"><b>Stalled.</b> {l.reason ?? 'The mistake recurs as often as before the lesson.'}</p>}
    </div>
  );
}
