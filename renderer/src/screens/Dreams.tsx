// Dreams: the history of consolidation runs with counts per operation, and each dream's diff
// (added, reinforced, sharpened with a word-level before/after, merged, retired) with its reasons,
// token usage and cost, and undo.
import { diffWords } from 'diff';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { Change, ChangeOp, Dream, Lesson } from '../../../shared/model';
import { callLoose, has } from '../api';
import { errorMessage, useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Empty, PageHead, Unavailable } from '../ui/parts';
import { ago, fmtDateTime, pct, plural, usd } from '../ui/format';
import { DreamButton } from './Lessons';

const OP_ORDER: ChangeOp[] = ['add', 'promote', 'reinforce', 'sharpen', 'merge', 'split', 'retire'];
const OP_LABEL: Record<ChangeOp, string> = { add: 'Added', promote: 'Promoted', reinforce: 'Reinforced', sharpen: 'Sharpened', merge: 'Merged', split: 'Split', retire: 'Retired' };
const OP_VERB: Record<ChangeOp, string> = { add: 'added', promote: 'promoted', reinforce: 'reinforced', sharpen: 'sharpened', merge: 'merged', split: 'split', retire: 'retired' };

export function opCounts(d: Dream) {
  const m = new Map<ChangeOp, number>();
  for (const c of d.changes) m.set(c.op, (m.get(c.op) ?? 0) + 1);
  return OP_ORDER.filter((op) => m.has(op)).map((op) => ({ op, n: m.get(op)! }));
}

export function Dreams() {
  const dreams = useApp((s) => s.dreams);
  const loaded = useApp((s) => s.dreamsLoaded);
  const info = useApp((s) => s.info);
  const sorted = useMemo(() => [...dreams].sort((a, b) => b.startedAt.localeCompare(a.startedAt)), [dreams]);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    if (!selected || !sorted.some((d) => d.id === selected)) setSelected(sorted[0]?.id ?? null);
  }, [sorted, selected]);
  const dream = sorted.find((d) => d.id === selected) ?? null;

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = sorted.findIndex((d) => d.id === selected);
    const j = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : null;
    if (j === null || j < 0 || j >= sorted.length) return;
    e.preventDefault();
    setSelected(sorted[j].id);
    (e.currentTarget.querySelectorAll<HTMLElement>('[role="option"]')[j])?.focus();
  };

  return (
    <>
      <PageHead title="Dreams" sub={loaded ? plural(dreams.length, 'dream') : ''}><DreamButton /></PageHead>
      {loaded && sorted.length === 0 ? (
        <div className="page-body"><Empty icon="dreams" title="No dreams yet" actions={<DreamButton />}>
          A dream reads the sessions imported since the last one, finds what recurs, and proposes changes to your lessons: add, reinforce, sharpen, merge, retire. Every dream is kept here with its diff, and can be undone.
          {info && info.counts.sessions === 0 ? ' Import some sessions first.' : ''}
        </Empty></div>
      ) : (
        <div className="dreams-layout" style={{ flex: 1, minHeight: 0 }}>
          <div className="dream-list" role="listbox" aria-label="Dream history" onKeyDown={onKey}>
            {sorted.map((d) => (
              <button key={d.id} type="button" role="option" className="dream-item" aria-selected={d.id === selected} tabIndex={d.id === selected ? 0 : -1} onClick={() => setSelected(d.id)}>
                <span className="top">
                  {d.engine === 'claude' ? 'Claude' : 'Heuristic'}{d.full ? ' · full' : ''}
                  {d.status !== 'applied' && <span className={`tag ${d.status === 'failed' ? 'red' : d.status === 'undone' ? '' : d.status === 'pending' ? 'amber' : ''}`}>{d.status}</span>}
                  <span className="when">{ago(d.startedAt)}</span>
                </span>
                <span className="op-counts">
                  {opCounts(d).map(({ op, n }) => <span key={op} className={`op op-${op}`} title={`${n} ${OP_VERB[op]}`}>{n} {OP_VERB[op]}</span>)}
                  {d.changes.length === 0 && <span className="muted" style={{ fontSize: 12 }}>no changes</span>}
                </span>
              </button>
            ))}
          </div>
          <div className="dream-detail">{dream && <DreamDetail dream={dream} />}</div>
        </div>
      )}
    </>
  );
}

function DreamDetail({ dream: d }: { dream: Dream }) {
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [busy, setBusy] = useState(false);
  const canUndo = has('dreams.undo');
  const undo = async () => {
    setBusy(true);
    try {
      await callLoose('dreams.undo', { id: d.id });
      await refresh();
      toast({ message: 'Dream undone: your lessons are back as they were before it.', tone: 'success' });
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const byOp = OP_ORDER.map((op) => ({ op, changes: d.changes.filter((c) => c.op === op) })).filter((g) => g.changes.length);
  return (
    <div className="page-inner" aria-label="Dream details">
      <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
        <h2 style={{ fontSize: 16 }}>{fmtDateTime(d.startedAt)}</h2>
        <span className="tag">{d.engine === 'claude' ? 'Claude engine' : 'Heuristic engine'}</span>
        <span className="tag">{d.full ? 'Full re-dream' : 'New sessions'}</span>
        <span style={{ flex: 1 }} />
        {d.status === 'applied' && d.changes.length > 0 && (
          canUndo
            ? <button type="button" className="btn" onClick={() => void undo()} disabled={busy}><Icon name="undo" size={14} />{busy ? 'Undoing…' : 'Undo dream'}</button>
            : <button type="button" className="btn" disabled title="Undo is not available in this build yet"><Icon name="undo" size={14} />Undo dream</button>
        )}
        {d.status === 'undone' && <span className="tag">undone</span>}
      </div>
      <div className="stats" role="group" aria-label="Dream figures">
        <Stat v={d.stats.sessionsRead.toLocaleString()} k="sessions read" />
        <Stat v={d.stats.signalsRead.toLocaleString()} k="signals" />
        <Stat v={d.stats.patterns.toLocaleString()} k="recurring patterns" />
        <Stat v={d.stats.durationMs < 1000 ? `${Math.round(d.stats.durationMs)} ms` : `${(d.stats.durationMs / 1000).toFixed(1)} s`} k="duration" />
        {d.usage && <Stat v={(d.usage.inputTokens + d.usage.outputTokens + d.usage.cacheReadTokens + d.usage.cacheWriteTokens).toLocaleString()} k={`tokens (${compact(d.usage.cacheReadTokens)} cached)`} />}
        {d.usage && <Stat v={usd(d.usage.costUsd)} k="cost" />}
      </div>
      {d.message && <p className="muted" style={{ margin: '10px 0' }}>{d.message}</p>}
      {d.status === 'applied' && !canUndo && d.changes.length > 0 && <div style={{ marginTop: 10 }}><Unavailable what="Undo">Until it lands, run <code>reverie undo {d.id}</code>.</Unavailable></div>}
      {byOp.length === 0 && <p className="muted" style={{ marginTop: 16 }}>This dream changed nothing: no pattern recurred enough to add or change a lesson.</p>}
      {byOp.map(({ op, changes }) => (
        <section key={op} aria-label={OP_LABEL[op]}>
          <h3 className="section-title"><span className={`op op-${op}`}>{changes.length}</span>{OP_LABEL[op]}<span className="rule" /></h3>
          {changes.map((c) => <ChangeCard key={c.id} c={c} dreamId={d.id} />)}
        </section>
      ))}
    </div>
  );
}

const Stat = ({ v, k }: { v: string; k: string }) => <div className="stat"><span className="v">{v}</span><span className="k">{k}</span></div>;

function ChangeCard({ c, dreamId }: { c: Change; dreamId: string }) {
  const lesson = (c.after ?? c.before) as Lesson | null;
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [busy, setBusy] = useState(false);
  // Review mode: a pending change waits for the user's decision.
  const decide = async (accept: boolean) => {
    setBusy(true);
    try {
      await callLoose('dreams.review', { id: dreamId, accept: accept ? [c.id] : [], reject: accept ? [] : [c.id] });
      await refresh();
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="change" aria-label={`${OP_LABEL[c.op]}: ${lesson?.title ?? c.lessonId}`}>
      <div className="change-head">
        <span className={`kind-dot kind-${lesson?.kind ?? 'mistake'}`} />
        <span className="t">{lesson?.title ?? c.lessonId}</span>
        {c.decision !== 'applied' && <span className={`tag decision ${c.decision === 'rejected' ? 'red' : c.decision === 'pending' ? 'amber' : 'green'}`}>{c.decision}</span>}
      </div>
      <ChangeBody c={c} />
      {c.reason && <p className="reason">{c.reason}</p>}
      {c.decision === 'pending' && has('dreams.review') && (
        <div style={{ display: 'flex', gap: 6, justifyContent: 'flex-end' }}>
          <button type="button" className="btn sm ghost" disabled={busy} onClick={() => void decide(false)}>Reject</button>
          <button type="button" className="btn sm primary" disabled={busy} onClick={() => void decide(true)}><Icon name="check" size={12} />Accept</button>
        </div>
      )}
    </article>
  );
}

function ChangeBody({ c }: { c: Change }) {
  const { before, after } = c;
  if (c.op === 'sharpen' && before && after) {
    return (
      <div className="diff-rows">
        {before.title !== after.title && <><span className="lbl">Title</span><WordDiff a={before.title} b={after.title} /></>}
        <span className="lbl">Text</span><WordDiff a={before.text} b={after.text} />
      </div>
    );
  }
  if (c.op === 'reinforce' && before && after) {
    return (
      <p className="diff muted">
        {after.text}
        <br />
        <span className="num">{before.support.sessions} → <b>{after.support.sessions}</b> sessions · {before.support.agents} → <b>{after.support.agents}</b> agents · confidence {pct(before.confidence)} → <b>{pct(after.confidence)}</b></span>
      </p>
    );
  }
  if (c.op === 'merge' || c.op === 'split') {
    return (
      <>
        {before && after && before.text !== after.text ? <div className="diff-rows"><span className="lbl">Text</span><WordDiff a={before.text} b={after.text} /></div> : <p className="diff">{(after ?? before)?.text}</p>}
        {c.related.length > 0 && (
          <div className="related">
            <span>{c.op === 'merge' ? 'Absorbed:' : 'Parts:'}</span>
            {c.related.map((r) => <span key={r.lessonId}>{c.op === 'merge' ? <s>{r.before?.title ?? r.lessonId}</s> : r.after?.title ?? r.lessonId}</span>)}
          </div>
        )}
      </>
    );
  }
  if (c.op === 'retire' && before) return <p className="diff"><del>{before.text}</del></p>;
  if (c.op === 'promote' && after) return <p className="diff">{after.text} <span className="muted">candidate → active</span></p>;
  return <p className="diff">{after?.text ?? before?.text}</p>;
}

export function WordDiff({ a, b }: { a: string; b: string }) {
  const parts = useMemo(() => diffWords(a, b), [a, b]);
  return (
    <p className="diff" aria-label="Word changes">
      {parts.map((p, i) => (p.added ? <ins key={i}>{p.value}</ins> : p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>))}
    </p>
  );
}

const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString());
