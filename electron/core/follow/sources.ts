// The followed sources in the store's main document, and importing what changed in them: the one
// path both the in-process follower (app, `serve`) and `reverie follow` take, so each source's last
// import and last error are recorded the same way.
import fs from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../../shared/contract/define';
import type { FollowedSource } from '../../../shared/contract/follow';
import type { AgentTool, ImportResult } from '../../../shared/model';
import { importPaths } from '../importers';
import type { Store } from '../store/store';

/** The source a path belongs to: the followed folder that contains it (the deepest, when nested). */
export function sourceFor(sources: FollowedSource[], p: string): FollowedSource | undefined {
  const abs = path.resolve(p);
  let best: FollowedSource | undefined;
  for (const s of sources) {
    const inside = abs === s.path || abs.startsWith(s.path.endsWith(path.sep) ? s.path : s.path + path.sep);
    if (inside && (!best || s.path.length > best.path.length)) best = s;
  }
  return best;
}

/** Adds sources (or re-enables ones already followed). A path that does not exist is refused: a typo would be watched forever. */
export function addSources(store: Store, paths: string[], meta: { tool?: AgentTool; label?: string } = {}): FollowedSource[] {
  const list = store.data.follow;
  const missing = paths.filter((p) => !fs.existsSync(p)).map((p) => path.resolve(p));
  if (missing.length) throw new ContractError('invalid-input', `Cannot follow ${missing.join(', ')}: no such file or folder.`);
  const now = new Date().toISOString();
  const touched: FollowedSource[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let s = list.find((x) => x.path === abs);
    if (s) s.enabled = true;
    else {
      s = { path: abs, tool: meta.tool ?? null, label: meta.label ?? null, enabled: true, addedAt: now, lastImportAt: null, lastImport: null, lastError: null, lastErrorAt: null };
      list.push(s);
    }
    touched.push(s);
  }
  return touched;
}

export function findSource(store: Store, p: string): FollowedSource {
  const abs = path.resolve(p);
  const s = store.data.follow.find((x) => x.path === abs);
  if (!s) throw new ContractError('not-found', `${abs} is not followed.`);
  return s;
}

const describeErrors = (errors: ImportResult['errors']) => {
  const first = errors[0];
  return `${first.file}${first.line ? `:${first.line}` : ''}: ${first.reason}${errors.length > 1 ? ` (and ${errors.length - 1} more problem(s))` : ''}`;
};
/** A file deleted between the watcher's event and the import: a notice, not a problem of the source. */
const vanished = (e: ImportResult['errors'][number]) => /^cannot read: no such file/.test(e.reason);

/**
 * Imports the given files/folders, grouped by the followed source each belongs to, and records each
 * source's outcome. Must run under the store's writer (ctx.exclusive / a writable open).
 */
export async function importFollowed(store: Store, paths: string[]): Promise<ImportResult> {
  const total: ImportResult = { files: 0, sessions: 0, events: 0, skipped: 0, errors: [] };
  const groups = new Map<FollowedSource | undefined, string[]>();
  for (const p of paths) {
    const s = sourceFor(store.data.follow, p);
    groups.set(s, [...(groups.get(s) ?? []), p]);
  }
  for (const [source, group] of groups) {
    const r = await importPaths(store, group);
    total.files += r.files;
    total.sessions += r.sessions;
    total.events += r.events;
    total.skipped += r.skipped;
    total.errors.push(...r.errors);
    if (!source) continue;
    const now = new Date().toISOString();
    if (r.sessions || r.events) {
      source.lastImportAt = now;
      source.lastImport = { files: r.files - r.skipped, sessions: r.sessions, events: r.events };
    }
    const problems = r.errors.filter((e) => !vanished(e));
    if (problems.length) {
      source.lastError = describeErrors(problems);
      source.lastErrorAt = now;
    } else if (r.files) source.lastError = null;
  }
  await store.writeMain();
  return total;
}
