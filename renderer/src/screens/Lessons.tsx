// Lessons, the heart of the app: grouped by kind and scope, filtered and searched, each with its
// support, confidence and evidence; pin, inline edit, delete with undo, seeding.
import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Agent, Lesson, LessonKind } from '../../../shared/model';
import { api, callLoose, has } from '../api';
import { editLesson, editMethod, errorMessage, useApp } from '../store';
import { EvidenceDrawer } from './Evidence';
import { SeedDialog } from './Seed';
import { Icon } from '../ui/Icon';
import { Empty, PageHead } from '../ui/parts';
import { PreviewButton } from '../ui/ClaudePreview';
import { ago, fmtDate, pct, plural, usd } from '../ui/format';

export const KIND_ORDER: LessonKind[] = ['mistake', 'pitfall', 'preference', 'workflow', 'practice'];
export const KIND_LABEL: Record<LessonKind, string> = { mistake: 'Mistakes', pitfall: 'Pitfalls', preference: 'Preferences', workflow: 'Workflows', practice: 'Practices' };

type StatusFilter = 'current' | 'active' | 'candidate' | 'retired' | 'all';
interface Filters { q: string; kind: LessonKind | ''; agent: string; status: StatusFilter; origin: Lesson['origin'] | ''; pinned: boolean }
const NO_FILTERS: Filters = { q: '', kind: '', agent: '', status: 'current', origin: '', pinned: false };

export function agentName(agents: Agent[], id: string) {
  if (id === 'all') return 'All agents';
  return agents.find((a) => a.id === id)?.name ?? id;
}
const scopeLabel = (agents: Agent[], l: Lesson) => (l.agents.includes('all') ? 'All agents' : l.agents.map((a) => agentName(agents, a)).join(', '));

function matches(l: Lesson, f: Filters, q: string) {
  if (f.kind && l.kind !== f.kind) return false;
  if (f.origin && l.origin !== f.origin) return false;
  if (f.pinned && !l.pinned) return false;
  if (f.status === 'current' && l.status === 'retired') return false;
  if (f.status !== 'current' && f.status !== 'all' && l.status !== f.status) return false;
  if (f.agent && !(l.agents.includes(f.agent) || l.agents.includes('all'))) return false;
  if (q && !`${l.title}\n${l.text}\n${l.evidence.map((e) => e.excerpt).join('\n')}`.toLowerCase().includes(q)) return false;
  return true;
}

export function Lessons() {
  const lessons = useApp((s) => s.lessons);
  const agents = useApp((s) => s.agents);
  const info = useApp((s) => s.info);
  const loaded = useApp((s) => s.loaded);
  const loadError = useApp((s) => s.loadError);
  const [f, setF] = useState<Filters>(NO_FILTERS);
  const deferredQ = useDeferredValue(f.q.trim().toLowerCase());
  const [evidenceFor, setEvidenceFor] = useState<string | null>(null);
  const [seeding, setSeeding] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(t.tagName)) { e.preventDefault(); searchRef.current?.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const shown = useMemo(() => lessons.filter((l) => matches(l, f, deferredQ)), [lessons, f, deferredQ]);
  // First paint with the first screenfuls only; the rest (hundreds of lessons on a big store)
  // render right after, so the screen shows up fast and nothing below the fold holds it back.
  const [budget, setBudget] = useState(40);
  useEffect(() => {
    if (budget === Infinity || shown.length <= budget) return;
    const raf = requestAnimationFrame(() => setTimeout(() => setBudget(Infinity), 0));
    return () => cancelAnimationFrame(raf);
  }, [shown.length, budget]);
  // Kind, then scope (team lessons first), then the best-supported first.
  const groups = useMemo(() => {
    let left = budget;
    const out: { kind: LessonKind; scopes: { scope: string; items: Lesson[] }[]; n: number }[] = [];
    for (const kind of KIND_ORDER) {
      const ofKind = shown.filter((l) => l.kind === kind);
      if (!ofKind.length) continue;
      const byScope = new Map<string, Lesson[]>();
      for (const l of ofKind) {
        const s = scopeLabel(agents, l);
        byScope.set(s, [...(byScope.get(s) ?? []), l]);
      }
      const scopes = [...byScope.entries()]
        .sort(([a], [b]) => (a === 'All agents' ? -1 : b === 'All agents' ? 1 : a.localeCompare(b)))
        .map(([scope, items]) => ({ scope, items: items.sort((x, y) => Number(y.pinned) - Number(x.pinned) || y.support.sessions - x.support.sessions || y.confidence - x.confidence) }))
        .map((g) => { const items = g.items.slice(0, Math.max(0, left)); left -= items.length; return { ...g, items }; })
        .filter((g) => g.items.length > 0);
      if (scopes.length) out.push({ kind, scopes, n: ofKind.length });
    }
    return out;
  }, [shown, agents, budget]);

  const current = lessons.filter((l) => l.status !== 'retired');
  const filtered = JSON.stringify({ ...f, q: f.q.trim() }) !== JSON.stringify(NO_FILTERS);
  const evidenceLesson = lessons.find((l) => l.id === evidenceFor) ?? null;
  const agentOptions = agents.filter((a) => lessons.some((l) => l.agents.includes(a.id) || l.agents.includes('all')));

  return (
    <>
      <PageHead title="Lessons" sub={loaded ? `${plural(current.length, 'lesson')} · ${current.filter((l) => l.status === 'active').length} active` : ''}>
        <button type="button" className="btn" onClick={() => setSeeding(true)}><Icon name="plus" size={14} />Seed lessons</button>
        <DreamButton />
      </PageHead>
      {(!loaded || lessons.length > 0) && (
        <div className="toolbar" role="search" aria-label="Filter lessons">
          <div className="search">
            <Icon name="search" size={14} />
            <input ref={searchRef} className="input" type="search" placeholder="Search lessons" aria-label="Search lessons" value={f.q} onChange={(e) => setF({ ...f, q: e.target.value })} onKeyDown={(e) => e.key === 'Escape' && setF({ ...f, q: '' })} />
            {!f.q && <kbd aria-hidden="true">/</kbd>}
          </div>
          <span className="sep" />
          <select className="btn" aria-label="Kind" value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as Filters['kind'] })}>
            <option value="">All kinds</option>
            {KIND_ORDER.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
          </select>
          <select className="btn" aria-label="Agent" value={f.agent} onChange={(e) => setF({ ...f, agent: e.target.value })}>
            <option value="">All agents</option>
            {agentOptions.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
          <select className="btn" aria-label="Status" value={f.status} onChange={(e) => setF({ ...f, status: e.target.value as StatusFilter })}>
            <option value="current">Not retired</option>
            <option value="active">Active</option>
            <option value="candidate">Candidates</option>
            <option value="retired">Retired</option>
            <option value="all">Any status</option>
          </select>
          <select className="btn" aria-label="Origin" value={f.origin} onChange={(e) => setF({ ...f, origin: e.target.value as Filters['origin'] })}>
            <option value="">Any origin</option>
            <option value="learned">Learned</option>
            <option value="seeded">Seeded</option>
            <option value="user">Written by you</option>
          </select>
          <button type="button" className="btn" aria-pressed={f.pinned} onClick={() => setF({ ...f, pinned: !f.pinned })}><Icon name="pin" size={14} />Pinned</button>
          {filtered && <button type="button" className="btn ghost" onClick={() => setF(NO_FILTERS)}>Clear</button>}
          <span className="result" aria-live="polite">{shown.length === lessons.length ? plural(shown.length, 'lesson') : `${shown.length} of ${lessons.length}`}</span>
        </div>
      )}
      <div className="page-body">
        <div className="page-inner">
          {loadError && <p className="alert" role="alert">{loadError}</p>}
          {!loaded ? <ListSkeleton /> : lessons.length === 0 ? (
            info?.empty || !info ? <FirstRun onSeed={() => setSeeding(true)} /> : <NothingYet sessions={info.counts.sessions} heldBack={info.counts.heldBack} onSeed={() => setSeeding(true)} />
          ) : shown.length === 0 ? (
            <Empty icon="search" title="No lessons match" actions={<button type="button" className="btn" onClick={() => setF(NO_FILTERS)}>Clear filters</button>}>
              Nothing matches these filters{f.q ? <> and “{f.q}”</> : null}. Retired lessons only show with the Retired or Any status filter.
            </Empty>
          ) : (
            groups.map((g) => (
              <section key={g.kind} aria-label={KIND_LABEL[g.kind]} className={`kind-${g.kind}`}>
                <h2 className="section-title"><span className="kind-dot" />{KIND_LABEL[g.kind]}<span className="count">{g.n}</span><span className="rule" /></h2>
                {g.scopes.map((s) => (
                  <div key={s.scope} style={{ marginBottom: 12 }}>
                    {g.scopes.length > 1 || s.scope !== 'All agents' ? <p className="muted" style={{ fontSize: 12, margin: '0 0 6px 2px' }}><Icon name="users" size={12} /> {s.scope}</p> : null}
                    <LessonList items={s.items} agents={agents} onEvidence={setEvidenceFor} label={`${KIND_LABEL[g.kind]} · ${s.scope}`} />
                  </div>
                ))}
              </section>
            ))
          )}
        </div>
      </div>
      {evidenceLesson && <EvidenceDrawer lesson={evidenceLesson} onClose={() => setEvidenceFor(null)} />}
      {seeding && <SeedDialog onClose={() => setSeeding(false)} />}
    </>
  );
}

/**
 * Dream now with the engine choice (Claude only when a key is there) and the scope: new sessions,
 * or a full re-dream. Choosing Claude shows what the dream is expected to cost before it runs.
 */
export function DreamButton() {
  const dreaming = useApp((s) => s.dreaming);
  const dreamNow = useApp((s) => s.dreamNow);
  const info = useApp((s) => s.info);
  // Values: the engine (a dream over new sessions) or engine:full (a full re-dream).
  const [choice, setChoice] = useState('heuristic');
  const [keyPresent, setKeyPresent] = useState(false);
  const [estimate, setEstimate] = useState<string | null>(null);
  const [engine, scope] = [choice.split(':')[0] as 'heuristic' | 'claude', choice.endsWith(':full') ? 'full' : 'new'];
  useEffect(() => { api.call('claude.status').then((s) => setKeyPresent(s.keyPresent), () => setKeyPresent(false)); }, []);
  // Start from the engine chosen in Settings; the menu then overrides it for this dream only.
  useEffect(() => { api.call('settings.get').then((s) => setChoice((c) => (c === 'heuristic' ? s.engine : c)), () => undefined); }, []);
  useEffect(() => {
    setEstimate(null);
    if (engine !== 'claude') return;
    let live = true;
    api.call('claude.estimate', { full: scope === 'full' }).then((e) => live && setEstimate(`≈ ${usd(e.expectedCostUsd)}, at most ${usd(Math.min(e.maxCostUsd, e.caps.perDream))}`), () => live && setEstimate(null));
    return () => { live = false; };
  }, [engine, scope, info?.counts.sessions]);
  return (
    <>
      {estimate && <span className="muted num" style={{ fontSize: 12 }} title="Expected cost of this dream with Claude (tokens estimated before anything is sent)">{estimate}</span>}
      {engine === 'claude' && <PreviewButton full={scope === 'full'} />}
      <div className="split">
        <button type="button" className="btn primary" disabled={!!dreaming || !info || info.counts.sessions === 0} onClick={() => void dreamNow({ engine, full: scope === 'full' })}>
          <Icon name="sparkle" size={14} />{dreaming ? 'Dreaming…' : 'Dream now'}
        </button>
        <select className="btn" aria-label="Dream engine" value={choice} onChange={(e) => setChoice(e.target.value)} disabled={!!dreaming}>
          <option value="heuristic">Heuristic</option>
          <option value="heuristic:full">Heuristic, full re-dream</option>
          <option value="claude" disabled={!keyPresent}>Claude{keyPresent ? '' : ' (no key)'}</option>
          <option value="claude:full" disabled={!keyPresent}>Claude, full re-dream</option>
        </select>
      </div>
    </>
  );
}

function LessonList({ items, agents, onEvidence, label }: { items: Lesson[]; agents: Agent[]; onEvidence: (id: string) => void; label: string }) {
  const ref = useRef<HTMLUListElement>(null);
  // Up/Down (or j/k) walk the lessons across groups; each card is one tab stop.
  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if ((e.target as HTMLElement).tagName !== 'LI') return;
    const down = e.key === 'ArrowDown' || e.key === 'j';
    const up = e.key === 'ArrowUp' || e.key === 'k';
    if (!down && !up) return;
    e.preventDefault();
    const all = [...document.querySelectorAll<HTMLElement>('li.lesson')];
    const i = all.indexOf(e.target as HTMLElement);
    all[Math.max(0, Math.min(all.length - 1, i + (down ? 1 : -1)))]?.focus();
  };
  return (
    <ul className="lesson-list" aria-label={label} ref={ref} onKeyDown={onKey}>
      {items.map((l) => <LessonCard key={l.id} lesson={l} onEvidence={() => onEvidence(l.id)} />)}
    </ul>
  );
}

function LessonCard({ lesson: l, onEvidence }: { lesson: Lesson; onEvidence: () => void }) {
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try { await fn(); await refresh(); } catch (err) { toast({ message: errorMessage(err), tone: 'error' }); } finally { setBusy(false); }
  };
  const pin = () => act(() => api.call('lessons.pin', { id: l.id, pinned: !l.pinned }));
  const del = () => act(async () => {
    const { deleted } = await api.call('lessons.delete', { id: l.id });
    toast({
      message: `Deleted “${truncate(deleted.title, 48)}”. A later dream will not re-learn it.`,
      action: { label: 'Undo', run: async () => { try { await api.call('lessons.restore', { lesson: deleted }); await refresh(); } catch (err) { toast({ message: errorMessage(err), tone: 'error' }); } } },
    });
  });

  const onKey = (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget || editing) return;
    if (e.key === 'Enter') { e.preventDefault(); onEvidence(); }
    else if (e.key === 'e') { e.preventDefault(); setEditing(true); }
    else if (e.key === 'p') { e.preventDefault(); void pin(); }
    else if (e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); void del(); }
  };

  return (
    <li className={`lesson kind-${l.kind} ${l.status === 'retired' ? 'retired' : ''}`} aria-label={l.title} tabIndex={0} onKeyDown={onKey} aria-busy={busy}>
      <div className="lesson-title">
        <span className="kind-dot" title={l.kind} />
        <span className="t">{l.title}</span>
        {l.pinned && <span className="tag accent"><Icon name="pin" size={11} />pinned</span>}
        {l.status !== 'active' && <span className={`tag ${l.status === 'candidate' ? 'amber' : ''}`}>{l.status}</span>}
        {l.origin !== 'learned' && <span className="tag">{l.origin === 'user' ? 'yours' : 'seeded'}</span>}
        {l.userEdited && <span className="tag">edited</span>}
      </div>
      <div className="lesson-actions">
        <button type="button" className="btn sm ghost" aria-label={`Evidence (${l.evidence.length})`} onClick={onEvidence} disabled={l.evidence.length === 0}><Icon name="evidence" size={14} />{l.evidence.length}</button>
        <button type="button" className="btn sm ghost icon" aria-label="Edit" title="Edit (e)" onClick={() => setEditing(true)} disabled={busy}><Icon name="edit" size={14} /></button>
        <button type="button" className="btn sm ghost icon" aria-label={l.pinned ? 'Unpin' : 'Pin'} title={l.pinned ? 'Unpin (p)' : 'Pin: dreams never retire, merge or reword it (p)'} aria-pressed={l.pinned} onClick={() => void pin()} disabled={busy}><Icon name="pin" size={14} /></button>
        <button type="button" className="btn sm ghost icon danger" aria-label="Delete" title="Delete (Del)" onClick={() => void del()} disabled={busy}><Icon name="trash" size={14} /></button>
      </div>
      {editing ? <EditBox lesson={l} onDone={() => setEditing(false)} /> : <p className="lesson-text">{l.text}</p>}
      {l.contradiction && <p className="contradiction"><Icon name="alert" size={12} /> Contradicted {ago(l.contradiction.at)}: {l.contradiction.reason}</p>}
      <div className="lesson-meta">
        <span className="m" title="Sessions where the pattern occurred"><Icon name="sessions" size={12} />{plural(l.support.sessions, 'session')}</span>
        <span className="m" title="Agents it was seen in"><Icon name="users" size={12} />{plural(l.support.agents, 'agent')}</span>
        <span className="m" title="Occurrences">×{l.support.occurrences}</span>
        <span className="m conf" title="Confidence"><span className="meter" aria-hidden="true"><i style={{ width: pct(l.confidence) }} /></span>{pct(l.confidence)} confidence</span>
        <span className="m" title={`First seen ${fmtDate(l.support.firstSeen)}, last seen ${fmtDate(l.support.lastSeen)}`}><Icon name="clock" size={12} />last seen {ago(l.support.lastSeen)}</span>
      </div>
    </li>
  );
}

function EditBox({ lesson, onDone }: { lesson: Lesson; onDone: () => void }) {
  const toast = useApp((s) => s.toast);
  const refresh = useApp((s) => s.refresh);
  const [title, setTitle] = useState(lesson.title);
  const [text, setText] = useState(lesson.text);
  const [saving, setSaving] = useState(false);
  const available = !!editMethod();
  const changed = title.trim() !== lesson.title || text.trim() !== lesson.text;
  // How far the new wording reaches: past sessions it would have applied to (debounced).
  const [reach, setReach] = useState<string | null>(null);
  useEffect(() => {
    if (!has('lessons.whatIf') || text.trim().length < 3) { setReach(null); return; }
    let live = true;
    const t = setTimeout(() => {
      callLoose('lessons.whatIf', text.trim() === lesson.text ? { id: lesson.id } : { text: text.trim() }).then((r) => {
        const w = r as { sessions: number; agents: number; of: number };
        if (live) setReach(`Would have applied in ${w.sessions} of ${plural(w.of, 'past session')}${w.agents ? `, ${plural(w.agents, 'agent')}` : ''}.`);
      }, () => live && setReach(null));
    }, 300);
    return () => { live = false; clearTimeout(t); };
  }, [text, lesson.id, lesson.text]);
  const save = async () => {
    if (!changed) return onDone();
    setSaving(true);
    try {
      await editLesson(lesson.id, { title: title.trim(), text: text.trim() });
      await refresh();
      toast({ message: 'Lesson saved. Dreams will keep your wording.', tone: 'success' });
      onDone();
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="edit-box" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onDone(); } if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void save(); }}>
      <input className="input" aria-label="Lesson title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
      <textarea className="input" aria-label="Lesson text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <span className="muted" aria-live="polite">{!available ? 'Editing is not available in this build yet (the core has no edit method).' : reach ? <>{reach} Your wording wins over later dreams.</> : <>Your wording wins over later dreams. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves.</>}</span>
        <button type="button" className="btn ghost" onClick={onDone}>Cancel</button>
        <button type="button" className="btn primary" onClick={() => void save()} disabled={!available || saving || !text.trim() || !title.trim()}>{saving ? 'Saving…' : 'Save'}</button>
      </div>
    </div>
  );
}

function FirstRun({ onSeed }: { onSeed: () => void }) {
  const info = useApp((s) => s.info);
  const go = useApp((s) => s.go);
  const refresh = useApp((s) => s.refresh);
  const dreamNow = useApp((s) => s.dreamNow);
  const toast = useApp((s) => s.toast);
  const [loading, setLoading] = useState(false);
  const loadDemo = async () => {
    setLoading(true);
    try {
      await api.call('app.loadDemo');
      await refresh();
      await dreamNow({ full: true });
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setLoading(false);
    }
  };
  return (
    <Empty icon="dreams" title="Teach your agents from their own history" actions={<>
      <button type="button" className="btn primary" onClick={() => go('import')}><Icon name="import" size={14} />Import sessions</button>
      {info?.demoAvailable && <button type="button" className="btn" onClick={() => void loadDemo()} disabled={loading}>{loading ? 'Loading demo…' : 'Load demo data'}</button>}
      <button type="button" className="btn" onClick={onSeed}><Icon name="plus" size={14} />Seed lessons</button>
    </>}>
      Reverie reads the logs your agents leave behind (Claude Code, Codex, Gemini CLI…), finds the mistakes and corrections that keep coming back, and turns them into short lessons you can audit. Start by importing sessions, or seed the practices you already know.
    </Empty>
  );
}

function NothingYet({ sessions, heldBack, onSeed }: { sessions: number; heldBack: number; onSeed: () => void }) {
  const go = useApp((s) => s.go);
  return (
    <Empty icon="sparkle" title={heldBack ? 'No lessons right now' : 'Nothing worth learning yet'} actions={<>
      <DreamButton />
      <button type="button" className="btn" onClick={() => go('import')}>Import more</button>
      <button type="button" className="btn" onClick={onSeed}>Seed lessons</button>
    </>}>
      {heldBack
        // What recurs was deleted, rejected or undone by the user: saying "nothing recurs" would be wrong.
        ? <>{plural(sessions, 'session')} imported. {plural(heldBack, 'lesson')} learned from them {heldBack === 1 ? 'stays' : 'stay'} away because you deleted, rejected or undid {heldBack === 1 ? 'it' : 'them'}: deleted and rejected ones for good, undone ones until their pattern recurs in more sessions. Dream again after importing more work.</>
        : <>{plural(sessions, 'session')} imported, but no mistake, correction or workflow recurs across enough of them yet. Lessons appear when something happens again; dream after importing more work.</>}
    </Empty>
  );
}

function ListSkeleton() {
  return <div aria-hidden="true" style={{ display: 'grid', gap: 8 }}>{[0, 1, 2].map((i) => <div key={i} className="skeleton" style={{ height: 104 }} />)}</div>;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
