import path from 'node:path';
import type { ImportProgress } from '../../../shared/contract/imports';
import type { CoreContext, DomainHandlers } from '../context';
import { importPaths, type ImportProgress as PipelineProgress } from '../importers';
import { countCursorChats } from '../importers/cursor-db';
import { discoverSources } from '../importers/discover';
import { collectFiles, EDITOR_DB } from '../importers/files';

const IDLE: ImportProgress = { running: false, phase: 'idle', file: null, filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, sessions: 0, events: 0, errors: 0 };
/** UIs re-read progress on each notification: a few per second is smooth and cheap. */
const NOTIFY_EVERY_MS = 250;

export function importHandlers(ctx: CoreContext): DomainHandlers<'import.paths' | 'import.discover' | 'import.progress'> {
  let current: ImportProgress = IDLE;
  let lastNotify = 0;
  const onProgress = (p: PipelineProgress) => {
    current = { ...p, running: p.phase !== 'done' };
    const now = Date.now();
    if (p.phase === 'done' || p.phase === 'scanning' || now - lastNotify >= NOTIFY_EVERY_MS) {
      lastNotify = now;
      ctx.notify('import.progress');
    }
  };
  return {
    async 'import.paths'({ paths, agent }) {
      const result = await ctx.exclusive(() => importPaths(ctx.store, paths, { agent, onProgress, worker: ctx.worker }));
      ctx.notify('sessions');
      return result;
    },
    async 'import.discover'() {
      const sources = discoverSources();
      // Cursor keeps many chats per database: counted by opening a copy (the files themselves are never opened by SQLite).
      for (const s of sources) {
        if (s.unit !== 'database') continue;
        const dbs = collectFiles([s.path], []).map((c) => c.file).filter((f) => path.basename(f) === EDITOR_DB);
        s.sessions = await countCursorChats(dbs);
      }
      return { sources };
    },
    async 'import.progress'() {
      return current;
    },
  };
}
