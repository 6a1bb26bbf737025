// The session index in memory: the head (index.json: locations, tail, which sessions are not dreamt
// over, the log's name and committed length) is always loaded; the session summaries and the import
// ledger are read from the log only by what needs them (the session list and progress need the
// summaries, status and app.info three fields of each, an import the ledger, a dream neither).
// Changes are appended to the log as they happen and
// become part of the store when the head is written (Store.writeIndex), the commit point.
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerEntry, Session } from '../../../shared/model';
import { LogAppender, LogDamaged, compactionDue, ledgerLine, listLogs, logName, readLedger, readSummaries, readSummaryCounts, sessionLine, statsOf, type Counted, type SessionStats, type Summary } from './index-log';
import { SCHEMA_VERSION, type IndexDoc, type IndexLog } from './schema';
import type { Location } from './segments';

export interface SessionIndexHooks {
  /** Summaries as the session records say them (a damaged log's last resort). */
  rebuildSummaries: () => Session[];
  notice: (text: string) => void;
}

export class SessionIndex {
  readonly locations: Record<string, Location>;
  tail: { segment: number; length: number };
  legacyFiles: boolean;
  private log: IndexLog | null;
  private readonly undreamt: Set<string>;
  private readonly agentIds: Set<string>;
  private list: Session[] | null = null;
  private positions: Map<string, number> | null = null;
  private ledgerMap: Map<string, LedgerEntry> | null = null;
  /** What the counts need of each session, while the summaries themselves are not loaded (stats). */
  private counts: Map<string, Counted> | null = null;
  private out: LogAppender | null = null;
  /** Set when the log must be written anew at the next commit (inline parts, a damaged log, compaction due). */
  private rewrite = false;

  constructor(private readonly dir: string, doc: IndexDoc, private readonly readOnly: boolean, private readonly hooks: SessionIndexHooks) {
    this.locations = doc.locations;
    this.tail = doc.tail;
    this.legacyFiles = !!doc.legacyFiles;
    this.log = doc.log;
    this.undreamt = new Set(doc.undreamt);
    this.agentIds = new Set(doc.agents);
    if (doc.sessions) this.setList(doc.sessions.map((s) => ({ ...s, dreamt: !this.undreamt.has(s.id) })));
    if (doc.ledger) this.ledgerMap = new Map(Object.entries(doc.ledger));
    // Inline parts (a v3 index, a rebuilt one) or no log yet with sessions: written as a log at the next commit.
    if (doc.sessions || doc.ledger) this.rewrite = true;
  }

  private get logFile(): string | null { return this.log ? path.join(this.dir, this.log.file) : null; }
  /** How far the log holds lines, this writer's uncommitted appends included. */
  private get logLength(): number { return this.out ? this.out.flush() : this.log?.length ?? 0; }

  private setList(list: Session[]): void {
    this.list = list;
    this.counts = null; // the list answers for the counts now
    this.positions = new Map(list.map((s, i) => [s.id, i]));
  }

  /** Every session summary, read from the log on first use. */
  get sessions(): Session[] {
    if (!this.list) {
      let summaries: Summary[] = [];
      if (this.logFile) {
        try {
          summaries = readSummaries(this.logFile, this.logLength);
        } catch (err) {
          if (!(err instanceof LogDamaged)) throw err;
          this.hooks.notice(`The session index's log is damaged (${err.message}); the session list was rebuilt from the session records.`);
          summaries = this.hooks.rebuildSummaries();
          this.rewrite = true;
        }
      }
      this.setList(summaries.map((s) => ({ ...s, dreamt: !this.undreamt.has(s.id) })));
    }
    return this.list!;
  }

  /** Counts over every session (app.info, status): from the summaries when they are loaded, else streamed from the log without keeping them. */
  stats(): SessionStats {
    if (!this.list && !this.counts && this.logFile) {
      try {
        this.counts = readSummaryCounts(this.logFile, this.logLength);
      } catch (err) {
        if (!(err instanceof LogDamaged)) throw err; // the summaries' own reading says what is wrong and rebuilds them
      }
    }
    // Kept and updated with every change: the app asks for these counts at every refresh.
    return statsOf(this.list ?? this.counts?.values() ?? this.sessions);
  }

  /** Whether the summaries were read (an import or a dream into a large store should not need them). */
  get summariesLoaded(): boolean { return this.list !== null; }
  get ledgerLoaded(): boolean { return this.ledgerMap !== null; }

  /** The summaries as the head carried them inline (a v3 index, a rebuilt one), before any log. */
  inlineSessions(): Session[] | null { return this.log ? null : this.list; }

  /** Whether the session was dreamt over (the head's mark, not the session record's, which is as old as the record). */
  isDreamt(id: string): boolean { return !this.undreamt.has(id); }
  /** Every session's id, in the order the sessions came (without reading the summaries). */
  sessionIds(): string[] { return this.legacyFiles ? this.sessions.map((s) => s.id) : Object.keys(this.locations); }
  /** The sessions not dreamt over yet, in the same order (of `ids` when the caller has them already). */
  undreamtIds(ids = this.sessionIds()): string[] { return ids.filter((id) => this.undreamt.has(id)); }
  get undreamtCount(): number { return this.undreamt.size; }
  get agents(): ReadonlySet<string> { return this.agentIds; }

  /** Whether the index names the session. */
  has(id: string): boolean {
    return Object.hasOwn(this.locations, id) || !!this.positions?.has(id);
  }

  /** Adds or replaces a session's summary. */
  putSession(session: Session): void {
    if (this.inMemory()) void this.sessions;
    this.append(sessionLine(session));
    this.counts?.set(session.id, { eventCount: session.eventCount, startedAt: session.startedAt, agentId: session.agentId });
    if (session.dreamt) this.undreamt.delete(session.id);
    else this.undreamt.add(session.id);
    this.agentIds.add(session.agentId);
    if (this.list) {
      const at = this.positions!.get(session.id);
      if (at === undefined) this.positions!.set(session.id, this.list.push(session) - 1);
      else this.list[at] = session;
    }
  }

  /** Marks sessions as dreamt over (or back); returns the ids whose mark changed. */
  setDreamt(ids: Iterable<string>, dreamt: boolean): string[] {
    const changed: string[] = [];
    for (const id of ids) {
      if (!this.has(id) || this.undreamt.has(id) !== dreamt) continue;
      if (dreamt) this.undreamt.delete(id);
      else this.undreamt.add(id);
      changed.push(id);
      const at = this.positions?.get(id);
      if (at !== undefined) this.list![at]!.dreamt = dreamt;
    }
    return changed;
  }

  private get ledger(): Map<string, LedgerEntry> {
    if (!this.ledgerMap) {
      this.ledgerMap = new Map();
      if (this.logFile) {
        try {
          this.ledgerMap = readLedger(this.logFile, this.logLength);
        } catch (err) {
          if (!(err instanceof LogDamaged)) throw err;
          this.hooks.notice(`The session index's log is damaged (${err.message}); the import ledger was dropped, so the next import reads every file again (nothing is stored twice).`);
          this.rewrite = true;
        }
      }
    }
    return this.ledgerMap;
  }

  ledgerEntry(file: string): LedgerEntry | undefined { return this.ledger.get(file); }
  ledgerEntries(): IterableIterator<LedgerEntry> { return this.ledger.values(); }
  get ledgerSize(): number { return this.ledger.size; }

  setLedgerEntry(entry: LedgerEntry): void {
    this.ledger.set(entry.path, entry);
    this.append(ledgerLine(entry));
  }

  /**
   * Changes stay in memory only in a read-only view, and while the log is to be written whole at the
   * next commit (no log yet, inline parts, a damaged log): then both parts are held in memory.
   */
  private inMemory(): boolean {
    return this.readOnly || this.rewrite || !this.log;
  }

  private append(line: string): void {
    if (this.inMemory()) {
      if (!this.readOnly) {
        this.loadAll();
        this.rewrite = true;
      }
      return;
    }
    this.out ??= new LogAppender(this.logFile!, this.log!.length);
    this.out.append(line);
    this.log!.lines++;
  }

  /** Both parts in memory (a rewrite of the log needs them). */
  private loadAll(): void {
    void this.sessions;
    void this.ledger;
  }

  /**
   * Writable open: cuts off what an uncommitted writer appended to the log and removes log files the
   * head does not name (a compaction killed before its commit, or one whose old file a reader may
   * still have been reading when the writer closed).
   */
  openForWriting(): void {
    for (const n of listLogs(this.dir)) if (!this.log || logName(n) !== this.log.file) removeFile(path.join(this.dir, logName(n)));
    if (this.log && !this.rewrite) this.out = new LogAppender(this.logFile!, this.log.length);
  }

  /** Whether a compaction of the log is due (superseded lines outnumber live ones). */
  private dueForCompaction(live = this.liveCounts()): boolean {
    const l = this.log;
    if (!l) return false;
    return compactionDue(l.lines, live.sessions + live.ledger, l.length);
  }

  /** Live summaries and ledger entries: every session has a location; the ledger only changes once it is loaded. */
  private liveCounts(): { sessions: number; ledger: number } {
    return { sessions: this.list?.length ?? Object.keys(this.locations).length, ledger: this.ledgerMap?.size ?? this.log?.ledger ?? 0 };
  }

  /**
   * Makes the log durable and returns the head that commits it. When the log is to be written anew,
   * every live line goes to a new file (synced here); the old file is removed at the next writable open.
   */
  prepareCommit(): IndexDoc {
    // Counted once: at 100,000 sessions, counting the locations' keys costs ~50 ms each time.
    const live = this.log ? this.liveCounts() : null;
    if (live && this.dueForCompaction(live)) {
      this.loadAll();
      this.rewrite = true;
    }
    if (this.rewrite) {
      const next = Math.max(0, ...listLogs(this.dir)) + 1;
      this.out?.close();
      const out = new LogAppender(path.join(this.dir, logName(next)), 0);
      for (const s of this.sessions) out.append(sessionLine(s));
      for (const e of this.ledger.values()) out.append(ledgerLine(e));
      const lines = this.sessions.length + this.ledger.size;
      this.log = { file: logName(next), length: out.sync(), lines, sessions: this.sessions.length, ledger: this.ledger.size };
      this.out = out;
      this.rewrite = false;
    } else if (this.out) {
      this.log = { ...this.log!, length: this.out.sync(), ...(live ?? this.liveCounts()) };
    }
    return this.head();
  }

  /** The head as it stands (what a read-only copy or a test would write). */
  head(): IndexDoc {
    return {
      schemaVersion: SCHEMA_VERSION,
      locations: this.locations,
      tail: this.tail,
      undreamt: [...this.undreamt],
      agents: [...this.agentIds],
      log: this.log ? { ...this.log } : null,
      ...(this.legacyFiles ? { legacyFiles: true } : {}),
    };
  }

  /** Where every session's record is now (a compaction moved them, a conversion wrote them). */
  replaceLocations(locations: Record<string, Location>): void {
    for (const k of Object.keys(this.locations)) delete this.locations[k];
    Object.assign(this.locations, locations);
  }

  /** The summaries, locations and tail as the session records say them (an index that did not fit the segments); the ledger is kept. */
  resetFromRecords(rebuilt: IndexDoc): void {
    void this.ledger;
    this.replaceLocations(rebuilt.locations);
    this.tail = rebuilt.tail;
    this.undreamt.clear();
    for (const id of rebuilt.undreamt) this.undreamt.add(id);
    for (const id of rebuilt.agents) this.agentIds.add(id);
    this.setList((rebuilt.sessions ?? []).map((s) => ({ ...s, dreamt: !this.undreamt.has(s.id) })));
    this.rewrite = true;
  }

  close(): void {
    this.out?.close();
    this.out = null;
  }
}

function removeFile(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort: a leftover log is removed at the next open
  }
}
