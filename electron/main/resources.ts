// Where the app's bundled files are. A packaged app gets them from electron-builder's
// extraResources (process.resourcesPath/demo, /seeds, /icons, outside the asar so they are plain
// files on disk); a dev or built-but-unpackaged run reads them from the repository's resources/.
import path from 'node:path';

export interface ResourcePaths { root: string; demo: string; seeds: string; icons: string }

export function resourcePaths(opts: { isPackaged: boolean; resourcesPath: string | undefined; appPath: string }): ResourcePaths {
  const root = opts.isPackaged && opts.resourcesPath ? opts.resourcesPath : path.join(opts.appPath, 'resources');
  return { root, demo: path.join(root, 'demo'), seeds: path.join(root, 'seeds'), icons: path.join(root, 'icons') };
}

/** Links the page may open: in the OS browser, never inside the app. */
export function isExternalUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

/**
 * Permissions the page may have: only writing to the clipboard (the "copy lesson" buttons), and
 * only from our own page. Camera, microphone, geolocation, notifications from the page, HID,
 * serial, fullscreen from script… are all refused (the main process shows our notifications).
 */
export function permissionAllowed(permission: string, requestingUrl: string, isOurPage: (url: string) => boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isOurPage(requestingUrl);
}
