// The store: a lowdb main document (settings, agents, lessons, tombstones, scheduler state; the dreams
// are lines of the dream log it names, dream-log.ts), the session index (index.json, a small head:
// where each session's record is, which are not dreamt over yet; plus a log of session summaries and
// import-ledger entries read by need, session-index.ts) and append-only segment files holding one
// record per session version (events + signals; segments.ts). Opening the app reads only the main
// document (its dreams on first use); a dream reads the head and the session records it needs.
// Every document is validated (and migrated) when read; a damaged one is repaired from a backup with
// a notice (documents.ts); only one process writes (lock.ts).
import fs from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { ContractError } from '../../../shared/contract/define';
import type { Dream, Session } from '../../../shared/model';
import { describeZodError } from '../rpc';
import { BACKUP_EVERY_MS, backupDocument, loadDocument, newestBackupMatches } from './documents';
import { MainDocFile, removeUnusedDreamLogs } from './dream-log';
import { fileStamp, writeJsonDurable, writeJsonDurableSync } from './files';
import { acquireWriterLock, describeOwner, readLockOwner, type HeldLock } from './lock';
import { type DreamDigest, IndexDoc, IndexDocInPlace, MainDoc, MainFile, SessionDoc, SessionSignals, emptyIndex, emptyMain } from './schema';
import { encodeRecord, listSegments, readRecord, scanSegment, segmentName, SegmentWriter, type Location } from './segments';
import { SessionIndex } from './session-index';

export interface OpenOptions {
  /** Who is opening (shown to a second writer). */
  host?: string;
  /** Read-only opens take no lock, repair nothing and refuse writes. */
  readOnly?: boolean;
}

export const MAIN_FILE = 'reverie.json';
export const INDEX_FILE = 'index.json';
/**
 * The v2 layout's journal: ids of session files written since index.json was last saved. Only a store
 * written by an older Reverie and killed mid-import has one; it is rolled forward before the store is
 * converted to segments. (In v3 the journal is the active segment's tail past its committed length.)
 */
export const JOURNAL_FILE = 'sessions.journal';
export const SESSIONS_DIR = 'sessions';
/** Compaction runs once the garbage in the segments outweighs the live records and passes this size. */
export const COMPACT_MIN_GARBAGE = 1024 * 1024;

/** The v2 layout: one file per session, two-level fan-out; ids are sanitized for every OS. */
export function sessionFilePath(dir: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(dir, 'sessions', safe.slice(0, 2), `${safe}.json`);
}

function parseSessionDoc(text: string, where: string, id: string): SessionDoc;
function parseSessionDoc(text: string, where: string, id: string, shape: typeof SessionSignals): SessionSignals;
function parseSessionDoc(text: string, where: string, id: string, shape: typeof SessionDoc | typeof SessionSignals = SessionDoc): SessionDoc | SessionSignals {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ContractError('failed', `Session ${where} is not valid JSON (${(err as Error).message})`);
  }
  const r = shape.safeParse(raw);
  if (!r.success) throw new ContractError('failed', `Session record for ${id} is damaged: ${describeZodError(r.error)}`);
  return r.data;
}

/** Reads and validates one session file of the v2 layout; null when it does not exist. */
export function readLegacySessionFile(dir: string, id: string): SessionDoc | null {
  let text: string;
  try {
    text = fs.readFileSync(sessionFilePath(dir, id), 'utf8');
  } catch {
    return null;
  }
  return parseSessionDoc(text, `file ${sessionFilePath(dir, id)}`, id);
}

/**
 * Reads one session record by its location (one positioned read, proportional to that session).
 * Safe without the lock: committed bytes of a segment never change, and compacted segments are
 * only deleted when the writer closes or opens.
 */
export function readSessionAt(dir: string, id: string, loc: Location): SessionDoc {
  return parseSessionDoc(recordText(dir, id, loc), `record ${segmentName(loc[0])}:${loc[1]}`, id);
}

/**
 * The same record without its events, which are most of its bytes: what an incremental dream folds
 * (its stored signals). Validating 500 sessions' events was most of such a dream's reading.
 */
export function readSessionSignalsAt(dir: string, id: string, loc: Location): SessionSignals {
  return parseSessionDoc(recordText(dir, id, loc), `record ${segmentName(loc[0])}:${loc[1]}`, id, SessionSignals);
}

function recordText(dir: string, id: string, loc: Location): string {
  try {
    return readRecord(path.join(dir, SESSIONS_DIR), loc);
  } catch (err) {
    throw new ContractError('failed', `Session ${id} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `${segmentName(loc[0])} is gone (the store was compacted meanwhile; open it again)` : (err as Error).message}`);
  }
}

/** Reads one session of the store in `dir` by id, loading its index.json (for tests and tools; the app goes through Store). */
export function readSessionFile(dir: string, id: string): SessionDoc | null {
  const index = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as Partial<IndexDoc>;
  const loc = index.locations?.[id];
  if (loc) return readSessionAt(dir, id, loc);
  return readLegacySessionFile(dir, id);
}

/** The v2 layout's fan-out folders (two characters each) still under sessions/. */
function legacyShards(dir: string): string[] {
  const root = path.join(dir, SESSIONS_DIR);
  try {
    return fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/**
 * Every record of every segment in order, newest record per session winning: the index as the
 * segments say it (sessions, locations, tail), for a rebuild or a roll-forward from `tail`.
 */
function scanRecords(dir: string, from: { segment: number; length: number } | null, onRecord: (doc: SessionDoc, loc: Location) => void, truncate: boolean): { segment: number; length: number } {
  const root = path.join(dir, SESSIONS_DIR);
  let tail = from ?? { segment: 1, length: 0 };
  for (const seg of listSegments(root)) {
    if (from && seg < from.segment) continue;
    const start = from && seg === from.segment ? from.length : 0;
    const it = scanSegment(root, seg, start);
    let r = it.next();
    while (!r.done) {
      const { payload, loc } = r.value;
      let doc: SessionDoc | null = null;
      try {
        const parsed = SessionDoc.safeParse(JSON.parse(payload));
        if (parsed.success) doc = parsed.data;
      } catch {
        doc = null; // a record whose hash checks out but whose JSON does not: skipped, never fatal
      }
      if (doc) onRecord(doc, loc);
      r = it.next();
    }
    const end = r.value;
    // A torn record at the end (a kill mid-write) is cut off, so new records follow readable ones.
    if (truncate && end < fs.statSync(path.join(root, segmentName(seg))).size) fs.truncateSync(path.join(root, segmentName(seg)), end);
    tail = { segment: seg, length: end };
  }
  return tail;
}

/** Rebuilds the session index from the session records (the last resort when index.json and its backups are unusable). */
export function rebuildIndexFromSessionFiles(dir: string): IndexDoc {
  const sessions: Session[] = [];
  const index: IndexDoc = { ...emptyIndex(), sessions, ledger: {} };
  const finish = () => {
    index.undreamt = sessions.filter((s) => !s.dreamt).map((s) => s.id);
    index.agents = [...new Set(sessions.map((s) => s.agentId))];
    return index;
  };
  if (listSegments(path.join(dir, SESSIONS_DIR)).length) {
    const at = new Map<string, number>();
    index.tail = scanRecords(dir, null, (doc, loc) => {
      const i = at.get(doc.session.id);
      if (i !== undefined) sessions[i] = doc.session;
      else at.set(doc.session.id, sessions.push(doc.session) - 1);
      index.locations[doc.session.id] = loc;
    }, false);
    return finish();
  }
  index.legacyFiles = true;
  const root = path.join(dir, SESSIONS_DIR);
  for (const shard of legacyShards(dir)) {
    for (const name of fs.readdirSync(path.join(root, shard)).sort()) {
      if (!name.endsWith('.json')) continue;
      try {
        const r = SessionDoc.safeParse(JSON.parse(fs.readFileSync(path.join(root, shard, name), 'utf8')));
        if (r.success) sessions.push(r.data.session);
      } catch {
        // An unreadable session file is skipped; re-importing its source brings it back.
      }
    }
  }
  return finish();
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
  private readonly lastBackupAt = new Map<string, number>();
  /** Appends session records; created on the first write. */
  private writer: SegmentWriter | null = null;

  private indexState: SessionIndex | null = null;

  private readonly main: Low<MainDoc>;

  private constructor(
    readonly dir: string,
    private readonly mainFile: MainDocFile,
    readonly readOnly: boolean,
    private lock: HeldLock | null,
    /** What happened at open (or since: a damaged dream log is found when the dreams are first read) that the user should know: a repair, a migration, a recovered lock. */
    readonly notices: string[],
  ) {
    this.main = new Low(mainFile, mainFile.data);
  }

  /**
   * The session index, its head loaded on first use: the lesson list (what the app shows first) needs
   * only the small main document. Loading repairs the head like the main document, cuts off what an
   * uncommitted writer appended, rolls forward an interrupted import, and moves summaries still inline
   * (a v3 index) into the log. The summaries and the ledger are read later, by what needs them.
   */
  get index(): SessionIndex {
    if (!this.indexState) {
      const file = path.join(this.dir, INDEX_FILE);
      const i = loadDocument({ storeDir: this.dir, kind: 'index', file, schema: IndexDocInPlace, empty: emptyIndex, readOnly: this.readOnly, rebuild: () => rebuildIndexFromSessionFiles(this.dir) });
      this.notices.push(...i.notices);
      const index = new SessionIndex(this.dir, i.data, this.readOnly, {
        rebuildSummaries: () => rebuildIndexFromSessionFiles(this.dir).sessions ?? [],
        notice: (text) => this.notices.push(text),
      });
      this.indexState = index;
      if (!this.readOnly) index.openForWriting();
      // A v2 store killed mid-import: its journal names session files to roll forward first.
      this.rollForwardJournal();
      if (!this.readOnly) this.backupAtOpen(INDEX_FILE);
      if (index.legacyFiles) {
        if (!this.readOnly) this.convertLegacyFiles();
      } else {
        this.checkLocations();
        this.rollForwardSegments();
        if (!this.readOnly) {
          this.removeDeadSegments();
          if (legacyShards(this.dir).length) this.moveLegacyFilesToBackups();
        }
      }
      // Summaries still inline (a v3 index, a rebuilt one) move into the log now, not at the next import.
      if (!this.readOnly && i.data.log === null && (i.data.sessions || i.data.ledger)) this.commitIndexSync();
    }
    return this.indexState;
  }

  /** The head written now (opening, converting, compacting): the log synced first, then index.json replaced. */
  private commitIndexSync(): void {
    writeJsonDurableSync(path.join(this.dir, INDEX_FILE), this.index.prepareCommit());
  }

  private get sessionsDir(): string { return path.join(this.dir, SESSIONS_DIR); }

  /**
   * Records appended after the last commit (an import killed before it wrote index.json) are complete
   * sessions the index does not name yet: they are added (roll forward), later records winning, and a
   * torn record at the end is cut off. A read-only open does the same in memory only.
   */
  private rollForwardSegments(): void {
    const index = this.indexState!;
    let added = 0;
    let seen = 0;
    const tail = scanRecords(this.dir, index.tail, (doc, loc) => {
      seen++;
      if (!index.has(doc.session.id)) added++;
      index.putSession(doc.session);
      index.locations[doc.session.id] = loc;
    }, !this.readOnly);
    const moved = tail.segment !== index.tail.segment || tail.length !== index.tail.length;
    index.tail = tail;
    if (added) this.notices.push(`An import was interrupted; the ${added} session(s) it had completed were kept. Run the import again to finish it.`);
    // Records rolled forward may have replaced older ones (the next commit checks the garbage), and lie
    // in segments checkLocations did not see live.
    if (seen) (this.appendedSinceCommit = true), (this.liveSegments = null);
    if (this.readOnly || (!seen && !moved)) return;
    this.commitIndexSync();
  }

  /**
   * Every location must point into a segment that holds it: an index restored from an older backup
   * may name records compaction has since moved. Then the index is rebuilt from the segments
   * (keeping its ledger), which always hold every session's newest record.
   */
  private checkLocations(): void {
    const index = this.indexState!;
    const sizes: number[] = []; // by segment number: 100,000 look-ups at a year of logs
    const size = (seg: number) => {
      let n = sizes[seg];
      if (n === undefined) {
        try {
          n = fs.statSync(path.join(this.sessionsDir, segmentName(seg))).size;
        } catch {
          n = -1;
        }
        sizes[seg] = n;
      }
      return n;
    };
    // The segments holding a live record are gathered on the way (removeDeadSegments keeps them): one pass over 100,000 locations, not two.
    const live = new Set<number>();
    const fits = () => {
      for (const id in index.locations) {
        const [seg, off, len] = index.locations[id]!;
        if (size(seg) < off + len) return false;
        live.add(seg);
      }
      return true;
    };
    // (Every summary having a location is checked where both are at hand: a v3 index's inline summaries.)
    const bad = !fits() || index.inlineSessions()?.some((x) => !index.locations[x.id]);
    if (!bad) {
      this.liveSegments = live;
      return;
    }
    const rebuilt = rebuildIndexFromSessionFiles(this.dir);
    index.resetFromRecords(rebuilt);
    this.notices.push(`The session index did not match the session records; it was rebuilt from them (${rebuilt.sessions!.length} sessions).`);
    if (!this.readOnly) this.commitIndexSync();
  }

  /** The segments holding a live record, as checkLocations found them (until the index changes). */
  private liveSegments: Set<number> | null = null;

  /** Segments below the active one that hold no live record: what a finished (or interrupted) compaction left. */
  private removeDeadSegments(): void {
    const index = this.indexState!;
    const live = this.liveSegments ?? new Set(Object.values(index.locations).map((l) => l[0]));
    this.liveSegments = null;
    for (const seg of listSegments(this.sessionsDir)) if (seg < index.tail.segment && !live.has(seg)) fs.rmSync(path.join(this.sessionsDir, segmentName(seg)), { force: true });
  }

  /**
   * A v2 store (one file per session) converts at its first writable open: every session file is
   * appended to a segment, one fsync, then the index names the records (the commit point), then the
   * old files move to backups/sessions-v2-<time>/. Killed before the commit, the next open starts over
   * (segments of a store still in the old layout are leftovers of that attempt and are removed first).
   */
  private convertLegacyFiles(): void {
    const index = this.indexState!;
    for (const seg of listSegments(this.sessionsDir)) fs.rmSync(path.join(this.sessionsDir, segmentName(seg)), { force: true });
    const writer = new SegmentWriter(this.sessionsDir, 1);
    const locations: Record<string, Location> = {};
    let missing = 0;
    try {
      for (const s of index.sessions) {
        let doc: SessionDoc | null = null;
        try {
          doc = readLegacySessionFile(this.dir, s.id);
        } catch {
          doc = null;
        }
        if (!doc) {
          missing++;
          continue;
        }
        locations[s.id] = writer.append(JSON.stringify(doc));
      }
      writer.sync();
      index.replaceLocations(locations);
      index.tail = { segment: writer.segment, length: writer.length };
    } finally {
      writer.close();
    }
    index.legacyFiles = false;
    this.commitIndexSync();
    const backup = this.moveLegacyFilesToBackups();
    this.notices.push(`Sessions were converted to the segment layout (${Object.keys(locations).length} sessions${missing ? `, ${missing} without a readable file left as they were` : ''}); the old files are kept in ${backup}.`);
  }

  /** The v2 layout's session folders, once converted, go to backups/sessions-v2-<time>/ (also what a conversion killed after its commit left). */
  private moveLegacyFilesToBackups(): string {
    const backup = path.join(this.dir, 'backups', `sessions-v2-${fileStamp()}`);
    const shards = legacyShards(this.dir);
    if (shards.length) {
      fs.mkdirSync(backup, { recursive: true });
      for (const shard of shards) fs.renameSync(path.join(this.sessionsDir, shard), path.join(backup, shard));
    }
    return path.relative(this.dir, backup);
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
      const m = loadDocument({ storeDir: abs, kind: 'main', file: mainFile, schema: MainFile, empty: () => ({ ...emptyMain(), dreamLog: null }), readOnly });
      const notices: string[] = [];
      const file = new MainDocFile(abs, mainFile, m.data, (text) => notices.push(text));
      const store = new Store(abs, file, readOnly, lock, notices);
      if (lock?.recovered) store.notices.push(lock.recovered);
      store.notices.push(...m.notices);
      if (!readOnly) {
        removeTempLeftovers(abs);
        store.backupAtOpen(MAIN_FILE);
        // Dreams still inline (a v4 document) go to a log now, not at the next edit.
        if (file.movesInlineDreams) await store.writeMain();
        removeUnusedDreamLogs(abs, mainFile, file.committed);
      }
      // A pending journal means an import was interrupted: settle it now rather than on first use.
      // Session folders of the v2 layout: convert them now (the first writable open), not on first use.
      if (fs.existsSync(path.join(abs, JOURNAL_FILE)) || (!readOnly && legacyShards(abs).length)) void store.index;
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
    const index = this.indexState!;
    let added = 0;
    for (const id of ids) {
      let doc: SessionDoc | null = null;
      try {
        doc = readLegacySessionFile(this.dir, id);
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
      if (!index.has(id)) added++;
      index.putSession(doc.session);
    }
    if (added) this.notices.push(`An import was interrupted; the ${added} session(s) it had completed were kept. Run the import again to finish it.`);
    if (this.readOnly) return;
    this.commitIndexSync();
    fs.rmSync(path.join(this.dir, JOURNAL_FILE), { force: true });
  }

  /** The main document; its `dreams` are read from the dream log on first use. */
  get data(): MainDoc { return this.main.data; }
  /** How many dreams are recorded, without reading them (app.info at the first screen). */
  get dreamCount(): number { return this.mainFile.dreamCount; }
  /** Which dreams wait for review, which retirements and merges were undone: what a dream asks of the history, mostly without reading it. */
  get dreamDigest(): DreamDigest { return this.mainFile.digest; }
  /** Records a new dream (written by the next writeMain), without reading the history when it can. */
  addDream(dream: Dream): void { this.mainFile.addDream(dream); }
  get sessions(): Session[] { return this.index.sessions; }

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
    if (fs.existsSync(file) && !newestBackupMatches(this.dir, file)) backupDocument(this.dir, file, name === INDEX_FILE);
    this.lastBackupAt.set(name, Date.now());
  }

  private backupIfDue(name: string): void {
    const now = Date.now();
    if (now - (this.lastBackupAt.get(name) ?? 0) < BACKUP_EVERY_MS) return;
    this.lastBackupAt.set(name, now);
    backupDocument(this.dir, path.join(this.dir, name), name === INDEX_FILE);
  }

  async writeMain(): Promise<void> {
    this.assertWritable();
    this.backupIfDue(MAIN_FILE);
    await this.main.write();
  }

  /**
   * The commit point of an import: the records appended since the last commit are made durable with
   * one fsync per segment (group commit), then index.json names them. Compaction follows when the
   * garbage of replaced records has grown past the live data.
   */
  async writeIndex(beforeCommit?: () => Promise<void>): Promise<void> {
    this.assertWritable();
    const index = this.index;
    if (this.writer) {
      this.writer.sync();
      index.tail = { segment: this.writer.segment, length: this.writer.length };
    }
    this.backupIfDue(INDEX_FILE);
    // `beforeCommit` runs once the new head is written and synced, before it replaces the old one:
    // a dream moves its observation index into place there (see handlers/dreams.ts).
    await writeJsonDurable(path.join(this.dir, INDEX_FILE), index.prepareCommit(), beforeCommit);
    // Only appended records leave garbage (a replaced session's old record): a commit that appended
    // none (a dream's) has nothing to compact, and summing 100,000 locations to find out costs 0.1 s.
    if (this.appendedSinceCommit) this.compactIfDue();
    this.appendedSinceCommit = false;
  }

  /** Whether records were appended since the last commit (what may have grown the segments' garbage). */
  private appendedSinceCommit = false;

  /** Live and total bytes of the segments: how much of them is garbage. */
  segmentUsage(): { live: number; total: number; segments: number } {
    const index = this.index;
    const live = Object.values(index.locations).reduce((n, l) => n + l[2], 0);
    const segs = listSegments(this.sessionsDir);
    const total = segs.reduce((n, seg) => n + fs.statSync(path.join(this.sessionsDir, segmentName(seg))).size, 0);
    return { live, total, segments: segs.length };
  }

  private compactIfDue(): void {
    const { live, total } = this.segmentUsage();
    const garbage = total - live;
    if (garbage > live && garbage > COMPACT_MIN_GARBAGE) this.compact();
  }

  /**
   * Copies every live record, in segment order, into new segments after the active one; one fsync;
   * then index.json names the copies (the commit point). The old segments hold no live record from
   * then on and are removed at close or the next writable open (a dream worker may still be reading
   * them). Killed before the commit, the copies are rolled forward at the next open like any
   * uncommitted tail: they are the same records, so nothing changes but where they are.
   */
  compact(): void {
    this.assertWritable();
    const index = this.index;
    this.writer?.sync();
    this.writer?.close();
    const first = Math.max(0, ...listSegments(this.sessionsDir)) + 1;
    const writer = new SegmentWriter(this.sessionsDir, first);
    const moved: Record<string, Location> = {};
    const order = Object.entries(index.locations).sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]);
    try {
      for (const [id, loc] of order) moved[id] = writer.append(readRecord(this.sessionsDir, loc));
      writer.sync();
    } catch (err) {
      writer.close();
      throw err;
    }
    index.replaceLocations(moved);
    index.tail = { segment: writer.segment, length: writer.length };
    this.commitIndexSync();
    this.writer = writer;
    this.deadSegmentsBelow = first;
  }

  /** Segments below this number were compacted away; removed at close. */
  private deadSegmentsBelow = 0;

  async writeSessionDoc(doc: SessionDoc): Promise<void> {
    this.writeSessionRecord(doc.session.id, encodeRecord(JSON.stringify(doc)));
  }

  /** Stores a session document already encoded as a segment record (encodeRecord of its JSON). */
  writeSessionRecord(id: string, record: Buffer): void {
    this.assertWritable();
    const index = this.index;
    this.writer ??= new SegmentWriter(this.sessionsDir, index.tail.segment);
    // Appended, not yet durable: writeIndex syncs the batch before the index names it.
    index.locations[id] = this.writer.appendRecord(record);
    this.appendedSinceCommit = true;
  }

  readSessionDoc(id: string): SessionDoc | null {
    const index = this.index;
    const loc = index.locations[id];
    if (loc) return readSessionAt(this.dir, id, loc);
    return index.legacyFiles ? readLegacySessionFile(this.dir, id) : null;
  }

  /** Where the records of these sessions are, for a reader in another thread (the dream worker). */
  sessionLocations(ids: readonly string[]): Record<string, Location> {
    const all = this.index.locations;
    const out: Record<string, Location> = {};
    for (const id of ids) if (all[id]) out[id] = all[id];
    return out;
  }

  async close(): Promise<void> {
    this.writer?.close();
    this.writer = null;
    this.indexState?.close();
    if (this.deadSegmentsBelow && this.lock) {
      for (const seg of listSegments(this.sessionsDir)) if (seg < this.deadSegmentsBelow) fs.rmSync(path.join(this.sessionsDir, segmentName(seg)), { force: true });
      this.deadSegmentsBelow = 0;
    }
    const lock = this.lock;
    this.lock = null;
    await lock?.release();
  }
}
