// Durable file writes. write-file-atomic writes a temp file, fsyncs it and renames it over the old
// one (a reader or a crash sees the old file or the new one, never half of either); we also fsync the
// folder where the platform allows it, so the rename itself survives a power cut. Used for the two
// documents that are commit points (reverie.json, index.json) and the per-session files.
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems (network mounts) refuse a folder fsync; the rename is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export async function writeFileDurable(file: string, text: string, opts: { syncDir?: boolean } = {}): Promise<void> {
  await writeFileAtomic(file, text, { fsync: true });
  if (opts.syncDir) fsyncDir(path.dirname(file));
}

export function writeFileDurableSync(file: string, text: string): void {
  writeFileAtomic.sync(file, text, { fsync: true });
  fsyncDir(path.dirname(file));
}

/** A time stamp that sorts as text and is safe in file names on every OS. */
export const fileStamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-');
