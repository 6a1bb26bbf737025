// One writer per store: a lock folder created with mkdir (atomic on every OS and file system) holding
// an owner record (pid, machine, command, since), so the second writer is told who holds the store.
//
// Why not proper-lockfile's mtime heartbeat: it treats any change of the lock folder's mtime (our
// owner record inside it) as "compromised", and a holder whose event loop stalls (parsing a big
// document) would look stale to others and lose its lock. On one machine a pid says exactly whether
// the holder still runs, so staleness is decided by that:
//   - owner on this machine and its pid is gone → a crash; taken over at once;
//   - a lock folder without an owner record, older than a few seconds → a crash between mkdir and the
//     record; taken over;
//   - an owner on another machine (a store on a shared drive) is never taken over automatically.
// Take-overs are serialized by a second mkdir lock, so two processes recovering at once cannot both win.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** Tells this lock apart from a later one by the same process. */
  nonce: z.string(),
});
export type LockOwner = z.infer<typeof LockOwner>;

export const lockDir = (dir: string) => path.join(dir, 'reverie.lock');
const ownerFile = (dir: string) => path.join(lockDir(dir), 'owner.json');
const recoveryDir = (dir: string) => path.join(dir, 'reverie.lock-recovery');

/** A lock folder without an owner record this old was left by a crash between mkdir and the record. */
const ORPHAN_MS = 5_000;
/** A recovery lock this old was left by a process that crashed while recovering. */
const RECOVERY_STALE_MS = 10_000;

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
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When this machine booted; os.uptime() is the kernel's own count, immune to wall-clock changes since. */
const bootTime = () => Date.now() - os.uptime() * 1000;
/** Uptime has one-second resolution and clocks drift a little: only a lock clearly older than the boot counts. */
const BOOT_SLACK_MS = 60_000;

/** Why the current lock can be taken over, or null when its holder may still be alive. */
function staleReason(dir: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(lockDir(dir));
  } catch {
    return null; // gone already: a plain retry takes it
  }
  const owner = readLockOwner(dir);
  if (owner && owner.hostname === os.hostname()) {
    if (!pidAlive(owner.pid)) return `${describeOwner(owner)} is no longer running`;
    // After a restart the old pid may belong to an unrelated process: a lock taken before this
    // machine booted cannot be held by anything still running.
    if (Date.parse(owner.since) < bootTime() - BOOT_SLACK_MS) return `${describeOwner(owner)} was taken before this machine restarted`;
    return null;
  }
  if (owner) return null;
  return Date.now() - st.mtimeMs > ORPHAN_MS ? 'a crashed process left an empty lock' : null;
}

function tryMkdir(p: string): boolean {
  try {
    fs.mkdirSync(p);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new ContractError('failed', `Cannot take the store's writer lock (${p}): ${code ?? (err as Error).message}. Is the folder writable?`);
  }
}

export interface HeldLock {
  release(): Promise<void>;
  /** Set when a lock left by a crash was taken over. */
  recovered: string | null;
}

/** Takes the store's writer lock or throws a `locked` error naming the holder. */
export async function acquireWriterLock(dir: string, host: string): Promise<HeldLock> {
  let recovered: string | null = null;
  if (!tryMkdir(lockDir(dir))) {
    recovered = takeOverIfStale(dir);
    if (!recovered) {
      const owner = readLockOwner(dir);
      const where = owner && owner.hostname !== os.hostname() ? ` If that machine is off, delete ${lockDir(dir)}.` : '';
      throw new ContractError('locked', `The store at ${dir} is in use by ${owner ? describeOwner(owner) : 'another Reverie process'}. Close it, or run this again when it is done (commands that only read work meanwhile).${where}`);
    }
  }
  const owner: LockOwner = { pid: process.pid, host, hostname: os.hostname(), command: commandLine(host), since: new Date().toISOString(), nonce: randomUUID() };
  writeFileDurableSync(ownerFile(dir), JSON.stringify(owner));
  removeAsideFolders(dir);
  return {
    recovered,
    release: async () => {
      // Only remove the lock if it is still ours (it never should not be, but never delete another's).
      if (readLockOwner(dir)?.nonce !== owner.nonce) return;
      removeLockFolder(dir);
    },
  };
}

/**
 * Removes the lock folder: renamed aside first (atomic), then deleted. Deleted in place, a process
 * killed between the owner record's removal and the folder's (a release at the end of a run) left a
 * fresh lock folder without an owner, which the next writer must respect for ORPHAN_MS: the kill
 * test's re-import met exactly that. Renamed, the lock is either whole or gone.
 */
function removeLockFolder(dir: string): void {
  const aside = `${lockDir(dir)}${ASIDE}${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    fs.renameSync(lockDir(dir), aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // already gone
    throw err;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}
const ASIDE = '.old-';

/** Lock folders renamed aside by a process killed before it deleted them: nobody's lock, removed by the next writer. */
function removeAsideFolders(dir: string): void {
  // (`.stale-`: what a takeover named them before.)
  const prefixes = [ASIDE, '.stale-'].map((p) => `${path.basename(lockDir(dir))}${p}`);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => prefixes.some((p) => n.startsWith(p)));
  } catch {
    return;
  }
  for (const n of names) {
    try {
      fs.rmSync(path.join(dir, n), { recursive: true, force: true });
    } catch {
      // another process removing its own at the same moment: it finishes the job
    }
  }
}

/** Takes a stale lock over (returning why it was stale), or null when it is held or another process won the race. */
function takeOverIfStale(dir: string): string | null {
  if (!staleReason(dir)) return null;
  if (!tryMkdir(recoveryDir(dir))) {
    try {
      if (Date.now() - fs.statSync(recoveryDir(dir)).mtimeMs < RECOVERY_STALE_MS) return null;
      fs.rmSync(recoveryDir(dir), { recursive: true, force: true });
    } catch {
      return null;
    }
    if (!tryMkdir(recoveryDir(dir))) return null;
  }
  try {
    // Re-check under the recovery lock: another process may have recovered it a moment ago.
    const reason = staleReason(dir);
    if (!reason) return null;
    removeLockFolder(dir);
    return tryMkdir(lockDir(dir)) ? `A lock left by a crash was cleared: ${reason}.` : null;
  } finally {
    fs.rmSync(recoveryDir(dir), { recursive: true, force: true });
  }
}

function commandLine(host: string): string {
  if (host === 'electron') return 'the Reverie app';
  if (host === 'browser') return 'reverie serve';
  const argv = process.argv.slice(2);
  const kept: string[] = [];
  for (let i = 0; i < argv.length && kept.length < 4; i++) {
    if (argv[i] === '--store') i++; // the folder is in the message already
    else if (!argv[i]!.startsWith('--store=')) kept.push(argv[i]!);
  }
  const name = `reverie ${kept.join(' ')}`.trim();
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}
