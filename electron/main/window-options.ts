// The BrowserWindow options, as data, so the security settings can be tested without Electron.
// Every webPreferences entry below is set explicitly, even where it is Electron's default, so a
// future default change (or a careless edit) shows up in the tests and in review.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { Bounds } from './window-state';

export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;

export interface WindowOptionsInput {
  preloadPath: string;
  bounds: Bounds;
  platform: NodeJS.Platform;
  /** The app icon for Linux/Windows title bars (macOS takes it from the bundle). */
  iconPath?: string;
  /** Dark mode, so the window does not flash white before the page paints. */
  dark?: boolean;
}

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { bounds } = input;
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : { center: true }),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    // Shown on 'ready-to-show', so the user never sees an empty frame.
    show: false,
    title: 'Reverie',
    backgroundColor: input.dark ? '#15161a' : '#fafafa',
    // The standard title bar on every platform: a hidden one (macOS 'hiddenInset') needs the page to
    // mark its top bar as a drag region (-webkit-app-region: drag) and to leave room for the traffic
    // lights; the renderer does neither yet, and a window that cannot be dragged is worse than a plain title bar.
    ...(input.iconPath && input.platform !== 'darwin' ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      // Electron's security checklist: the page runs in a sandboxed renderer with its own JS world,
      // no Node, same-origin policy on, and no way to turn any of it back on.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: true,
    },
  };
}
