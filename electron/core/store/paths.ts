import os from 'node:os';
import path from 'node:path';

/** The OS app-data folder, as Electron's app.getPath('userData') would pick it, overridable by REVERIE_HOME. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REVERIE_HOME) return path.resolve(env.REVERIE_HOME);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Reverie');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Reverie');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'reverie');
}
