// One writer per store. proper-lockfile gives us an atomic mkdir-based lock that works across
// processes and platforms and detects stale locks by mtime (the holder refreshes it); we add a
// small owner file so the second writer can be told *who* holds the store.
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ContractError } from '../../../shared/contract/define';

export interface LockOwner { pid: number; host: string; since: string }

const ownerFile = (dir: string) => path.join(dir, 'reverie.lock.owner.json');

export function readLockOwner(dir: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(ownerFile(dir), 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** Takes the store's writer lock or throws a `locked` error naming the holder. Returns the release function. */
export async function acquireWriterLock(dir: string, host: string): Promise<() => Promise<void>> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, 'reverie.lock'),
      stale: 10_000,
      update: 2_000,
      realpath: false,
      // A compromised lock (e.g. the machine slept past `stale`) must not crash the holder.
      onCompromised: () => {},
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      const owner = readLockOwner(dir);
      const who = owner ? `${owner.host} (pid ${owner.pid}, since ${owner.since})` : 'another process';
      throw new ContractError('locked', `The store at ${dir} is in use by ${who}. Close it or run this command again when it is done.`);
    }
    throw err;
  }
  fs.writeFileSync(ownerFile(dir), JSON.stringify({ pid: process.pid, host, since: new Date().toISOString() } satisfies LockOwner));
  return async () => {
    fs.rmSync(ownerFile(dir), { force: true });
    await release();
  };
}
