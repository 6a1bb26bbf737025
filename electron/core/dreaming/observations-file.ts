// The observation index on disk (`<store>/patterns.json`). At 100,000 sessions the index holds
// about 100,000 keys, most of them seen in one session only: a key that recurs nowhere is never
// mined into a pattern, so its observations need not be parsed, validated or re-serialized at all.
// The file therefore has one line per key, its header (name, kind, how many sessions) apart from
// its observations; reading scans the file a megabyte at a time and keeps where each key's observations
// lie, reading them back from the file and parsing them the first time a dream touches the key
// (KeyEntry.per): the file is never in memory whole. A session line gives its agent, start and fork at
// once and its keys only when asked for (a session folded again). Writing copies the bytes of whatever
// nobody touched, runs of neighbouring lines as one piece, read back from the file a batch at a time.
//
// Format (version 3), one record per line, fields separated by tabs (JSON text never holds a raw
// tab or newline):
//   H  {"version":3,"agents":[…]}                         agent ids, referred to by position
//   K  <name as JSON>  <kind>  <sessions>  <observations as JSON: session id → observation, `a` a position in agents>
//   G  <name as JSON>  <sessions>                          a short step sequence, counted only
//   S  <session id as JSON>  {"a":…,"t":…,"k":[…],"g":[…],"f":…}   `k`: positions of its keys among the K lines, `g` among the G lines
//   P  <keys as JSON>  {"key":…,"state":{…},"wording":{…}}  a pattern kept for the next dream (pattern-memo.ts), read only
//                                                         by the build the H line's "memo" names
//   E  <sha1 of every byte before this line>              the end: a file cut short or altered is refused
// New keys and step sequences are written after the ones read, so the positions an untouched session
// line holds stay true and the line is copied as it was read, like an untouched key's.
// Version 2 (`k` positions among the K then G lines together) and version 1 (one JSON document, every
// name in full) are still read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignalKind } from '../../../shared/model';
import { readFullyAt, writeBatchesDurableSync, writeBatchesScratchSync } from '../store/files';
import { membersIn, type Member } from './observation-members';
import { attachMemo, keepsPatterns, memoLines, memoStamp } from './pattern-memo';
import { emptyIndex, INDEX_FILE, sessionCount, type KeyEntry, type Obs, type ObservationIndex, type ObservationList, type SessionEntry } from './observations';

const rebuild = (file: string, why: string) => new Error(`${file} ${why}; run \`reverie dream --full\` to rebuild it.`);

// In-place shape checks: zod builds a validated copy of every object it parses, and the index holds
// one object per key and session. They test what the zod schemas in observations.ts declare.
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const isStamp = (v: unknown) => v === null || typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const allOf = (record: unknown, check: (v: unknown) => boolean) => isRecord(record) && Object.values(record).every(check);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const KINDS = new Set<string>(SignalKind.options);
export const isObs = (r: unknown): r is Obs =>
  isRecord(r) && isStr(r.a) && isCount(r.n) && isStamp(r.t0) && isStamp(r.t1) && isStr(r.x) && isStr(r.e) && optStr(r.c) && optStr(r.f) && optStr(r.ex) && optStr(r.tool);
const isKeyEntry = (v: unknown) => isRecord(v) && isStr(v.kind) && KINDS.has(v.kind) && allOf(v.per, isObs);
const isSessionEntry = (v: unknown) => isRecord(v) && isStr(v.a) && isStamp(v.t) && optStr(v.f) && Array.isArray(v.keys) && v.keys.every(isStr);

/**
 * What the entries read from one file share: the file itself (an entry's bytes are read from it when
 * first needed, and an untouched line is copied from it: the file is never held in memory whole),
 * the agent table its lines refer to by position, and, for version 3, its names in file order (a
 * session line holds positions among them). Kept per index read (`reads`) for the writer.
 */
interface FileRead {
  file: string;
  /** The file as it was read: a later read refuses another file put in its place (dev, inode, size, mtime). */
  identity: string;
  version: number;
  agents: string[];
  keys: string[];
  grams: string[];
  /** Where each G line read starts and ends, and the count it holds, in file order (`grams`): one whose count did not change is copied. */
  gramAt: number[];
  gramEnd: number[];
  gramCount: number[];
  /** The build that kept the file's patterns (P lines), and where each body lies, by its keys as JSON. */
  memo: string | null;
  /** By keys JSON: where the body starts and ends, where the line starts. */
  memoAt: Map<string, [number, number, number]>;
}
const reads = new WeakMap<ObservationIndex, FileRead>();
const identityOf = (st: fs.Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

/**
 * The bytes of the file read between two offsets. The file is opened for each read rather than kept
 * open: a worker thread terminated mid-dream (a cancel) would leak a kept descriptor for the life of
 * the process, and a read costs ~8 µs more this way (a few thousand reads in a dream).
 */
function bytesAt(read: FileRead, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  if (!out.length) return out;
  let fd: number;
  try {
    fd = fs.openSync(read.file, 'r');
  } catch (err) {
    throw new Error(`${read.file} went away while its observation index was in use (${(err as Error).message}).`);
  }
  try {
    if (identityOf(fs.fstatSync(fd)) !== read.identity) throw new Error(`${read.file} was replaced while its observation index was in use; run the dream again.`);
    if (readFullyAt(fd, out, from) < out.length) throw rebuild(read.file, 'is cut short or was altered');
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

const schemaError = (file: string) => rebuild(file, 'does not match the observation index schema');
const damagedObservation = (file: string) => rebuild(file, 'holds a damaged observation');

/**
 * A key read from the file: its observations stay bytes of the file. Mining walks them a member at a
 * time (`observations()`, nothing kept); a fold that adds or drops a session keeps only that change
 * beside them (`put`, `drop`), and the writer copies the other members' bytes around it — a key that
 * recurs in thousands of sessions is never parsed whole by a dream. `per` (the whole record, parsed
 * once and kept) is for what needs it all: tests, the what-if preview, an older caller.
 * Offsets, not Buffer views: at 100,000 keys a view per line was a third of the reading time.
 */
class StoredKeyEntry implements KeyEntry, ObservationList {
  #parsed: Record<string, Obs> | null = null;
  #changed = false;
  /** Sessions put since the key was read, and sessions of the file's dropped (while `#parsed` is null). */
  #added: Map<string, Obs> | null = null;
  #removed: Set<string> | null = null;
  private readonly storedKind: string;

  constructor(
    public kind: KeyEntry['kind'],
    readonly storedCount: number,
    readonly read: FileRead,
    /** Where its line starts, where its observations start, where the line ends (past its newline). */
    private readonly at: number,
    private readonly obsAt: number,
    private readonly end: number,
  ) {
    this.storedKind = kind;
  }

  get per(): Record<string, Obs> {
    if (!this.#parsed) {
      const per = this.#parse();
      for (const sid of this.#removed ?? []) delete per[sid];
      for (const [sid, o] of this.#added ?? []) per[sid] = o;
      if (this.#added || this.#removed) this.#changed = true;
      this.#added = this.#removed = null;
      this.#parsed = per;
    }
    return this.#parsed;
  }

  set per(v: Record<string, Obs>) {
    this.#parsed = v;
    this.#added = this.#removed = null;
    this.#changed = true;
  }

  #parse(): Record<string, Obs> {
    const { agents, file } = this.read;
    let per: unknown;
    const text = bytesAt(this.read, this.obsAt, this.end - 1).toString('utf8');
    try {
      per = JSON.parse(text);
    } catch {
      throw damagedObservation(file);
    }
    if (isRecord(per)) for (const o of Object.values(per)) if (isRecord(o) && typeof o.a === 'number') o.a = agents[o.a];
    if (!allOf(per, isObs)) throw schemaError(file);
    return per as Record<string, Obs>;
  }

  /** Where the members of its line lie in the file, read a megabyte at a time. */
  members(withJson = false): Generator<Member> {
    return membersIn((from, to) => bytesAt(this.read, from, to), this.obsAt, this.end - 1, () => damagedObservation(this.read.file), withJson);
  }

  *observations(): Iterable<[string, Obs]> {
    if (this.#parsed) {
      yield* Object.entries(this.#parsed);
      return;
    }
    const { agents, file } = this.read;
    for (const { sid, json } of this.members(true)) {
      if (this.#removed?.has(sid) || this.#added?.has(sid)) continue;
      let o: unknown;
      try {
        o = JSON.parse(json);
      } catch {
        throw damagedObservation(file);
      }
      if (isRecord(o) && typeof o.a === 'number') o.a = agents[o.a];
      if (!isObs(o)) throw schemaError(file);
      yield [sid, o as Obs];
    }
    if (this.#added) yield* this.#added;
  }

  putSince(sessionId: string): Obs | undefined {
    return this.#parsed ? this.#parsed[sessionId] : this.#added?.get(sessionId);
  }

  put(sessionId: string, o: Obs): void {
    if (!this.#parsed) {
      (this.#added ??= new Map()).set(sessionId, o);
      return;
    }
    this.#parsed[sessionId] = o;
    this.#changed = true;
  }

  /** A dropped session was in the file (the index lists the keys each session is in) or put since. */
  drop(sessionId: string): void {
    if (!this.#parsed) {
      if (!this.#added?.delete(sessionId)) (this.#removed ??= new Set()).add(sessionId);
      return;
    }
    delete this.#parsed[sessionId];
    this.#changed = true;
  }

  /** Observations the file read does not hold (their agents are names, not positions in its table). */
  ownObservations(): Iterable<Obs> {
    return this.#parsed ? (this.#changed ? Object.values(this.#parsed) : []) : (this.#added?.values() ?? []);
  }

  /** The file's members to keep and what was put since, when the key changed without being parsed whole (else null). */
  get changes(): { removed: Set<string>; added: Map<string, Obs> } | null {
    return this.#parsed || !(this.#added || this.#removed) ? null : { removed: this.#removed ?? new Set(), added: this.#added ?? new Map() };
  }

  /** A plain copy (what tests compare and JSON shows): the getter lives on the prototype. */
  toJSON(): KeyEntry { return { kind: this.kind, per: this.per }; }

  /** How many sessions showed the key, without parsing what they showed. */
  get sessionCount(): number {
    if (this.#parsed) return this.#changed ? Object.keys(this.#parsed).length : this.storedCount;
    return this.storedCount - (this.#removed?.size ?? 0) + (this.#added?.size ?? 0);
  }
  /** Whether its observations are still the ones read (their agents are then in the table read). */
  get untouched(): boolean { return !this.#changed && !this.#added && !this.#removed; }
  /** Where its members lie in the file read: inside the braces of its observations. */
  get membersRange(): [number, number] { return [this.obsAt + 1, this.end - 2]; }
  /** Where the key's whole line lies in the file read, while nothing has changed it. */
  untouchedLine(kind: string): [number, number] | null { return !this.untouched || kind !== this.storedKind ? null : [this.at, this.end]; }
}

/**
 * A version-3 session line: agent, start and fork read at once (a dream's decay counts them for
 * every session), its keys only when asked for (a session folded again), from their positions.
 */
class StoredSession {
  /** What it was forked from (an own property even when there is none: toJSON leaves it out then). */
  f?: string;
  #keys: string[] | null = null;

  constructor(
    public a: string,
    public t: string | null,
    f: string | undefined,
    private readonly read: FileRead,
    /** Where the line lies in the file read (copied while the positions it holds still hold). */
    readonly at: number,
    readonly end: number,
    /**
     * Its positions among the K lines and among the G lines: where their text lies in the file (numbers,
     * not arrays: 100,000 of these stay in memory), or as parsed from a line in another shape.
     */
    private readonly kAt: number,
    private readonly kEnd: number,
    private readonly gAt: number,
    private readonly gEnd: number,
    private readonly parsed?: { k: unknown; g: unknown },
  ) {
    this.f = f;
  }

  get keys(): string[] {
    return (this.#keys ??= this.#resolve());
  }

  set keys(v: string[]) {
    this.#keys = v;
    this.#changed = true;
  }

  #changed = false;
  /** Whether its keys are still the ones its line holds (read or not). */
  get untouched(): boolean { return !this.#changed; }

  #resolve(): string[] {
    const { keys: keyNames, grams: gramNames, file } = this.read;
    const list = (at: unknown[], among: string[]) => at.map((i) => { const name = among[i as number]; if (name === undefined) throw schemaError(file); return name; });
    const asList = (v: unknown) => (Array.isArray(v) ? v : []);
    // Both lists in one read: the step sequences' follow the keys' on the line.
    const from = this.kAt;
    const bytes = this.parsed ? null : bytesAt(this.read, from, Math.max(this.kEnd, this.gEnd));
    const k = bytes ? numbersIn(bytes, 0, this.kEnd - from) : asList(this.parsed!.k);
    const g = bytes ? numbersIn(bytes, this.gAt < 0 ? -1 : this.gAt - from, this.gEnd - from) : asList(this.parsed!.g);
    // A session's keys are kept sorted (fold), and each list is written in that order: its keys and
    // step sequences come apart, and only a session that has both needs a merge.
    const steps = list(g, gramNames);
    return steps.length ? [...list(k, keyNames), ...steps].sort() : list(k, keyNames);
  }

  toJSON() { return { a: this.a, t: this.t, keys: this.keys, ...(this.f ? { f: this.f } : {}) }; }
}

/** The comma-separated numbers in `buf` between two offsets (the inside of a `[…]`; none when `from` is -1). */
function numbersIn(buf: Buffer, from: number, to: number): number[] {
  const out: number[] = [];
  let n = -1;
  for (let i = from; from >= 0 && i < to; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) n = (n < 0 ? 0 : n * 10) + c - 48;
    else if (c === 44 && n >= 0) out.push(n), (n = -1);
    else return [-1]; // not a position: refused when resolved
  }
  if (n >= 0) out.push(n);
  return out;
}

/** What scanSession read from its last line (one object for every line: nothing of it is kept). */
const scanned = { a: 0, t: null as string | null, f: undefined as string | undefined, kAt: 0, kEnd: 0, gAt: -1, gEnd: -1 };

/**
 * Reads a session line's entry as this writer writes it, `{"a":N,"t":…,"k":[…],"g":[…],"f":…}`,
 * without the JSON parser (100,000 of them per dream at a year of logs), into `scanned`; false for
 * any other shape (the caller then parses it as JSON). Plain functions over one cursor (`sp`), not
 * closures made per line: this runs for every session of every dream's first read.
 */
function scanSession(buf: Buffer, p: number, end: number): boolean {
  sp = p;
  if (!expectAt(buf, '{"a":')) return false;
  let a = -1;
  while (buf[sp]! >= 48 && buf[sp]! <= 57) a = (a < 0 ? 0 : a * 10) + buf[sp++]! - 48;
  if (a < 0 || !expectAt(buf, ',"t":')) return false;
  const t = plainStringAt(buf, end);
  if (t === undefined || !expectAt(buf, ',"k":[')) return false;
  const kAt = arrayAt(buf, end);
  if (kAt < 0) return false;
  const kEnd = sp - 1;
  let gAt = -1, gEnd = -1;
  if (expectAt(buf, ',"g":[')) {
    if ((gAt = arrayAt(buf, end)) < 0) return false;
    gEnd = sp - 1;
  }
  let f: string | undefined;
  if (expectAt(buf, ',"f":')) { const s = plainStringAt(buf, end); if (typeof s !== 'string') return false; f = s; }
  if (!expectAt(buf, '}') || sp !== end) return false;
  scanned.a = a, scanned.t = t, scanned.f = f, scanned.kAt = kAt, scanned.kEnd = kEnd, scanned.gAt = gAt, scanned.gEnd = gEnd;
  return true;
}

/** scanSession's cursor. */
let sp = 0;
/** Whether `text` (ASCII) is at the cursor; moves past it if so. */
function expectAt(buf: Buffer, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[sp + i] !== text.charCodeAt(i)) return false;
  sp += text.length;
  return true;
}
/** A JSON string without escapes, or null, at the cursor; undefined when it is neither. */
function plainStringAt(buf: Buffer, end: number): string | null | undefined {
  if (expectAt(buf, 'null')) return null;
  if (buf[sp] !== 34) return undefined;
  let close = sp + 1;
  while (close < end && buf[close] !== 34) if (buf[close++] === 92) return undefined;
  if (close >= end) return undefined;
  const s = buf.toString('utf8', sp + 1, close);
  sp = close + 1;
  return s;
}
/** The inside of a `[…]` just opened at the cursor: where it starts, the cursor past its `]`; -1 when it does not close. */
function arrayAt(buf: Buffer, end: number): number {
  let close = sp;
  while (close < end && buf[close] !== 93) close++;
  if (close >= end) return -1;
  const from = sp;
  sp = close + 1;
  return from;
}

/**
 * Whether the store's index file is still the one `index` was read from (a missing one still
 * missing): an index read ahead of a dream, before the writer lock was held, is used only then.
 */
export function indexStillCurrent(index: ObservationIndex, storeDir: string): boolean {
  const file = path.join(storeDir, INDEX_FILE);
  const read = reads.get(index);
  let st: fs.Stats | null;
  try {
    st = fs.statSync(file);
  } catch {
    st = null;
  }
  return read ? !!st && read.file === file && identityOf(st) === read.identity : !st && index.sessions.size === 0 && index.keys.size === 0;
}

/** Reads the index; a missing file is an empty index, a damaged one an error naming the file. */
export function loadIndex(storeDir: string): ObservationIndex {
  const file = path.join(storeDir, INDEX_FILE);
  return fs.existsSync(file) ? readIndexFile(file) : emptyIndex();
}

export function readIndexFile(file: string): ObservationIndex {
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    const first = Buffer.alloc(1);
    fs.readSync(fd, first, 0, 1, 0);
    return first[0] === 0x7b /* { */ ? readVersion1(file, fs.readFileSync(fd).toString('utf8')) : readLineFormat(file, fd, st);
  } finally {
    fs.closeSync(fd);
  }
}

/** How much of the file is read at a time: its lines are scanned in place, a run of whole lines at once. */
const CHUNK = 1 << 20;

/**
 * Reads the file's first `limit` bytes a megabyte at a time and hands on each run of whole lines
 * (`buf` between two offsets, `base` where `buf` starts in the file). `buf` is reused: nothing may
 * keep it. A line longer than the buffer grows it.
 */
function eachLineRun(file: string, fd: number, limit: number, each: (buf: Buffer, from: number, to: number, base: number) => void): void {
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, limit)));
  let base = 0;
  let filled = 0;
  while (base + filled < limit) {
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const got = fs.readSync(fd, buf, filled, Math.min(buf.length - filled, limit - base - filled), base + filled);
    if (got === 0) throw rebuild(file, 'is cut short or was altered (shorter than its checksum line says)');
    filled += got;
    const last = buf.lastIndexOf(10, filled - 1);
    if (last < 0) continue;
    each(buf, 0, last + 1, base);
    buf.copy(buf, 0, last + 1, filled);
    base += last + 1;
    filled -= last + 1;
  }
}

/**
 * A name or id written as a JSON string between two offsets: most hold no escape, and are read as the
 * bytes inside the quotes, one string made (150,000 per read); the JSON parser reads the others.
 */
function jsonStringAt(buf: Buffer, from: number, to: number, file: string): string {
  if (to - from >= 2 && buf[from] === 34 && buf[to - 1] === 34) {
    const inside = buf.toString('utf8', from + 1, to - 1);
    if (!inside.includes('\\')) return inside;
  }
  let name: unknown;
  try {
    name = JSON.parse(buf.toString('utf8', from, to));
  } catch {
    name = undefined;
  }
  if (typeof name !== 'string') throw schemaError(file);
  return name;
}

/** The signal kind whose name the bytes between two offsets spell, if any. */
const KIND_BYTES = SignalKind.options.map((k) => [k, Buffer.from(k)] as const);
function kindAt(buf: Buffer, from: number, to: number): KeyEntry['kind'] | undefined {
  for (const [kind, bytes] of KIND_BYTES) if (to - from === bytes.length && buf.compare(bytes, 0, bytes.length, from, to) === 0) return kind;
  return undefined;
}

/** The positive whole number the bytes between two offsets spell (digits only), or 0. */
function countAt(buf: Buffer, from: number, to: number): number {
  let n = 0;
  if (to <= from || to - from > 15) return 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return 0;
    n = n * 10 + c - 48;
  }
  return n;
}

/**
 * Versions 2 and 3: one record per line (the format above), read from `fd` a run of lines at a time;
 * the entries keep where their bytes are in the file.
 */
function readLineFormat(file: string, fd: number, st: fs.Stats): ObservationIndex {
  const size = st.size;
  // The end line holds the checksum of every byte before it: found first, checked once all is read.
  const tailAt = Math.max(0, size - 128);
  const tail = Buffer.alloc(size - tailAt);
  readFullyAt(fd, tail, tailAt);
  const e = tail.lastIndexOf('\nE\t', tail.length - 2);
  const cutShort = () => rebuild(file, 'is cut short or was altered (its checksum does not match)');
  if (e < 0) throw cutShort();
  const sum = tail.toString('latin1', e + 3).trim();
  const index = emptyIndex();
  /** Version 2: key and step-sequence names together, in file order. */
  const names: string[] = [];
  const read: FileRead = { file, identity: identityOf(st), version: 2, agents: [], keys: [], grams: [], gramAt: [], gramEnd: [], gramCount: [], memo: null, memoAt: new Map() };
  const hash = createHash('sha1');
  // A damaged line met on the way is reported only if the checksum holds (else the file was cut or altered).
  let failed: unknown = null;
  eachLineRun(file, fd, tailAt + e + 1, (buf, from, to, base) => {
    hash.update(buf.subarray(from, to));
    if (failed === null) {
      try {
        readLines(buf, from, to, base);
      } catch (err) {
        failed = err;
      }
    }
  });
  if (hash.digest('hex') !== sum) throw cutShort();
  if (failed !== null) throw failed;
  reads.set(index, read);
  // Patterns kept by the build running now are read back on demand (pattern-memo.ts); others are ignored.
  if (read.memo && read.memo === memoStamp() && read.memoAt.size)
    attachMemo(index, (keys) => {
      const at = read.memoAt.get(keys);
      return at ? { body: bytesAt(read, at[0], at[1]).toString('utf8'), line: [at[2], at[1] + 1] } : undefined;
    });
  return index;

  /** The lines in `buf` between two offsets; `base` turns an offset in `buf` into one in the file. */
  function readLines(buf: Buffer, from: number, to: number, base: number): void {
    for (let at = from; at < to; ) {
      const nl = buf.indexOf(10, at);
      const tag = buf[at];
      if (tag === 0x48 /* H */) {
        const h = JSON.parse(buf.toString('utf8', at + 2, nl)) as { agents: string[]; version: number; memo?: string };
        ({ agents: read.agents, version: read.version } = h);
        read.memo = typeof h.memo === 'string' ? h.memo : null;
      } else if (tag === 0x50 /* P */) {
        // A kept pattern: its keys as JSON, then its body, read when a dream asks for it.
        const tab = buf.indexOf(9, at + 2);
        if (tab < 0 || tab > nl) throw schemaError(file);
        read.memoAt.set(buf.toString('utf8', at + 2, tab), [base + tab + 1, base + nl, base + at]);
      }
      else if (tag === 0x4b /* K */) {
        // Name, kind, count, observations: the kind and count read from the bytes, no string made for them.
        const t1 = buf.indexOf(9, at + 2), t2 = buf.indexOf(9, t1 + 1), t3 = buf.indexOf(9, t2 + 1);
        if (t1 < 0 || t2 < 0 || t3 < 0 || t3 > nl) throw schemaError(file);
        const key = jsonStringAt(buf, at + 2, t1, file);
        const kind = kindAt(buf, t1 + 1, t2);
        const count = countAt(buf, t2 + 1, t3);
        if (!kind || !count) throw schemaError(file);
        index.keys.set(key, new StoredKeyEntry(kind, count, read, base + at, base + t3 + 1, base + nl + 1));
        if (read.version < 3) names.push(key);
        read.keys.push(key);
      } else if (tag === 0x47 /* G */) {
        const tab = buf.indexOf(9, at + 2);
        if (tab < 0 || tab > nl) throw schemaError(file);
        const key = jsonStringAt(buf, at + 2, tab, file);
        const count = countAt(buf, tab + 1, nl);
        if (!count) throw schemaError(file);
        index.grams.set(key, count);
        read.gramAt.push(base + at), read.gramEnd.push(base + nl + 1), read.gramCount.push(count);
        if (read.version < 3) names.push(key);
        read.grams.push(key);
      } else if (tag === 0x53 /* S */) {
        const tab = buf.indexOf(9, at + 2);
        if (tab < 0 || tab > nl) throw schemaError(file);
        const id = jsonStringAt(buf, at + 2, tab, file);
        if (read.version >= 3) {
          let session: StoredSession;
          if (scanSession(buf, tab + 1, nl)) {
            const { a, t, f, kAt, kEnd, gAt, gEnd } = scanned;
            session = new StoredSession(read.agents[a]!, t, f, read, base + at, base + nl + 1, base + kAt, base + kEnd, gAt < 0 ? -1 : base + gAt, gAt < 0 ? -1 : base + gEnd);
          } else {
            // Not the shape this writer writes (a hand-edited or older line): the JSON parser reads it.
            const e = JSON.parse(buf.toString('utf8', tab + 1, nl)) as { a: number; t: string | null; k: unknown; g?: unknown; f?: string };
            session = new StoredSession(read.agents[e.a]!, e.t, e.f, read, base + at, base + nl + 1, -1, -1, -1, -1, { k: e.k, g: e.g });
          }
          if (!isStr(session.a) || !isStamp(session.t) || !optStr(session.f)) throw schemaError(file);
          index.sessions.set(id, session);
        } else {
          const e = JSON.parse(buf.toString('utf8', tab + 1, nl)) as { a: number; t: string | null; k: number[]; f?: string };
          const keys = Array.isArray(e.k) ? e.k.map((i) => names[i]!) : [];
          const session = { a: read.agents[e.a]!, t: e.t, keys, ...(e.f ? { f: e.f } : {}) };
          if (!isSessionEntry(session)) throw schemaError(file);
          index.sessions.set(id, session);
        }
      }
      at = nl + 1;
    }
  }
}

/** Version 1: one JSON document. */
function readVersion1(file: string, text: string): ObservationIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw rebuild(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (isRecord(raw) && raw.version === 1) raw.grams ??= {};
  const ok = isRecord(raw) && raw.version === 1 && allOf(raw.sessions, isSessionEntry) && allOf(raw.keys, isKeyEntry) && allOf(raw.grams, isCount);
  if (!ok) throw rebuild(file, 'does not match the observation index schema');
  const doc = raw as { sessions: Record<string, SessionEntry>; keys: Record<string, KeyEntry>; grams: Record<string, number> };
  return { version: 1, sessions: new Map(Object.entries(doc.sessions)), keys: new Map(Object.entries(doc.keys)), grams: new Map(Object.entries(doc.grams)) };
}

/**
 * Writes the index to `file` durably (temp file, fsync, rename, folder fsync: store/files.ts) in
 * batches of about a megabyte, so its text is never one string as large as the index.
 */
export function writeIndexFile(file: string, index: ObservationIndex): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeBatchesDurableSync(file, indexBatches(index));
}

/** The same bytes as scratch: no temp file, no sync (observations-spill.ts). */
export function writeIndexScratch(file: string, index: ObservationIndex): void {
  writeBatchesScratchSync(file, indexBatches(index));
}

/**
 * One observation as JSON, its agent as a position in the table: built field by field rather than by
 * JSON.stringify of a copy, as a key that recurs in thousands of sessions is written again whenever
 * one of them is folded in (in the order fold creates the fields; the reader takes any order).
 */
function observationJson(o: Obs, agentOf: (a: string) => number): string {
  const opt = (name: string, v: string | undefined) => (v === undefined ? '' : `,"${name}":${JSON.stringify(v)}`);
  return `{"a":${agentOf(o.a)},"n":${o.n},"t0":${JSON.stringify(o.t0)},"t1":${JSON.stringify(o.t1)},"x":${JSON.stringify(o.x)},"e":${JSON.stringify(o.e)}${opt('ex', o.ex)}${opt('c', o.c)}${opt('f', o.f)}${opt('tool', o.tool)}}`;
}

/** The file's bytes in batches, the checksum line last. */
function* indexBatches(index: ObservationIndex): Generator<Buffer> {
  const read = reads.get(index);
  // Untouched observations name agents by their position in the table they were read with: it is kept, extended.
  const agents = new Map((read?.agents ?? []).map((a, i) => [a, i]));
  const agentOf = (a: string) => agents.get(a) ?? agents.set(a, agents.size).get(a)!;
  const hash = createHash('sha1');
  // Pieces are gathered and handed on about a megabyte at a time; untouched lines go as the bytes
  // they were read as, neighbours in the file read as one piece (most of the file, at 100,000 sessions).
  let pieces: Buffer[] = [];
  let size = 0;
  let text = '';
  /** A stretch of the file read still being extended by the next untouched line. */
  let run: [number, number] | null = null;
  const endRun = () => { if (run) pieces.push(bytesAt(read!, run[0], run[1])), (run = null); };
  const endText = () => { if (text) pieces.push(Buffer.from(text, 'utf8')), (size += text.length), (text = ''); };
  const batch = () => { endRun(); endText(); const b = Buffer.concat(pieces); hash.update(b); pieces = []; size = 0; return b; };
  const full = () => size + text.length >= 1 << 20;
  const put = (s: string) => { endRun(); text += s; };
  const copy = (at: number, end: number) => {
    endText();
    if (run && run[1] === at) run[1] = end;
    else endRun(), (run = [at, end]);
    size += end - at;
  };
  /** A stretch of the file read, handed on a megabyte at a time (a key recurring in every session has a line of tens of megabytes). */
  function* copyInPieces(at: number, end: number) {
    for (let p = at; p < end; p = Math.min(end, p + (1 << 20))) {
      copy(p, Math.min(end, p + (1 << 20)));
      if (full()) yield batch();
    }
  }
  const keyNames = [...index.keys.keys()];
  const gramNames = [...index.grams.keys()];
  // Session lines as read are copied when the positions they hold still hold: every key and step
  // sequence read is still there, in the same order, ahead of any new one.
  const sameStart = (now: string[], before: string[]) => now.length >= before.length && before.every((n, i) => now[i] === n);
  const gramsInPlace = !!read && sameStart(gramNames, read.grams);
  const keepsPositions = !!read && read.version >= 3 && sameStart(keyNames, read.keys) && gramsInPlace;
  const copied = (e: SessionEntry): e is StoredSession => keepsPositions && e instanceof StoredSession && e.untouched;
  // The agent table comes first: complete it before writing anything (untouched keys and sessions are in it already).
  for (const e of index.keys.values()) for (const o of e instanceof StoredKeyEntry ? e.ownObservations() : Object.values(e.per)) agentOf(o.a);
  for (const e of index.sessions.values()) if (!copied(e)) agentOf(e.a);
  // Patterns kept for the next dream go last (P lines), under the name of the build that mined them.
  const stamp = memoStamp();
  const memo = stamp && keepsPatterns(index);
  put(`H\t${JSON.stringify({ version: 3, agents: [...agents.keys()], ...(memo ? { memo: stamp } : {}) })}\n`);
  // A line nobody touched is copied as it was read: at 100,000 sessions that is most keys and grams.
  for (const [k, e] of index.keys) {
    const line = e instanceof StoredKeyEntry ? e.untouchedLine(e.kind) : null;
    const changes = e instanceof StoredKeyEntry && e.read === read ? e.changes : null;
    if (line) yield* copyInPieces(line[0], line[1]);
    else if (changes) {
      // Changed without being parsed: the members still there are copied (neighbours as one piece), then the ones put since.
      put(`K\t${JSON.stringify(k)}\t${e.kind}\t${sessionCount(e)}\t{`);
      let first = true;
      let kept: [number, number] | null = null;
      function* endKept() {
        if (!kept) return;
        if (!first) put(',');
        yield* copyInPieces(kept[0], kept[1]);
        first = false;
        kept = null;
      }
      if (!changes.removed.size) {
        // Sessions only added (new ones: a session folded again was dropped first): every member read
        // stays, copied as one stretch without being walked — a key of 10,000 sessions gains a few each dream.
        const [from, to] = (e as StoredKeyEntry).membersRange;
        if (to > from) kept = [from, to];
      } else
        for (const m of (e as StoredKeyEntry).members()) {
          if (changes.removed.has(m.sid) || changes.added.has(m.sid)) yield* endKept();
          else if (kept) kept[1] = m.end;
          else kept = [m.at, m.end];
        }
      yield* endKept();
      for (const [sid, o] of changes.added) {
        put(`${first ? '' : ','}${JSON.stringify(sid)}:${observationJson(o, agentOf)}`);
        first = false;
        if (full()) yield batch();
      }
      put('}\n');
    } else {
      put(`K\t${JSON.stringify(k)}\t${e.kind}\t${sessionCount(e)}\t`);
      let obs = '';
      for (const sid in e.per) obs += `${obs ? ',' : ''}${JSON.stringify(sid)}:${observationJson(e.per[sid]!, agentOf)}`;
      put(`{${obs}}\n`);
    }
    if (full()) yield batch();
  }
  // The step sequences read keep their places while none of them went: a line is copied when its count did not change.
  let g = 0;
  for (const [k, n] of index.grams) {
    if (gramsInPlace && g < read!.gramAt.length && read!.gramCount[g] === n) copy(read!.gramAt[g]!, read!.gramEnd[g]!);
    else put(`G\t${JSON.stringify(k)}\t${n}\n`);
    g++;
    if (full()) yield batch();
  }
  // Where each key and step sequence is written, for the session lines written anew (only asked
  // for when one is: at 100,000 sessions, building these maps costs more than copying the lines).
  let positions: { keys: Map<string, number>; grams: Map<string, number> } | null = null;
  const positionsOf = () => (positions ??= { keys: new Map(keyNames.map((k, i) => [k, i])), grams: new Map(gramNames.map((k, i) => [k, i])) });
  for (const [id, e] of index.sessions) {
    if (copied(e)) copy(e.at, e.end);
    else {
      const { keys: keyAt, grams: gramAt } = positionsOf();
      let keys = '';
      let steps = '';
      for (const k of e.keys) {
        const at = keyAt.get(k);
        if (at !== undefined) keys += keys ? `,${at}` : `${at}`;
        else {
          const g = gramAt.get(k);
          if (g !== undefined) steps += steps ? `,${g}` : `${g}`;
        }
      }
      // Built by hand rather than by JSON.stringify of a fresh object: there are 100,000 of these at a year of logs.
      put(`S\t${JSON.stringify(id)}\t{"a":${agentOf(e.a)},"t":${JSON.stringify(e.t)},"k":[${keys}]${steps ? `,"g":[${steps}]` : ''}${e.f ? `,"f":${JSON.stringify(e.f)}` : ''}}\n`);
    }
    if (full()) yield batch();
  }
  if (memo)
    for (const line of memoLines(index)) {
      // An entry read and kept unchanged is copied as it was read; the others are made one at a time.
      if ('copy' in line) copy(line.copy[0], line.copy[1]);
      else put(`P\t${line.keys}\t${line.body}\n`);
      if (full()) yield batch();
    }
  yield batch();
  yield Buffer.from(`E\t${hash.digest('hex')}\n`);
}
