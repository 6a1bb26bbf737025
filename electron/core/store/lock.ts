// One writer per store. proper-lockfile gives an atomic mkdir-based lock that works across
// processes and platforms and keeps it fresh (mtime refreshed every second). We add:
//  - an owner record *inside* the lock folder, so the second writer is told who holds the store
//    (pid, what command, since when), and the record can never be mistaken for another lock's;
//  - fast, safe recovery of a lock left by a crash: when the owner's pid is dead on this machine the
//    lock is taken over at once instead of waiting for it to go stale. Take-overs are serialized by
//    a second lock, so two processes recovering together cannot both win.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { ContractError } from '../../../shared/contract/define';
import { writeFileDurableSync } from './files';

export const LockOwner = z.object({
  pid: z.number().int(),
  /** Which Reverie host: cli, browser (serve), electron. */
  host: z.string(),
  /** The machine; a pid only means something on the machine that wrote it. */
  hostname: z.string(),
  /** The command line, so the message can say "reverie import …" rather than a bare pid. */
  command: z.string(),
  since: z.string(),
});
export type LockOwner = z.infer<typeof LockOwner>;

export const lockDir = (dir: string) => path.join(dir, 'reverie.lock');
const ownerFile = (dir: string) => path.join(lockDir(dir), 'owner.json');
const recoveryLock = (dir: string) => path.join(dir, 'reverie.lock-recovery');

/** A lock nobody refreshed for this long is stale whoever holds it (a frozen or foreign-host process). */
const STALE_MS = 60_000;
/** A lock folder without an owner record this old was left by a crash between mkdir and the record. */
const ORPHAN_MS = 5_000;

export function readLockOwner(dir: string): LockOwner | null {
  try {
    const r = LockOwner.safeParse(JSON.parse(fs.readFileSync(ownerFile(dir), 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function describeOwner(o: LockOwner): string {
  return `${o.command} (pid ${o.pid}${o.hostname !== os.hostname() ? ` on ${o.hostname}` : ''}, since ${o.since})`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the current lock can be taken over, or null when its holder may still be alive. */
function staleReason(dir: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(lockDir(dir));
  } catch {
    return null; // gone already: a plain retry will take it
  }
  const age = Date.now() - st.mtimeMs;
  const owner = readLockOwner(dir);
  if (owner && owner.hostname === os.hostname() && owner.pid !== process.pid && !pidAlive(owner.pid)) return `${describeOwner(owner)} is no longer running`;
  if (!owner && age > ORPHAN_MS) return 'a crashed process left an empty lock';
  if (age > STALE_MS) return `its holder${owner ? `, ${describeOwner(owner)},` : ''} has not refreshed it for ${Math.round(age / 1000)} s`;
  return null;
}

const lockOptions = (dir: string) => ({
  lockfilePath: lockDir(dir),
  // We do our own stale detection (above); proper-lockfile's would rmdir a folder that holds our owner record.
  stale: STALE_MS * 10,
  update: 1_000,
  realpath: false,
  // A compromised lock (the machine slept for very long) must not crash the holder.
  onCompromised: () => {},
});

export interface HeldLock {
  release(): Promise<void>;
  /** Set when a lock left by a crash was taken over. */
  recovered: string | null;
}

/** Takes the store's writer lock or throws a `locked` error naming the holder. */
export async function acquireWriterLock(dir: string, host: string): Promise<HeldLock> {
  let release: () => Promise<void>;
  let recovered: string | null = null;
  try {
    release = await lockfile.lock(dir, lockOptions(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const taken = await takeOverIfStale(dir);
    if (!taken) {
      const owner = readLockOwner(dir);
      throw new ContractError('locked', `The store at ${dir} is in use by ${owner ? describeOwner(owner) : 'another Reverie process'}. Close it, or run this again when it is done (commands that only read work meanwhile).`);
    }
    ({ release, recovered } = taken);
  }
  const owner: LockOwner = { pid: process.pid, host, hostname: os.hostname(), command: commandLine(host), since: new Date().toISOString() };
  writeFileDurableSync(ownerFile(dir), JSON.stringify(owner));
  return {
    recovered,
    release: async () => {
      fs.rmSync(ownerFile(dir), { force: true });
      await release();
    },
  };
}

async function takeOverIfStale(dir: string): Promise<{ release: () => Promise<void>; recovered: string } | null> {
  if (!staleReason(dir)) return null;
  let releaseRecovery: () => Promise<void>;
  try {
    // Keyed on its own path: proper-lockfile tracks its locks per path inside a process.
    releaseRecovery = await lockfile.lock(recoveryLock(dir), { lockfilePath: recoveryLock(dir), stale: 10_000, retries: { retries: 20, minTimeout: 50, maxTimeout: 200 }, realpath: false });
  } catch {
    return null;
  }
  try {
    // Re-check under the recovery lock: another process may have recovered it a moment ago.
    const reason = staleReason(dir);
    if (!reason) return null;
    fs.rmSync(lockDir(dir), { recursive: true, force: true });
    const release = await lockfile.lock(dir, lockOptions(dir));
    return { release, recovered: `A lock left by a crash was cleared: ${reason}.` };
  } catch {
    return null;
  } finally {
    await releaseRecovery();
  }
}

function commandLine(host: string): string {
  const argv = process.argv.slice(2);
  const kept: string[] = [];
  for (let i = 0; i < argv.length && kept.length < 4; i++) {
    if (argv[i] === '--store') i++; // the folder is in the message already
    else if (!argv[i]!.startsWith('--store=')) kept.push(argv[i]!);
  }
  const args = kept.join(' ');
  const name = host === 'electron' ? 'the Reverie app' : host === 'browser' ? 'reverie serve' : `reverie ${args}`.trim();
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}
