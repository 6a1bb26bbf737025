// The tray menu, as data: the last dream's status (a disabled line), "Dream Now" (disabled while a
// dream runs), "Open Reverie" and "Quit".
import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  open(): void;
  dreamNow(): void;
  quit(): void;
}

export function trayTemplate(status: string, running: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: status, enabled: false },
    { type: 'separator' },
    { label: running ? 'Dreaming…' : 'Dream Now', enabled: !running, click: () => actions.dreamNow() },
    { label: 'Open Reverie', click: () => actions.open() },
    { type: 'separator' },
    { label: 'Quit Reverie', click: () => actions.quit() },
  ];
}

/**
 * The tray image per platform: macOS wants a black "template" image it tints for light and dark
 * menu bars (the @2x file beside it is picked up automatically); Windows and Linux show colour.
 */
export function trayIconFile(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'trayTemplate.png' : platform === 'win32' ? 'tray@2x.png' : 'tray.png';
}
