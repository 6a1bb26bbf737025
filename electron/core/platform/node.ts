// The plain-Node seam (CLI, browser bridge, tests, bench): core runs from its TypeScript sources
// through tsx, so the dream worker is started from its .ts entry with tsx's loader. Electron's main
// process uses the bundled worker instead (electron/main), and nothing above this file knows which.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerLauncher } from '../dreaming/runner';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function sourceWorkerLauncher(): WorkerLauncher {
  return { file: path.join(PROJECT_ROOT, 'electron', 'worker', 'dev-entry.mjs') };
}

export const DEMO_DIR = path.join(PROJECT_ROOT, 'resources', 'demo');

export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
