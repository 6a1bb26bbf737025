// Progress: do the mistakes stop? Overall and per agent, recurrences per session over time; per
// lesson, the rate before and after it was written back (or became active), with stalled lessons
// flagged and the likely reason spelled out. All figures come from the core's progress report;
// when a build has no report yet, the overall curve falls back to errors and corrections per
// session from the imported sessions, and says so.
import { useEffect, useMemo, useState } from 'react';
import { Area, Bar, BarChart, CartesianGrid, Cell, ComposedChart, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Session } from '../../../shared/model';
import { api, callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Empty, PageHead, Unavailable } from '../ui/parts';
import { agentColor, fmtDate, plural } from '../ui/format';
import { ProgressView, TREND_LABEL, TREND_TONE, type LessonProgressView } from './progressModel';

const WEEK = 7 * 864e5;
const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--line)', borderRadius: 8, fontSize: 12, color: 'var(--fg)' };

export function Progress() {
  const info = useApp((s) => s.info);
  const go = useApp((s) => s.go);
  const [report, setReport] = useState<ProgressView | null>(null);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canReport = has('progress.get');

  useEffect(() => {
    let live = true;
    if (canReport) {
      callLoose('progress.get', {}).then((r) => {
        const parsed = ProgressView.safeParse(r);
        if (!live) return;
        if (parsed.success) setReport(parsed.data);
        else setError(`The progress report has an unexpected shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      }, (err) => live && setError(errorMessage(err)));
    } else {
      api.call('sessions.list', { offset: 0, limit: 20000 }).then((r) => live && setSessions(r.sessions), (err) => live && setError(errorMessage(err)));
    }
    return () => { live = false; };
  }, [info?.counts.sessions, info?.counts.dreams, info?.counts.lessons, canReport]);

  if (info && info.counts.sessions === 0) {
    return (
      <>
        <PageHead title="Progress" />
        <div className="page-body"><Empty icon="progress" title="Nothing to measure yet" actions={<button type="button" className="btn primary" onClick={() => go('import')}>Import sessions</button>}>
          Progress compares how often each lesson’s mistake recurs per session before and after the lesson was written back. It needs sessions from before and after.
        </Empty></div>
      </>
    );
  }

  const lessons = report ? [...report.lessons].sort((a, b) => Number(b.trend === 'stalled') - Number(a.trend === 'stalled') || b.before.rate - a.before.rate) : [];
  const stalled = lessons.filter((l) => l.trend === 'stalled');
  const improving = lessons.filter((l) => l.trend === 'improving');

  return (
    <>
      <PageHead title="Progress" sub={report ? `${plural(report.overall.sessions, 'session')} · overall ${TREND_LABEL[report.overall.trend].toLowerCase()}` : ''} />
      <div className="page-body">
        <div className="page-inner">
          {error && <p className="alert" role="alert">{error}</p>}
          {report ? (
            <>
              <div className="kpis" role="group" aria-label="Overall figures">
                <Kpi v={report.overall.sessions ? (report.overall.recurrences / report.overall.sessions).toFixed(2) : '—'} k="recurrences per session" />
                <Kpi v={String(improving.length)} k="lessons improving" tone={improving.length ? 'var(--green)' : undefined} />
                <Kpi v={String(stalled.length)} k="lessons stalled" tone={stalled.length ? 'var(--amber)' : undefined} />
                <Kpi v={`${report.store.active}`} k={`active lessons${report.store.candidates ? ` · ${report.store.candidates} candidates` : ''}`} />
              </div>
              {report.store.noisy && <p className="why" style={{ marginTop: 12 }} role="note"><b>Noisy store.</b> Many candidates and few recurring patterns: the work in these sessions varies a lot, so curves move slowly.</p>}
              <OverallChart title={`Recurrences per session, by ${report.bucket}`} sub="How often any lesson’s pattern showed up, all agents." data={report.overall.buckets.map((b) => ({ t: Date.parse(b.start), rate: b.rate, sessions: b.sessions }))} />
              {report.agents.length > 0 && <AgentCurves agents={report.agents} />}
            </>
          ) : canReport ? <div className="skeleton" style={{ height: 320 }} /> : (
            <>
              <Unavailable what="The progress report">The curve below is computed from the sessions alone (failed tool calls and corrections per session); per-lesson figures need the report.</Unavailable>
              <FallbackChart sessions={sessions} />
            </>
          )}

          {report && (
            <>
              <h2 className="section-title" style={{ marginTop: 28 }}>Per lesson<span className="count">{lessons.length}</span><span className="rule" /></h2>
              {lessons.length > 0 && <p className="muted" style={{ fontSize: 12, margin: '-4px 0 10px' }}>Each curve is the lesson’s recurrences per session, by {report.bucket}; the solid mark is when it was written back, the dashed one when it became active. The bars compare the rate before and after.</p>}
              {lessons.length === 0 ? <p className="muted">No lesson to measure yet: lessons appear after a dream finds recurring patterns.</p> : (
                <div className="plist" role="list" aria-label="Lessons' recurrence">
                  {lessons.map((l) => <LessonRow key={l.lessonId} l={l} />)}
                </div>
              )}
            </>
          )}
        </div>
      </div>
    </>
  );
}

const Kpi = ({ v, k, tone }: { v: string; k: string; tone?: string }) => <div className="kpi"><span className="v" style={{ color: tone }}>{v}</span><span className="k">{k}</span></div>;

/** Recurrences per session over the last few buckets, weighted by sessions: the trend under the noise. */
function rolling(data: { t: number; rate: number; sessions: number }[], width = 5) {
  return data.map((d, i) => {
    const win = data.slice(Math.max(0, i - width + 1), i + 1);
    const sessions = win.reduce((a, w) => a + w.sessions, 0);
    return { ...d, trend: sessions ? win.reduce((a, w) => a + w.rate * w.sessions, 0) / sessions : 0 };
  });
}

function OverallChart({ title, sub, data: raw }: { title: string; sub: string; data: { t: number; rate: number; sessions: number }[] }) {
  const data = useMemo(() => rolling(raw), [raw]);
  return (
    <section className="card chart-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="sub">{sub} The line is the trend over the last five points.</p>
      <div className="chart-box">
        {data.length === 0 ? <p className="muted">No dated sessions yet.</p> : (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
              <defs><linearGradient id="rate" x1="0" y1="0" x2="0" y2="1"><stop offset="0%" stopColor="var(--accent)" stopOpacity={0.28} /><stop offset="100%" stopColor="var(--accent)" stopOpacity={0} /></linearGradient></defs>
              <CartesianGrid stroke="var(--line)" vertical={false} />
              <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => fmtDate(new Date(t).toISOString())} stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} minTickGap={40} />
              <YAxis stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} />
              <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => fmtDate(new Date(Number(t)).toISOString())} formatter={(v, n, item) => (n === 'trend' ? [Number(v).toFixed(2), 'trend (5 buckets)'] : [`${Number(v).toFixed(2)} per session (${(item.payload as { sessions: number }).sessions} sessions)`, 'recurrences'])} />
              <Area type="linear" dataKey="rate" stroke="var(--accent)" strokeOpacity={0.45} strokeWidth={1.25} fill="url(#rate)" isAnimationActive={false} dot={{ r: 2, fill: 'var(--accent)', fillOpacity: 0.5, strokeWidth: 0 }} />
              <Line type="monotone" dataKey="trend" stroke="var(--accent)" strokeWidth={2.25} dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
    </section>
  );
}

function AgentCurves({ agents }: { agents: ProgressView['agents'] }) {
  // One series per agent on a shared time axis.
  const data = useMemo(() => {
    // Series keys are indexes: agent ids hold '.' and recharts reads a dotted dataKey as a path.
    const byT = new Map<number, Record<string, number>>();
    agents.forEach((a, i) => { for (const b of a.buckets) {
      const t = Date.parse(b.start);
      byT.set(t, { ...(byT.get(t) ?? { t }), [`a${i}`]: b.rate });
    } });
    return [...byT.values()].sort((x, y) => x.t - y.t);
  }, [agents]);
  const shown = agents.map((a, i) => ({ ...a, key: `a${i}` })).filter((a) => a.buckets.length > 0).slice(0, 8);
  return (
    <section className="card chart-card" aria-label="Per agent">
      <h3>Per agent</h3>
      <p className="sub">Recurrences per session for each agent; the tag says where its curve is heading.</p>
      <div className="chart-box" style={{ height: 180 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
            <CartesianGrid stroke="var(--line)" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => fmtDate(new Date(t).toISOString())} stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} minTickGap={40} />
            <YAxis stroke="var(--faint)" fontSize={11} tickLine={false} axisLine={false} />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => fmtDate(new Date(Number(t)).toISOString())} formatter={(v, n) => [Number(v).toFixed(2), shown.find((a) => a.key === n)?.name ?? String(n)]} />
            {shown.map((a) => <Line key={a.key} type="linear" dataKey={a.key} stroke={agentColor(a.agentId)} strokeWidth={1.75} dot={{ r: 2.5, fill: agentColor(a.agentId), strokeWidth: 0 }} connectNulls isAnimationActive={false} />)}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {shown.filter((a) => a.trend === 'stalled' && a.explanation).map((a) => <p key={a.key} className="why" role="note" style={{ marginTop: 8 }}><b>{a.name} stalled.</b> {a.explanation}</p>)}
      <div className="legend">{shown.map((a) => <span key={a.key} title={a.explanation}><i style={{ background: agentColor(a.agentId) }} />{a.name}<span className={`tag ${TREND_TONE[a.trend]}`} style={{ height: 17, fontSize: 10.5 }}>{TREND_LABEL[a.trend]}</span></span>)}</div>
    </section>
  );
}

function LessonRow({ l }: { l: LessonProgressView }) {
  const data = [{ k: 'before', v: l.before.rate, n: l.before.sessions }, { k: 'after', v: l.after.rate, n: l.after.sessions }];
  const pivot = l.pivotKind === 'written-back' ? 'written back' : l.pivotKind === 'activated' ? 'active' : null;
  return (
    <div className="card prow" role="listitem" aria-label={l.title}>
      <div className="name">
        <b>{l.title}</b>
        <span className="muted" style={{ fontSize: 12 }}>{pivot && l.pivot ? `${pivot} ${fmtDate(l.pivot)} · ` : 'not active yet · '}{l.before.sessions} sessions before, {l.after.sessions} after{l.lastRecurrence ? ` · last seen ${fmtDate(l.lastRecurrence)}` : ''}</span>
      </div>
      <LessonCurve l={l} />
      <div className="chart-box sm" aria-label={`Before ${l.before.rate.toFixed(2)}, after ${l.after.rate.toFixed(2)} per session`} role="img">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 6, bottom: 4, left: 0 }} barCategoryGap={6}>
            <XAxis type="number" hide domain={[0, (max: number) => Math.max(max, 0.01)]} />
            <YAxis type="category" dataKey="k" width={44} fontSize={11} stroke="var(--faint)" tickLine={false} axisLine={false} />
            <Bar dataKey="v" radius={3} isAnimationActive={false}>
              {data.map((d) => <Cell key={d.k} fill={d.k === 'before' ? 'var(--line-strong)' : l.trend === 'stalled' ? 'var(--amber)' : 'var(--accent)'} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="delta">
        <span className={`tag ${TREND_TONE[l.trend]}`}>{TREND_LABEL[l.trend]}</span>
        <b className="num">{l.before.rate.toFixed(2)} → {l.after.rate.toFixed(2)}</b>
        <span className="muted" style={{ fontSize: 11.5 }}>per session</span>
      </div>
      {(l.trend === 'stalled' || l.reasons.length > 0) && l.explanation && <p className="why" role="note"><b>{l.trend === 'stalled' ? 'Stalled. ' : ''}</b>{l.explanation}</p>}
      {l.trend !== 'stalled' && l.reasons.length === 0 && l.explanation && <p className="muted" style={{ gridColumn: '1 / -1', fontSize: 12 }}>{l.explanation}</p>}
    </div>
  );
}

/**
 * A lesson's recurrences per session over time (same buckets as the overall curve), with a marker
 * where it was written back (solid) and where it became active (dashed): whether the line drops
 * after the marker is the question the row answers. Buckets with no session in the lesson's scope
 * are gaps, not zeros.
 */
function LessonCurve({ l }: { l: LessonProgressView }) {
  const data = useMemo(() => l.series.map((b) => ({ t: Date.parse(b.start), rate: b.sessions ? b.rate : null, sessions: b.sessions })), [l.series]);
  const written = l.writtenBackAt ? Date.parse(l.writtenBackAt) : null;
  const activated = l.activatedAt ? Date.parse(l.activatedAt) : null;
  const stroke = l.trend === 'stalled' ? 'var(--amber)' : l.trend === 'improving' ? 'var(--green)' : 'var(--accent)';
  const label = `Recurrence curve: ${data.filter((d) => d.rate !== null).length} points${written ? `, written back ${fmtDate(l.writtenBackAt!)}` : ''}${activated ? `, active since ${fmtDate(l.activatedAt!)}` : ''}`;
  if (data.length === 0) return <div className="chart-box sm curve" />;
  return (
    <div className="chart-box sm curve" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 6, right: 4, bottom: 4, left: 4 }}>
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} hide />
          <YAxis hide domain={[0, (max: number) => Math.max(max, 0.5)]} />
          <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => fmtDate(new Date(Number(t)).toISOString())} formatter={(v, _n, item) => [`${Number(v).toFixed(2)} per session (${(item.payload as { sessions: number }).sessions} sessions)`, 'recurrences']} />
          {activated !== null && activated !== written && <ReferenceLine x={activated} stroke="var(--faint)" strokeDasharray="3 3" ifOverflow="extendDomain" className="marker-activated" />}
          {written !== null && <ReferenceLine x={written} stroke="var(--fg-2)" strokeWidth={1.5} ifOverflow="extendDomain" className="marker-written" />}
          <Line type="linear" dataKey="rate" stroke={stroke} strokeWidth={1.6} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Without the report: failed tool calls and corrections per session, weekly, from the sessions. */
function FallbackChart({ sessions }: { sessions: Session[] | null }) {
  const data = useMemo(() => {
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
    return [...weeks.entries()].sort(([a], [b]) => a - b).map(([w, b]) => ({ t: t0 + w * WEEK, rate: b.mistakes / b.sessions, sessions: b.sessions }));
  }, [sessions]);
  if (!sessions) return <div className="skeleton" style={{ height: 260, marginTop: 14 }} />;
  return <OverallChart title="Mistakes per session, weekly" sub="Failed tool calls and your corrections per session, all agents." data={data} />;
}
