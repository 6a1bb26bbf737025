// The store: a lowdb main document (settings, agents, lessons, tombstones, dreams, scheduler state),
// a lowdb index (session summaries, import ledger) and one file per session (events + signals).
// Opening the app reads only the two small documents; a dream reads only the session files it needs.
// Every document is validated (and migrated) when read; a damaged one is repaired from a backup with
// a notice (documents.ts); only one process writes (lock.ts).
import fs from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { ContractError } from '../../../shared/contract/define';
import type { Session } from '../../../shared/model';
import { describeZodError } from '../rpc';
import { BACKUP_EVERY_MS, DurableJsonFile, backupDocument, loadDocument, newestBackupMatches } from './documents';
import { writeFileDurable, writeFileDurableSync } from './files';
import { acquireWriterLock, describeOwner, readLockOwner, type HeldLock } from './lock';
import { IndexDoc, MainDoc, SessionDoc, emptyIndex, emptyMain } from './schema';

export interface OpenOptions {
  /** Who is opening (shown to a second writer). */
  host?: string;
  /** Read-only opens take no lock, repair nothing and refuse writes. */
  readOnly?: boolean;
}

export const MAIN_FILE = 'reverie.json';
export const INDEX_FILE = 'index.json';
/**
 * Ids of session files written since index.json was last saved. index.json is the commit point of an
 * import; a process killed before it leaves complete (atomically written) session files the index
 * does not name. The next writable open reads this journal and adds them (roll forward), so an
 * interrupted import loses nothing and never leaves files the index cannot see.
 */
export const JOURNAL_FILE = 'sessions.journal';

/** Two-level fan-out keeps folders small at 10,000 sessions; ids are sanitized for every OS. */
export function sessionFilePath(dir: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(dir, 'sessions', safe.slice(0, 2), `${safe}.json`);
}

/** Reads and validates one session file; null when it does not exist. Safe without the lock (files are replaced atomically). */
export function readSessionFile(dir: string, id: string): SessionDoc | null {
  let text: string;
  try {
    text = fs.readFileSync(sessionFilePath(dir, id), 'utf8');
  } catch {
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ContractError('failed', `Session file ${sessionFilePath(dir, id)} is not valid JSON (${(err as Error).message})`);
  }
  const r = SessionDoc.safeParse(raw);
  if (!r.success) throw new ContractError('failed', `Session file for ${id} is damaged: ${describeZodError(r.error)}`);
  return r.data;
}

/** Rebuilds the session index from the session files (the last resort when index.json and its backups are unusable). */
export function rebuildIndexFromSessionFiles(dir: string): IndexDoc {
  const index = emptyIndex();
  const root = path.join(dir, 'sessions');
  const shards = fs.existsSync(root) ? fs.readdirSync(root).sort() : [];
  for (const shard of shards) {
    for (const name of fs.readdirSync(path.join(root, shard)).sort()) {
      if (!name.endsWith('.json')) continue;
      try {
        const r = SessionDoc.safeParse(JSON.parse(fs.readFileSync(path.join(root, shard, name), 'utf8')));
        if (r.success) index.sessions.push(r.data.session);
      } catch {
        // An unreadable session file is skipped; re-importing its source brings it back.
      }
    }
  }
  return index;
}

/**
 * Temp files of atomic writes (`name.<hex>`, `*.tmp`) that a killed process never renamed. Only
 * called with the writer lock held, so no write of ours can be in flight; session folders are
 * cleaned per journaled session (see rollForwardJournal) rather than by scanning thousands of them.
 */
const TEMP_FILE = /^(?:reverie|index|patterns)\.json\.(?:[0-9a-f]{6,}|.*\.tmp)$|^[A-Za-z0-9._-]+\.json\.[0-9a-f]{6,}$/i;
function removeTempLeftovers(dir: string, only?: (name: string) => boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) if (TEMP_FILE.test(n) && (!only || only(n))) fs.rmSync(path.join(dir, n), { force: true });
}

export class Store {
  /** What happened at open that the user should know (a repair, a migration, a recovered lock). */
  readonly notices: string[] = [];
  private readonly lastBackupAt = new Map<string, number>();
  /** Session ids written since the last index write (see JOURNAL_FILE). */
  private readonly journaled = new Set<string>();

  private indexDoc: Low<IndexDoc> | null = null;

  private constructor(
    readonly dir: string,
    readonly main: Low<MainDoc>,
    readonly readOnly: boolean,
    private lock: HeldLock | null,
  ) {}

  /**
   * The session index and import ledger, loaded on first use: the lesson list (what the app shows
   * first) needs only the small main document, and at 10,000 sessions the index is megabytes of JSON.
   * Loading repairs it like the main document and rolls forward an interrupted import's journal.
   */
  get index(): Low<IndexDoc> {
    if (!this.indexDoc) {
      const file = path.join(this.dir, INDEX_FILE);
      const i = loadDocument({ storeDir: this.dir, kind: 'index', file, schema: IndexDoc, empty: emptyIndex, readOnly: this.readOnly, rebuild: () => rebuildIndexFromSessionFiles(this.dir) });
      this.indexDoc = new Low(new DurableJsonFile<IndexDoc>(file), i.data);
      this.notices.push(...i.notices);
      this.rollForwardJournal();
      if (!this.readOnly) this.backupAtOpen(INDEX_FILE);
    }
    return this.indexDoc;
  }

  static async open(dir: string, opts: OpenOptions = {}): Promise<Store> {
    const abs = path.resolve(dir);
    const readOnly = !!opts.readOnly;
    if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw new ContractError('invalid-input', `${abs} is a file, not a store folder.`);
    if (!readOnly) {
      try {
        fs.mkdirSync(path.join(abs, 'sessions'), { recursive: true });
      } catch (err) {
        throw new ContractError('failed', `Cannot use ${abs} as the store folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
      }
    }
    const lock = readOnly ? null : await acquireWriterLock(abs, opts.host ?? 'reverie');
    try {
      const mainFile = path.join(abs, MAIN_FILE);
      const m = loadDocument({ storeDir: abs, kind: 'main', file: mainFile, schema: MainDoc, empty: emptyMain, readOnly });
      const store = new Store(abs, new Low(new DurableJsonFile<MainDoc>(mainFile), m.data), readOnly, lock);
      if (lock?.recovered) store.notices.push(lock.recovered);
      store.notices.push(...m.notices);
      if (!readOnly) {
        removeTempLeftovers(abs);
        store.backupAtOpen(MAIN_FILE);
      }
      // A pending journal means an import was interrupted: settle it now rather than on first use.
      if (fs.existsSync(path.join(abs, JOURNAL_FILE))) void store.index;
      return store;
    } catch (err) {
      await lock?.release();
      throw err;
    }
  }

  /** Adds the complete session files an interrupted import left outside the index (see JOURNAL_FILE). */
  private rollForwardJournal(): void {
    let ids: string[];
    try {
      ids = [...new Set(fs.readFileSync(path.join(this.dir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean))];
    } catch {
      return;
    }
    const sessions = this.indexDoc!.data.sessions;
    const at = new Map(sessions.map((x, i) => [x.id, i]));
    let added = 0;
    for (const id of ids) {
      let doc: SessionDoc | null = null;
      try {
        doc = readSessionFile(this.dir, id);
      } catch {
        doc = null; // damaged: left out; re-importing its source writes it again
      }
      if (!this.readOnly) {
        const file = sessionFilePath(this.dir, id);
        const base = path.basename(file);
        removeTempLeftovers(path.dirname(file), (n) => n.startsWith(`${base}.`));
      }
      if (!doc) continue;
      // The file is the newer truth (a grown session the index still shows at its old size).
      const i = at.get(id);
      if (i !== undefined) sessions[i] = doc.session;
      else {
        at.set(id, sessions.push(doc.session) - 1);
        added++;
      }
    }
    if (added) this.notices.push(`An import was interrupted; the ${added} session(s) it had completed were kept. Run the import again to finish it.`);
    if (this.readOnly) return;
    writeFileDurableSync(path.join(this.dir, INDEX_FILE), JSON.stringify(this.indexDoc!.data));
    fs.rmSync(path.join(this.dir, JOURNAL_FILE), { force: true });
  }

  get data(): MainDoc { return this.main.data; }
  get sessions(): Session[] { return this.index.data.sessions; }

  private assertWritable(): void {
    if (!this.readOnly) return;
    const owner = readLockOwner(this.dir);
    throw new ContractError('locked', owner ? `This store is open read-only: ${describeOwner(owner)} is writing to it. Try again when it is done.` : 'This store is open read-only.');
  }

  /**
   * Backups: a copy of each document as it was loaded (validated, so known good) at every writable
   * open where it changed since the newest backup, then at most every BACKUP_EVERY_MS while running,
   * so a document damaged later can be restored.
   */
  private backupAtOpen(name: string): void {
    const file = path.join(this.dir, name);
    // Skip when nothing changed since the newest backup (a CLI run per command would otherwise churn them).
    if (fs.existsSync(file) && !newestBackupMatches(this.dir, file)) backupDocument(this.dir, file);
    this.lastBackupAt.set(name, Date.now());
  }

  private backupIfDue(name: string): void {
    const now = Date.now();
    if (now - (this.lastBackupAt.get(name) ?? 0) < BACKUP_EVERY_MS) return;
    this.lastBackupAt.set(name, now);
    backupDocument(this.dir, path.join(this.dir, name));
  }

  async writeMain(): Promise<void> {
    this.assertWritable();
    this.backupIfDue(MAIN_FILE);
    await this.main.write();
  }

  async writeIndex(): Promise<void> {
    this.assertWritable();
    this.backupIfDue(INDEX_FILE);
    await this.index.write();
    // Every journaled session is in the index now (it is the in-memory index that was written).
    if (this.journaled.size) {
      fs.rmSync(path.join(this.dir, JOURNAL_FILE), { force: true });
      this.journaled.clear();
    }
  }

  sessionFile(id: string): string {
    return sessionFilePath(this.dir, id);
  }

  async writeSessionDoc(doc: SessionDoc): Promise<void> {
    this.assertWritable();
    const file = this.sessionFile(doc.session.id);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!this.journaled.has(doc.session.id)) {
      // Intent first: a crash right after the file lands still leaves its id in the journal.
      fs.appendFileSync(path.join(this.dir, JOURNAL_FILE), `${doc.session.id}\n`);
      this.journaled.add(doc.session.id);
    }
    // The file must be on disk before index.json (the commit point) names it.
    await writeFileDurable(file, JSON.stringify(doc));
  }

  readSessionDoc(id: string): SessionDoc | null {
    return readSessionFile(this.dir, id);
  }

  async close(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}
