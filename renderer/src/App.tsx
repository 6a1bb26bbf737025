// The app shell: sidebar navigation (arrow keys move between screens, Ctrl/Cmd+1…6 jump), the
// theme (system by default, or the user's pick), the global dream indicator and the toasts.
import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { callLoose, has, hasToken, onDataChange, onNavigate } from './api';
import { Lessons } from './screens/Lessons';
import { SCREENS, initialLoad, isScreen, useApp, type Screen } from './store';
import { applyTheme, onSystemThemeChange, resolveTheme, systemPrefersDark, type ThemePref } from './theme';
import { Icon, type IconName } from './ui/Icon';
import { Toasts } from './ui/parts';
import { Shortcuts } from './ui/Shortcuts';
import { plural } from './ui/format';
import './styles.css';

const LABELS: Record<Screen, { label: string; icon: IconName }> = {
  lessons: { label: 'Lessons', icon: 'lessons' },
  dreams: { label: 'Dreams', icon: 'dreams' },
  timeline: { label: 'Timeline', icon: 'timeline' },
  progress: { label: 'Progress', icon: 'progress' },
  import: { label: 'Import', icon: 'import' },
  settings: { label: 'Settings', icon: 'settings' },
};

// Lessons is the first screen and ships in the main bundle; the others (charts, diffs, the
// virtualized timeline) load on first visit, so the first paint does not wait for them.
const Dreams = lazy(() => import('./screens/Dreams').then((m) => ({ default: m.Dreams })));
const Timeline = lazy(() => import('./screens/Timeline').then((m) => ({ default: m.Timeline })));
const Progress = lazy(() => import('./screens/Progress').then((m) => ({ default: m.Progress })));
const Import = lazy(() => import('./screens/Import').then((m) => ({ default: m.Import })));
const Settings = lazy(() => import('./screens/Settings').then((m) => ({ default: m.Settings })));
const SessionReader = lazy(() => import('./screens/SessionReader').then((m) => ({ default: m.SessionReader })));

const isMac = /Mac/.test(navigator.platform);

interface RunningDream { phase: string; done: number; total: number; startedAt: string }

function useResolvedTheme(pref: ThemePref) {
  const [systemDark, setSystemDark] = useState(systemPrefersDark);
  useEffect(() => onSystemThemeChange(setSystemDark), []);
  const theme = resolveTheme(pref, systemDark);
  useEffect(() => {
    const root = document.documentElement;
    // main.tsx already applied the stored theme before the first paint: nothing to switch.
    if (root.dataset.theme === theme) return;
    // Switch in one frame: with transitions on, every surface would fade separately.
    root.classList.add('theme-switching');
    applyTheme(theme);
    const raf = requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove('theme-switching')));
    return () => cancelAnimationFrame(raf);
  }, [theme]);
  return theme;
}

export function App() {
  const screen = useApp((s) => s.screen);
  const go = useApp((s) => s.go);
  const refresh = useApp((s) => s.refresh);
  const themePref = useApp((s) => s.theme);
  const reader = useApp((s) => s.reader);
  useResolvedTheme(themePref);

  useEffect(() => {
    void initialLoad();
    // Bursts of changes (an import touching many sessions) refresh once.
    let t: ReturnType<typeof setTimeout> | undefined;
    const off = onDataChange(() => { clearTimeout(t); t = setTimeout(() => void refresh(), 120); });
    const offNav = onNavigate((s) => isScreen(s) && go(s));
    return () => { off(); offNav(); clearTimeout(t); };
  }, [refresh, go]);

  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const typing = /INPUT|TEXTAREA|SELECT/.test((e.target as HTMLElement).tagName);
      if (e.key === '?' && !typing && !document.querySelector('[role="dialog"]')) { e.preventDefault(); setHelp(true); return; }
      if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= SCREENS.length) { e.preventDefault(); go(SCREENS[n - 1]); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  if (!hasToken()) {
    return <main className="empty" style={{ minHeight: '80vh', alignContent: 'center' }}><h2>Reverie</h2><p>Open the address that <code>reverie serve</code> printed: it carries the access token.</p></main>;
  }

  return (
    <div className="shell">
      <Sidebar />
      <main className="main" aria-label={LABELS[screen].label}>
        <StoreNotices />
        <Suspense fallback={<header className="page-head"><h1>{LABELS[screen].label}</h1></header>}>
          {screen === 'lessons' && <Lessons />}
          {screen === 'dreams' && <Dreams />}
          {screen === 'timeline' && <Timeline />}
          {screen === 'progress' && <Progress />}
          {screen === 'import' && <Import />}
          {screen === 'settings' && <Settings />}
        </Suspense>
      </main>
      {reader && screen !== 'timeline' && <Suspense fallback={null}><SessionReader asDrawer /></Suspense>}
      {help && <Shortcuts onClose={() => setHelp(false)} />}
      <Toasts />
    </div>
  );
}

function Sidebar() {
  const screen = useApp((s) => s.screen);
  const go = useApp((s) => s.go);
  const info = useApp((s) => s.info);
  const lessons = useApp((s) => s.lessons);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const active = lessons.filter((l) => l.status !== 'retired').length;
  const counts: Partial<Record<Screen, number>> = { lessons: active, dreams: info?.counts.dreams, timeline: info?.counts.sessions };

  // Roving focus: one tab stop for the whole list, arrows/Home/End move, Enter/Space open.
  const onKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? SCREENS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const j = (next + SCREENS.length) % SCREENS.length;
    refs.current[j]?.focus();
    go(SCREENS[j]);
  };

  return (
    <aside className="sidebar">
      <div className="brand"><span className="brand-mark"><Icon name="dreams" size={13} /></span>Reverie<small>{info ? `v${info.version}` : ''}</small></div>
      <nav className="nav" aria-label="Screens">
        {SCREENS.map((s, i) => (
          <button key={s} ref={(el) => { refs.current[i] = el; }} type="button" className="nav-item" aria-current={screen === s ? 'page' : undefined} tabIndex={screen === s ? 0 : -1} onClick={() => go(s)} onKeyDown={(e) => onKey(e, i)}>
            <Icon name={LABELS[s].icon} />
            {LABELS[s].label}
            {counts[s] !== undefined && counts[s]! > 0 && <span className="count" aria-hidden="true">{counts[s]!.toLocaleString()}</span>}
            <kbd aria-hidden="true">{isMac ? '⌘' : '^'}{i + 1}</kbd>
          </button>
        ))}
      </nav>
      <div className="sidebar-foot">
        <DreamIndicator />
        {/* Two lines from the start, so the counts arriving never move the sidebar. */}
        <p className="store-line">{info ? <>{plural(info.counts.sessions, 'session')} · {plural(info.counts.agents, 'agent')}<br />{plural(info.counts.events, 'event')}</> : <>&nbsp;<br />&nbsp;</>}</p>
        <ThemeSwitch />
        <p className="store-line faint">Press <kbd>?</kbd> for shortcuts</p>
      </div>
    </aside>
  );
}

const DISMISSED_KEY = 'reverie.dismissedNotices';
/**
 * One empty list for "not loaded yet": a zustand selector must return the same value while the
 * state is unchanged. `?? []` made a new array on every call, so any store update before app.info
 * answered (a scheduled dream starting with the server) sent React into an endless re-render (#185).
 */
const NO_NOTICES: string[] = [];

/**
 * What the store had to tell when it opened (a damaged document restored from a backup, a migration,
 * a lock cleared after a crash): shown once at the top until dismissed. Dismissals last for this tab
 * (sessionStorage), so a reload does not nag, while a new notice (different text) still shows.
 */
function StoreNotices() {
  const notices = useApp((s) => s.info?.notices ?? NO_NOTICES);
  const [dismissed, setDismissed] = useState<string[]>(() => {
    try { return JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]') as string[]; } catch { return []; }
  });
  const shown = notices.filter((n) => !dismissed.includes(n));
  if (!shown.length) return null;
  const dismiss = () => {
    const next = [...dismissed, ...shown];
    sessionStorage.setItem(DISMISSED_KEY, JSON.stringify(next));
    setDismissed(next);
  };
  return (
    <div className="notice-banner" role="alert" aria-label="Store notices">
      <Icon name="alert" size={16} />
      <div style={{ flex: 1 }}>
        <strong>{shown.length === 1 ? 'The store needed attention when it opened' : `The store needed attention when it opened (${shown.length} notices)`}</strong>
        <ul>{shown.map((n) => <li key={n}>{n}</li>)}</ul>
      </div>
      <button type="button" className="btn sm ghost" onClick={dismiss}>Dismiss</button>
    </div>
  );
}

/** Always the same height, idle or running: starting a dream never shifts the layout. */
function DreamIndicator() {
  const dreaming = useApp((s) => s.dreaming);
  const dreams = useApp((s) => s.dreams);
  const dreamNow = useApp((s) => s.dreamNow);
  const info = useApp((s) => s.info);
  const [, tick] = useState(0);
  // The scheduler's view covers dreams this window did not start (schedule, tray, another trigger)
  // and carries the phase and counts: poll it briefly while something runs, rarely otherwise.
  const [running, setRunning] = useState<RunningDream | null>(null);
  useEffect(() => {
    if (!has('scheduler.status')) return;
    let live = true;
    const poll = () => callLoose('scheduler.status').then((r) => live && setRunning((r as { running: RunningDream | null }).running), () => undefined);
    void poll();
    const t = setInterval(poll, dreaming || running ? 700 : 10_000);
    return () => { live = false; clearInterval(t); };
  }, [dreaming, !!running]);
  useEffect(() => {
    if (!dreaming && !running) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [dreaming, running]);
  const active = dreaming ?? (running ? { engine: 'heuristic' as const, full: false, startedAt: Date.parse(running.startedAt) } : null);
  const determinate = running && running.total > 0 ? Math.min(100, (running.done / running.total) * 100) : null;
  const last = [...dreams].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  return (
    <div className="dream-status" role="status" aria-live="polite" aria-label="Dream status">
      {active ? (
        <>
          <div className="row"><span className="pulse" /><strong>Dreaming</strong><span className="muted">{((Date.now() - active.startedAt) / 1000).toFixed(0)} s</span></div>
          {determinate !== null
            ? <div className="bar" role="progressbar" aria-label="Dream in progress" aria-valuenow={Math.round(determinate)} aria-valuemin={0} aria-valuemax={100}><i style={{ width: `${determinate}%` }} /></div>
            : <div className="bar indeterminate" role="progressbar" aria-label="Dream in progress"><i /></div>}
          <p className="muted dream-note">{running?.phase ? `${running.phase}${running.total ? ` · ${running.done}/${running.total}` : ''}` : `${active.engine === 'claude' ? 'Claude engine' : 'Heuristic engine'} · ${active.full ? 'full re-dream' : 'new sessions'}`}</p>
        </>
      ) : (
        <>
          <div className="row"><span className="pulse idle" /><strong>Idle</strong><span className="muted">{last ? `last ${relativeShort(last.finishedAt)}` : 'never dreamt'}</span></div>
          <button type="button" className="btn sm" onClick={() => void dreamNow()} disabled={!info || info.counts.sessions === 0}><Icon name="sparkle" size={13} />Dream now</button>
        </>
      )}
    </div>
  );
}

function relativeShort(iso: string) {
  const m = Math.round((Date.now() - Date.parse(iso)) / 60000);
  if (m < 1) return 'just now';
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

function ThemeSwitch() {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const opts: { v: ThemePref; icon: IconName; label: string }[] = [
    { v: 'light', icon: 'sun', label: 'Light theme' },
    { v: 'system', icon: 'monitor', label: 'System theme' },
    { v: 'dark', icon: 'moon', label: 'Dark theme' },
  ];
  return (
    <div className="theme-switch" role="group" aria-label="Theme">
      {opts.map((o) => (
        <button key={o.v} type="button" aria-label={o.label} title={o.label} aria-pressed={theme === o.v} onClick={() => setTheme(o.v)}><Icon name={o.icon} size={14} /></button>
      ))}
    </div>
  );
}
