// The application menu, as data. Editing, window and view items use Electron's roles, so their
// shortcuts and behaviour are the platform's own (Cmd+Q, Cmd+W, Ctrl+Shift+I, the macOS app menu,
// Services, Hide Others…). The Go menu switches screens with Cmd/Ctrl+1…6 by asking the page to
// navigate; "Dream Now" runs a dream through the same dispatch the UI uses.
import type { MenuItemConstructorOptions } from 'electron';
import { SCREENS, type Screen } from './ipc-channels';

export interface MenuActions {
  navigate(screen: Screen): void;
  dreamNow(): void;
  openExternal(url: string): void;
}

export interface MenuInput {
  platform: NodeJS.Platform;
  appName: string;
  actions: MenuActions;
}

const TITLES: Record<Screen, string> = {
  lessons: 'Lessons',
  dreams: 'Dreams',
  timeline: 'Timeline',
  progress: 'Progress',
  import: 'Import',
  settings: 'Settings',
};

export const HELP_URL = 'https://github.com/reverie-app/reverie#readme';

export function menuTemplate({ platform, appName, actions }: MenuInput): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const settings: MenuItemConstructorOptions = { label: mac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', click: () => actions.navigate('settings') };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'Import Sessions…', accelerator: 'CmdOrCtrl+O', click: () => actions.navigate('import') },
      { label: 'Dream Now', accelerator: 'CmdOrCtrl+Shift+D', click: () => actions.dreamNow() },
      { type: 'separator' },
      ...(mac ? [{ role: 'close' } as const] : [settings, { type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      // DevTools stay reachable in a packaged build: the page holds nothing the user may not see.
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: 'Go',
    submenu: SCREENS.map((screen, i) => ({ label: TITLES[screen], accelerator: `CmdOrCtrl+${i + 1}`, click: () => actions.navigate(screen) })),
  });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [{ label: 'Reverie on GitHub', click: () => actions.openExternal(HELP_URL) }],
  });
  return template;
}
