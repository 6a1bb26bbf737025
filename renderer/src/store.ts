// The UI's shared state (zustand: one small store, no providers, selectors keep re-renders local).
// Data that several screens show (app info, agents, lessons, dreams) lives here and is refreshed
// whenever the core says data changed; screen-local data (a session's events, the timeline) stays
// in the screens.
import { create } from 'zustand';
import type { AppInfo } from '../../shared/contract';
import type { Agent, Dream, Lesson } from '../../shared/model';
import { api, callLoose, has } from './api';
import { readThemePref, saveThemePref, type ThemePref } from './theme';
import { setAgentOrder } from './ui/format';

export const SCREENS = ['lessons', 'dreams', 'timeline', 'progress', 'import', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];
export const isScreen = (s: unknown): s is Screen => typeof s === 'string' && (SCREENS as readonly string[]).includes(s);


/** Resolves once the browser had a frame to paint what was just set, or after 100 ms when no frame comes (a hidden window). */
function afterPaint(): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, 100);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      done();
    }, 0));
  });
}

export interface Toast {
  id: number;
  message: string;
  tone?: 'info' | 'error' | 'success';
  action?: { label: string; run: () => void | Promise<void> };
}

export interface DreamRun {
  engine: 'heuristic' | 'claude';
  full: boolean;
  startedAt: number;
}

/** Where the session reader is open: a session, optionally scrolled to one event. */
export interface SessionRef { sessionId: string; eventId?: string }

interface State {
  screen: Screen;
  go(screen: Screen): void;
  theme: ThemePref;
  setTheme(theme: ThemePref): void;

  info: AppInfo | null;
  agents: Agent[];
  lessons: Lesson[];
  dreams: Dream[];
  /** The dream history arrives after the lessons (see refresh). */
  dreamsLoaded: boolean;
  loaded: boolean;
  loadError: string | null;
  refresh(): Promise<void>;

  dreaming: DreamRun | null;
  dreamNow(opts?: { engine?: 'heuristic' | 'claude'; full?: boolean }): Promise<Dream | null>;

  toasts: Toast[];
  toast(t: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;

  reader: SessionRef | null;
  openSession(ref: SessionRef | null): void;
}

let toastSeq = 0;

const initialScreen = (): Screen => {
  const h = window.location.hash.replace(/^#\/?/, '');
  return isScreen(h) ? h : 'lessons';
};

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const useApp = create<State>((set, get) => ({
  screen: initialScreen(),
  go(screen) {
    if (get().screen === screen) return;
    history.replaceState(null, '', `#/${screen}`);
    set({ screen });
  },
  theme: readThemePref(),
  setTheme(theme) {
    saveThemePref(theme);
    set({ theme });
  },

  info: null,
  agents: [],
  lessons: [],
  dreams: [],
  dreamsLoaded: false,
  loaded: false,
  loadError: null,
  async refresh() {
    try {
      // Lessons first: the first screen paints as soon as they (and the counts) are here. The dream
      // history (changesets with before/after lessons, the largest reply) is asked for once they are
      // on screen: asked for with them, its reply was parsed on this thread before the first paint,
      // which it held back by a third on a store of 100,000 sessions (1.07–1.55 s → 0.72–0.78 s).
      const [info, agents, lessons] = await Promise.all([api.call('app.info'), api.call('agents.list'), api.call('lessons.list', { all: true })]);
      setAgentOrder(agents.map((a) => a.id));
      set({ info, agents, lessons, loaded: true, loadError: null });
      await afterPaint();
      set({ dreams: await api.call('dreams.list'), dreamsLoaded: true });
    } catch (err) {
      set({ loaded: true, loadError: errorMessage(err) });
    }
  },

  dreaming: null,
  async dreamNow(opts = {}) {
    if (get().dreaming) return null;
    // No engine named (the sidebar button, the import card): the one chosen in Settings, as the scheduler uses.
    const engine = opts.engine ?? (await api.call('settings.get').then((s) => s.engine, () => 'heuristic' as const));
    set({ dreaming: { engine, full: !!opts.full, startedAt: Date.now() } });
    try {
      const dream = await api.call('dreams.run', { engine, full: !!opts.full });
      await get().refresh();
      const added = dream.changes.filter((c) => c.op === 'add').length;
      const summary = dream.changes.length === 0 ? dream.message ?? 'Nothing new worth learning.' : `${dream.changes.length} change${dream.changes.length === 1 ? '' : 's'}${added ? `, ${added} new lesson${added === 1 ? '' : 's'}` : ''}.`;
      get().toast({ message: `Dream finished: ${summary}`, tone: dream.status === 'failed' ? 'error' : 'success', action: { label: 'View', run: () => get().go('dreams') } });
      return dream;
    } catch (err) {
      get().toast({ message: `Dream failed: ${errorMessage(err)}`, tone: 'error' });
      return null;
    } finally {
      set({ dreaming: null });
    }
  },

  toasts: [],
  toast(t) {
    const id = ++toastSeq;
    set({ toasts: [...get().toasts, { ...t, id }].slice(-4) });
    return id;
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },

  reader: null,
  openSession(reader) {
    set({ reader });
  },
}));

/** Lesson edits go through whichever method the core offers (the edit method lands separately). */
export const EDIT_METHODS = ['lessons.edit', 'lessons.update'] as const;
export const editMethod = () => EDIT_METHODS.find(has) ?? null;
export async function editLesson(id: string, patch: { title?: string; text?: string }): Promise<void> {
  const m = editMethod();
  if (!m) throw new Error('Editing lessons is not available in this build yet.');
  await callLoose(m, { id, ...patch });
}

let initial: Promise<void> | null = null;
/** The first load, started once (main.tsx starts it before the first render; App reuses it). */
export const initialLoad = (): Promise<void> => (initial ??= useApp.getState().refresh());
