// The dream history (store v5): every dream as recorded, one line each (`D <Dream JSON>\n`), in
// dreams-NNNNNN.log beside reverie.json, which names the file and how many of its bytes are committed.
// Why not in reverie.json: a dream keeps each change's lesson before and after it, so a year of dreams
// is megabytes (8 MB of 10 at 100,000 sessions and 93 dreams) that every lesson pin and edit wrote
// again, durably, to change one flag. Now a pin writes only reverie.json; a dream appends its one line.
//
// A dream is replaced (review, undo), never changed in place: its new version is a new line, and the
// newest line per dream wins, in the order the dreams first came. The commit is reverie.json's: the
// lines are appended and synced, then reverie.json naming the new length replaces the old one, so
// lines past the committed length belong to a writer that did not commit and are cut off by the next
// write (LogAppender). Once replaced lines outnumber live ones, every dream goes to a new file that the
// next reverie.json names. An older file stays as long as a backup of reverie.json names it: restoring
// that backup needs the dreams it committed (removeUnusedDreamLogs).
//
// reverie.json also keeps the history's digest (which dreams wait for review, which retirements and
// merges were undone): what a dream asks of the history. A dream reads that, appends its own line
// (addDream) and never reads the history: at a year of dreams that read was ~0.3 s of an incremental
// dream's 5.
import fs from 'node:fs';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { Dream } from '../../../shared/model';
import { undoneChanges } from '../dreaming/review';
import { trace } from '../trace';
import { listBackups } from './documents';
import { freezeDeep, numberedFiles, writeJsonDurable, type JsonMemo } from './files';
import { LogAppender, LogDamaged, compactionDue, readLines } from './index-log';
import type { DreamDigest, DreamLogRef, MainDoc, MainFile } from './schema';

export const dreamLogName = (n: number) => `dreams-${String(n).padStart(6, '0')}.log`;
const DREAM_LOG_FILE = /^dreams-(\d{6,})\.log$/;
export const listDreamLogs = (dir: string): number[] => numberedFiles(dir, DREAM_LOG_FILE);
const dreamLine = (d: Dream): string => `D ${JSON.stringify(d)}\n`;

/** The digest of a history (schema.ts DreamDigest). */
export const digestOf = (dreams: Dream[]): DreamDigest => ({ pending: pendingIds(dreams), undone: undoneChanges(dreams) });
const pendingIds = (dreams: Dream[]) => dreams.filter((d) => d.status === 'pending').map((d) => d.id);
const NO_HISTORY: DreamDigest = { pending: [], undone: [] };
/** A digest with new dreams after it: new dreams are never undone, so only `pending` can grow. */
const withNewDreams = (digest: DreamDigest, dreams: Dream[]): DreamDigest => ({ pending: [...digest.pending, ...pendingIds(dreams)], undone: digest.undone });

/**
 * The dreams of a log's committed part, newest line per dream winning, in the order they first came.
 * `damage` says what is wrong when a line does not read: the dreams before it are kept.
 */
export function readDreams(file: string, length: number): { dreams: Dream[]; damage: string | null } {
  const dreams: Dream[] = [];
  const at = new Map<string, number>();
  try {
    readLines(file, length, 'D', Dream, (d) => {
      const i = at.get(d.id);
      if (i === undefined) at.set(d.id, dreams.push(d) - 1);
      else dreams[i] = d;
    }, 'D');
  } catch (err) {
    if (!(err instanceof LogDamaged)) throw err;
    return { dreams, damage: err.message };
  }
  return { dreams, damage: null };
}

/**
 * lowdb's adapter for reverie.json and its dream log, and the document the store works with (`data`),
 * whose dreams are read from the log on first use: the first screen (the lesson list) needs none of
 * them, and at a year of dreams they are most of what opening would read.
 *
 * A write appends the dreams that are new or replaced since the last write (none, for a lesson edit,
 * and none when the dreams were never read), then writes reverie.json naming the log's new length,
 * each lesson from its text kept since it was last written. Which dreams and lessons are new is told
 * by identity: each one written is frozen, so a change made in place would throw instead of being lost.
 */
export class MainDocFile implements Adapter<MainDoc> {
  readonly data: MainDoc;
  /** The dreams, once read (or inline in a v4 document, or set): null until then. */
  private list: Dream[] | null = null;
  /** Each dream as the log's newest line for it holds it, in the log's order. */
  private logged = new Map<string, Dream>();
  private log: DreamLogRef | null;
  /** The next write puts every dream in a new file (inline dreams of a v4 document, a damaged log). */
  private rewrite = false;
  /** Dreams added while the history was unread (addDream), until a write commits them to the log. */
  private added: Dream[] = [];

  constructor(private readonly dir: string, readonly file: string, doc: MainFile, private readonly notice: (text: string) => void) {
    const { dreamLog, dreams: inline, ...rest } = doc;
    this.log = inline ? null : dreamLog;
    if (inline) {
      this.list = inline;
      this.rewrite = inline.length > 0;
    }
    this.data = Object.defineProperty(rest as MainDoc, 'dreams', {
      enumerable: true,
      configurable: true,
      get: () => (this.list ??= this.readHistory()),
      set: (dreams: Dream[]) => {
        // Set without having been read: what the log holds is unknown here, so it is written anew.
        if (this.list === null && this.log) this.rewrite = true;
        this.list = dreams;
      },
    });
  }

  /** The log as the reverie.json on disk names it. */
  get committed(): DreamLogRef | null { return this.log; }
  /** Whether the dreams must go to a new log (a v4 document's inline dreams): the first writable open does it. */
  get movesInlineDreams(): boolean { return this.rewrite; }
  /** How many dreams there are, without reading them. */
  get dreamCount(): number { return this.list?.length ?? (this.log?.dreams ?? 0) + this.added.length; }

  /** The history's digest, without reading it when reverie.json keeps one. */
  get digest(): DreamDigest {
    const kept = this.log ? this.log.digest : NO_HISTORY;
    return this.list || !kept ? digestOf(this.data.dreams) : withNewDreams(kept, this.added);
  }

  /**
   * Records a new dream. With the history unread and its digest kept, the next write appends its line
   * without reading the others; else it joins the dreams read.
   */
  addDream(dream: Dream): void {
    if (this.list || (this.log && !this.log.digest)) this.data.dreams.push(dream);
    else this.added.push(dream);
  }

  /** The committed dreams, then those added since (a write appending them may be under way: it commits them after). */
  private readHistory(): Dream[] {
    const dreams = [...this.readLog(), ...this.added];
    this.added = [];
    return dreams;
  }

  private readLog(): Dream[] {
    if (!this.log) return [];
    const r = readDreams(path.join(this.dir, this.log.file), this.log.length);
    trace('store: dream history read');
    if (r.damage) {
      const lost = Math.max(0, this.log.dreams - r.dreams.length);
      this.notice(`The dream history is damaged (${r.damage}): ${r.dreams.length} dream(s) were read${lost ? `, about ${lost} could not be` : ''}. Lessons are not affected; the next change writes the dreams read to a new file, and the damaged one is kept while a backup names it.`);
      this.rewrite = true;
    } else for (const d of r.dreams) this.logged.set(d.id, freezeDeep(d));
    return r.dreams;
  }

  async read(): Promise<MainDoc | null> {
    throw new Error('The main document is loaded by Store.open, which validates and repairs it.');
  }

  /** Each lesson's text as last written: lessons are replaced, never changed in place (jsonPieces). */
  private readonly memo: JsonMemo = { arrays: new Set(['lessons']), texts: new WeakMap() };

  /** The write in progress: the next one starts after it (lowdb does not queue an adapter's writes). */
  private writing: Promise<void> = Promise.resolve();

  /**
   * Writes run one after another: two at once would both append from the same committed length, the
   * second cutting off the first one's lines before its reverie.json named them.
   */
  write(data: MainDoc): Promise<void> {
    const run = this.writing.then(() => this.writeNow(data));
    this.writing = run.catch(() => {});
    return run;
  }

  private async writeNow(data: MainDoc): Promise<void> {
    // Every field but the dreams, without reading them (a getter): unread, the log has nothing to add.
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(data)) if (key !== 'dreams') rest[key] = data[key as keyof MainDoc];
    const added = this.list ? [] : this.added.slice();
    const next = this.list ? this.appendDreams(this.list) : added.length ? this.appendAdded(added) : { log: this.log, logged: this.logged };
    const doc = { ...rest, dreamLog: next.log } as MainFile;
    await writeJsonDurable(this.file, doc, undefined, this.memo);
    // Committed: reverie.json names the lines just synced.
    this.log = next.log;
    this.logged = next.logged;
    if (added.length) {
      this.added = this.added.filter((d) => !added.includes(d));
      // The history was read meanwhile (it holds them, from `added`): they are logged lines now.
      if (this.list) for (const d of added) this.logged.set(d.id, d);
    }
    if (this.list) this.rewrite = false;
  }

  /**
   * Appends dreams added while the history was unread, and syncs them. They are new dreams (no line
   * of theirs is replaced), so no compaction is due; the digest follows them.
   */
  private appendAdded(dreams: Dream[]): { log: DreamLogRef; logged: Map<string, Dream> } {
    const log = this.log;
    const name = log?.file ?? this.newLogName();
    const length = this.appendLines(name, log?.length ?? 0, dreams);
    const digest = withNewDreams(log ? log.digest! : NO_HISTORY, dreams);
    return { log: { file: name, length, lines: (log?.lines ?? 0) + dreams.length, dreams: (log?.dreams ?? 0) + dreams.length, digest }, logged: this.logged };
  }

  /** A log file after every one there is (an older one may still be named by a backup). */
  private newLogName(): string {
    return dreamLogName(Math.max(0, ...listDreamLogs(this.dir)) + 1);
  }

  /** Appends one line per dream from `from` (bytes past it are cut off) and syncs; the new length. */
  private appendLines(name: string, from: number, dreams: Dream[]): number {
    const out = new LogAppender(path.join(this.dir, name), from);
    try {
      for (const d of dreams) out.append(dreamLine(freezeDeep(d)));
      return out.sync();
    } finally {
      out.close();
    }
  }

  /** Whether the dreams begin with the logged ones, in the log's order (only new ones may follow). */
  private inLoggedOrder(dreams: Dream[]): boolean {
    let i = 0;
    for (const id of this.logged.keys()) if (dreams[i++]?.id !== id) return false;
    return true;
  }

  /** Appends (or writes anew) what the log lacks and syncs it; reverie.json is not written yet. */
  private appendDreams(dreams: Dream[]): { log: DreamLogRef | null; logged: Map<string, Dream> } {
    if (!dreams.length) return { log: null, logged: new Map() };
    let anew = this.rewrite || !this.log || !this.inLoggedOrder(dreams);
    let lines = anew ? dreams : dreams.filter((d) => this.logged.get(d.id) !== d);
    // (A log named before digests were kept gets one now.)
    if (!lines.length) return { log: this.log && { ...this.log, digest: this.log.digest ?? digestOf(dreams) }, logged: this.logged };
    const log = this.log;
    if (!anew && log && compactionDue(log.lines + lines.length, dreams.length, log.length)) {
      anew = true;
      lines = dreams;
    }
    const name = anew || !log ? this.newLogName() : log.file;
    const length = this.appendLines(name, anew || !log ? 0 : log.length, lines);
    const logged = new Map(anew ? [] : this.logged);
    for (const d of lines) logged.set(d.id, d);
    return { log: { file: name, length, lines: (anew || !log ? 0 : log.lines) + lines.length, dreams: dreams.length, digest: digestOf(dreams) }, logged };
  }
}

/**
 * Writable open: removes dream logs that neither reverie.json nor any of its backups names (a
 * compaction's old file once its backups rotated out, or a new file a killed compaction left).
 */
export function removeUnusedDreamLogs(dir: string, mainFile: string, log: DreamLogRef | null): void {
  const present = listDreamLogs(dir).map(dreamLogName);
  if (present.length === 0 || (present.length === 1 && present[0] === log?.file)) return;
  const named = new Set(log ? [log.file] : []);
  for (const backup of listBackups(dir, path.basename(mainFile))) {
    try {
      const file = (JSON.parse(fs.readFileSync(backup, 'utf8')) as { dreamLog?: { file?: unknown } }).dreamLog?.file;
      if (typeof file === 'string') named.add(file);
    } catch {
      // an unreadable backup names nothing it could restore
    }
  }
  for (const name of present) if (!named.has(name)) fs.rmSync(path.join(dir, name), { force: true });
}
