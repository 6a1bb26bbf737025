import os from 'node:os';
import path from 'node:path';

/**
 * The OS's per-user application-data folder, as Electron's app.getPath('appData') gives it:
 * macOS ~/Library/Application Support, Windows %APPDATA%, Linux $XDG_CONFIG_HOME or ~/.config.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || path.join(home, '.config');
}

/**
 * Where the store lives unless `--store` says otherwise: $REVERIE_HOME, else Reverie/store in the
 * app-data folder — the packaged app's userData/store. The app and the CLI must resolve to the same
 * folder (that is what makes the one-writer lock mean something), so both call this and neither
 * derives it from the app name, which differs between a dev run ("reverie") and a packaged one.
 */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.REVERIE_HOME) return path.resolve(env.REVERIE_HOME);
  return path.join(appDataDir(env, platform), 'Reverie', 'store');
}
