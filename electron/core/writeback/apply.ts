// Applying a planned write-back: copy the old file to the store's backups, write the new one
// atomically, and record what was written (hash and lines for edit detection, dates for progress).
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { blockHash } from './block';
import type { PlannedTarget } from './plan';
import type { WritebackState } from './state';

export const WRITABLE = new Set(['create', 'insert', 'update']);

export function backupPath(storeDir: string, now: string, file: string): string {
  const stamp = now.replace(/[:.]/g, '-');
  // The absolute path, flattened, so two projects' CLAUDE.md never collide.
  const flat = path.resolve(file).replace(/^[A-Za-z]:/, '').replace(/[\\/]+/g, '__').replace(/^_+/, '');
  return path.join(storeDir, 'backups', 'writeback', stamp, flat);
}

export async function applyPlan(targets: PlannedTarget[], opts: { storeDir: string; state: WritebackState; now: string; force: boolean }): Promise<void> {
  const { state, now } = opts;
  for (const t of targets) {
    const write = WRITABLE.has(t.status) || (opts.force && t.status === 'edited');
    const record = write || (t.status === 'unchanged' && !state.files[t.file!]);
    if (!t.file || !t.rendered || !t.next || !record) continue;
    if (write) {
      try {
        if (t.current !== null) {
          const backup = backupPath(opts.storeDir, now, t.file);
          fs.mkdirSync(path.dirname(backup), { recursive: true });
          fs.writeFileSync(backup, t.current);
          t.backup = backup;
        }
        fs.mkdirSync(path.dirname(t.file), { recursive: true });
        // write-file-atomic resolves symlinks, so a CLAUDE.md that links elsewhere stays a link.
        await writeFileAtomic(t.file, t.next);
        t.written = true;
      } catch (err) {
        // One unwritable file must not stop the others, nor be recorded as written.
        Object.assign(t, { status: 'error', reason: `could not write ${t.file}${t.backup ? '' : ' (no backup could be made, so it was left alone)'}: ${(err as Error).message}` });
        continue;
      }
    }
    state.files[t.file] = { file: t.file, agentIds: t.agentIds, hash: blockHash(t.rendered.inner), lines: t.rendered.lines, writtenAt: now };
    for (const { lessonId } of t.rendered.lines) {
      const prev = state.lessons[lessonId];
      state.lessons[lessonId] = {
        firstWrittenAt: prev?.firstWrittenAt ?? now,
        lastWrittenAt: now,
        files: [...new Set([...(prev?.files ?? []), t.file])],
        byAgent: { ...Object.fromEntries(t.agentIds.map((a) => [a, now])), ...(prev?.byAgent ?? {}) },
      };
    }
  }
}
