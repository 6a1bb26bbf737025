// The theme on <html data-theme>: the user's pick (kept in localStorage) or the system's.
// It is applied once synchronously when the bundle starts, before React renders (which waits for
// the UI font) and before the data answers, so the first paint is already in the right theme and a
// reload never shows the page without one; App then keeps it in step with the pick and the system.
export type ThemePref = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const THEME_KEY = 'reverie.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function readThemePref(): ThemePref {
  const t = localStorage.getItem(THEME_KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

export function saveThemePref(pref: ThemePref): void {
  if (pref === 'system') localStorage.removeItem(THEME_KEY);
  else localStorage.setItem(THEME_KEY, pref);
}

export const systemPrefersDark = (): boolean => matchMedia(DARK_QUERY).matches;

/** Calls `on` whenever the system switches between light and dark; returns the unsubscribe. */
export function onSystemThemeChange(on: (dark: boolean) => void): () => void {
  const mq = matchMedia(DARK_QUERY);
  const listener = () => on(mq.matches);
  mq.addEventListener('change', listener);
  return () => mq.removeEventListener('change', listener);
}

export const resolveTheme = (pref: ThemePref, systemDark: boolean): Theme => (pref === 'system' ? (systemDark ? 'dark' : 'light') : pref);

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** The boot step: the persisted pick (or the system's theme) on <html> before anything renders. */
export function applyStoredTheme(): Theme {
  const theme = resolveTheme(readThemePref(), systemPrefersDark());
  applyTheme(theme);
  return theme;
}
