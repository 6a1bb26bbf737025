// The observation index on disk (`<store>/patterns.json`). At 100,000 sessions the index holds
// about 100,000 keys, most of them seen in one session only: a key that recurs nowhere is never
// mined into a pattern, so its observations need not be parsed, validated or re-serialized at all.
// The file therefore has one line per key, its header (name, kind, how many sessions) apart from
// its observations; reading keeps the observations as the file's bytes and parses them the first
// time a dream touches the key (KeyEntry.per); a session line gives its agent, start and fork at once
// and its keys only when asked for (a session folded again). Writing copies the bytes of whatever
// nobody touched, runs of neighbouring lines as one piece.
//
// Format (version 3), one record per line, fields separated by tabs (JSON text never holds a raw
// tab or newline):
//   H  {"version":3,"agents":[…]}                         agent ids, referred to by position
//   K  <name as JSON>  <kind>  <sessions>  <observations as JSON: session id → observation, `a` a position in agents>
//   G  <name as JSON>  <sessions>                          a short step sequence, counted only
//   S  <session id as JSON>  {"a":…,"t":…,"k":[…],"g":[…],"f":…}   `k`: positions of its keys among the K lines, `g` among the G lines
//   E  <sha1 of every byte before this line>              the end: a file cut short or altered is refused
// New keys and step sequences are written after the ones read, so the positions an untouched session
// line holds stay true and the line is copied as it was read, like an untouched key's.
// Version 2 (`k` positions among the K then G lines together) and version 1 (one JSON document, every
// name in full) are still read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignalKind } from '../../../shared/model';
import { writeBatchesDurableSync } from '../store/files';
import { emptyIndex, INDEX_FILE, type KeyEntry, type Obs, type ObservationIndex, type SessionEntry } from './observations';

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
const isObs = (r: unknown) =>
  isRecord(r) && isStr(r.a) && isCount(r.n) && isStamp(r.t0) && isStamp(r.t1) && isStr(r.x) && isStr(r.e) && optStr(r.c) && optStr(r.f) && optStr(r.ex) && optStr(r.tool);
const isKeyEntry = (v: unknown) => isRecord(v) && isStr(v.kind) && KINDS.has(v.kind) && allOf(v.per, isObs);
const isSessionEntry = (v: unknown) => isRecord(v) && isStr(v.a) && isStamp(v.t) && optStr(v.f) && Array.isArray(v.keys) && v.keys.every(isStr);

/**
 * What the entries read from one file share: its bytes (an untouched line is copied from them), the
 * agent table its lines refer to by position, and, for version 3, its names in file order (a session
 * line holds positions among them). Kept per index read (`reads`) for the writer.
 */
interface FileRead {
  file: string;
  buf: Buffer;
  version: number;
  agents: string[];
  keys: string[];
  grams: string[];
  /** Where each G line read starts, in file order (`grams`): one whose count did not change is copied. */
  gramAt: number[];
}
const reads = new WeakMap<ObservationIndex, FileRead>();
const schemaError = (file: string) => rebuild(file, 'does not match the observation index schema');

/**
 * A key read from the file: its observations stay bytes of the file until first used (`per`).
 * Offsets, not Buffer views: at 100,000 keys a view per line was a third of the reading time.
 * Read is not changed: a key mining only read is written back as its line; whoever changes the
 * observations assigns them back (`entry.per = per`, as fold does), which marks the key changed.
 */
class StoredKeyEntry implements KeyEntry {
  #parsed: Record<string, Obs> | null = null;
  #changed = false;
  private readonly storedKind: string;

  constructor(
    public kind: KeyEntry['kind'],
    readonly storedCount: number,
    private readonly read: FileRead,
    /** Where its line starts, where its observations start, where the line ends (past its newline). */
    private readonly at: number,
    private readonly obsAt: number,
    private readonly end: number,
  ) {
    this.storedKind = kind;
  }

  get per(): Record<string, Obs> {
    return (this.#parsed ??= this.#parse());
  }

  set per(v: Record<string, Obs>) {
    this.#parsed = v;
    this.#changed = true;
  }

  #parse(): Record<string, Obs> {
    const { agents, file, buf } = this.read;
    let per: unknown;
    try {
      per = JSON.parse(buf.toString('utf8', this.obsAt, this.end - 1));
    } catch {
      throw rebuild(file, 'holds a damaged observation');
    }
    if (isRecord(per)) for (const o of Object.values(per)) if (isRecord(o) && typeof o.a === 'number') o.a = agents[o.a];
    if (!allOf(per, isObs)) throw schemaError(file);
    return per as Record<string, Obs>;
  }

  /** A plain copy (what tests compare and JSON shows): the getter lives on the prototype. */
  toJSON(): KeyEntry { return { kind: this.kind, per: this.per }; }

  /** How many sessions showed the key, without parsing what they showed. */
  get sessionCount(): number { return this.#changed ? Object.keys(this.#parsed!).length : this.storedCount; }
  /** Whether its observations are still the ones read (their agents are then in the table read). */
  get untouched(): boolean { return !this.#changed; }
  /** Where the key's whole line lies in the file read, while nothing has changed it. */
  untouchedLine(kind: string): [number, number] | null { return this.#changed || kind !== this.storedKind ? null : [this.at, this.end]; }
}

/** How many sessions showed a key: for a key read from the file and never touched, without parsing it. */
export const sessionCount = (e: KeyEntry): number => (e instanceof StoredKeyEntry ? e.sessionCount : Object.keys(e.per).length);

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
    const { buf, keys: keyNames, grams: gramNames, file } = this.read;
    const list = (at: unknown[], among: string[]) => at.map((i) => { const name = among[i as number]; if (name === undefined) throw schemaError(file); return name; });
    const asList = (v: unknown) => (Array.isArray(v) ? v : []);
    const k = this.parsed ? asList(this.parsed.k) : numbersIn(buf, this.kAt, this.kEnd);
    const g = this.parsed ? asList(this.parsed.g) : numbersIn(buf, this.gAt, this.gEnd);
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
 * any other shape (the caller then parses it as JSON).
 */
function scanSession(buf: Buffer, p: number, end: number): boolean {
  const expect = (text: string) => { for (let i = 0; i < text.length; i++) if (buf[p + i] !== text.charCodeAt(i)) return false; p += text.length; return true; };
  /** A JSON string without escapes, or null; undefined when it is neither. */
  const str = (): string | null | undefined => {
    if (expect('null')) return null;
    if (buf[p] !== 34) return undefined;
    let close = p + 1;
    while (close < end && buf[close] !== 34) if (buf[close++] === 92) return undefined;
    if (close >= end) return undefined;
    const s = buf.toString('utf8', p + 1, close);
    p = close + 1;
    return s;
  };
  /** The inside of a `[…]` just opened: where it ends, or -1. */
  const array = (): number => { let close = p; while (close < end && buf[close] !== 93) close++; if (close >= end) return -1; const from = p; p = close + 1; return from; };
  if (!expect('{"a":')) return false;
  let a = -1;
  while (buf[p]! >= 48 && buf[p]! <= 57) a = (a < 0 ? 0 : a * 10) + buf[p++]! - 48;
  if (a < 0 || !expect(',"t":')) return false;
  const t = str();
  if (t === undefined || !expect(',"k":[')) return false;
  const kAt = array();
  if (kAt < 0) return false;
  const kEnd = p - 1;
  let gAt = -1, gEnd = -1;
  if (expect(',"g":[')) {
    if ((gAt = array()) < 0) return false;
    gEnd = p - 1;
  }
  let f: string | undefined;
  if (expect(',"f":')) { const s = str(); if (typeof s !== 'string') return false; f = s; }
  if (!expect('}') || p !== end) return false;
  scanned.a = a, scanned.t = t, scanned.f = f, scanned.kAt = kAt, scanned.kEnd = kEnd, scanned.gAt = gAt, scanned.gEnd = gEnd;
  return true;
}

/** Reads the index; a missing file is an empty index, a damaged one an error naming the file. */
export function loadIndex(storeDir: string): ObservationIndex {
  const file = path.join(storeDir, INDEX_FILE);
  return fs.existsSync(file) ? readIndexFile(file) : emptyIndex();
}

export function readIndexFile(file: string): ObservationIndex {
  const buf = fs.readFileSync(file);
  return buf[0] === 0x7b /* { */ ? readVersion1(file, buf.toString('utf8')) : readLineFormat(file, buf);
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

/** Versions 2 and 3: one record per line (the format above). */
function readLineFormat(file: string, buf: Buffer): ObservationIndex {
  const end = buf.lastIndexOf('\nE\t', buf.length - 2);
  const sum = end >= 0 ? buf.toString('latin1', end + 3, buf.length).trim() : '';
  if (end < 0 || createHash('sha1').update(buf.subarray(0, end + 1)).digest('hex') !== sum) throw rebuild(file, 'is cut short or was altered (its checksum does not match)');
  const index = emptyIndex();
  /** Version 2: key and step-sequence names together, in file order. */
  const names: string[] = [];
  const read: FileRead = { file, buf, version: 2, agents: [], keys: [], grams: [], gramAt: [] };
  for (let at = 0; at <= end; ) {
    const nl = buf.indexOf(10, at);
    const tag = buf[at];
    if (tag === 0x48 /* H */) ({ agents: read.agents, version: read.version } = JSON.parse(buf.toString('utf8', at + 2, nl)) as { agents: string[]; version: number });
    else if (tag === 0x4b /* K */) {
      // Name, kind, count, observations: the kind and count read from the bytes, no string made for them.
      const t1 = buf.indexOf(9, at + 2), t2 = buf.indexOf(9, t1 + 1), t3 = buf.indexOf(9, t2 + 1);
      if (t1 < 0 || t2 < 0 || t3 < 0 || t3 > nl) throw schemaError(file);
      const key = jsonStringAt(buf, at + 2, t1, file);
      const kind = kindAt(buf, t1 + 1, t2);
      const count = countAt(buf, t2 + 1, t3);
      if (!kind || !count) throw schemaError(file);
      index.keys.set(key, new StoredKeyEntry(kind, count, read, at, t3 + 1, nl + 1));
      if (read.version < 3) names.push(key);
      read.keys.push(key);
    } else if (tag === 0x47 /* G */) {
      const tab = buf.indexOf(9, at + 2);
      if (tab < 0 || tab > nl) throw schemaError(file);
      const key = jsonStringAt(buf, at + 2, tab, file);
      const count = countAt(buf, tab + 1, nl);
      if (!count) throw schemaError(file);
      index.grams.set(key, count);
      read.gramAt.push(at);
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
          session = new StoredSession(read.agents[a]!, t, f, read, at, nl + 1, kAt, kEnd, gAt, gEnd);
        } else {
          // Not the shape this writer writes (a hand-edited or older line): the JSON parser reads it.
          const e = JSON.parse(buf.toString('utf8', tab + 1, nl)) as { a: number; t: string | null; k: unknown; g?: unknown; f?: string };
          session = new StoredSession(read.agents[e.a]!, e.t, e.f, read, at, nl + 1, -1, -1, -1, -1, { k: e.k, g: e.g });
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
  reads.set(index, read);
  return index;
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
  const endRun = () => { if (run) pieces.push(read!.buf.subarray(run[0], run[1])), (run = null); };
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
  const keyNames = [...index.keys.keys()];
  const gramNames = [...index.grams.keys()];
  // Session lines as read are copied when the positions they hold still hold: every key and step
  // sequence read is still there, in the same order, ahead of any new one.
  const sameStart = (now: string[], before: string[]) => now.length >= before.length && before.every((n, i) => now[i] === n);
  const gramsInPlace = !!read && sameStart(gramNames, read.grams);
  const keepsPositions = !!read && read.version >= 3 && sameStart(keyNames, read.keys) && gramsInPlace;
  const copied = (e: SessionEntry): e is StoredSession => keepsPositions && e instanceof StoredSession && e.untouched;
  // The agent table comes first: complete it before writing anything (untouched keys and sessions are in it already).
  for (const e of index.keys.values()) if (!(e instanceof StoredKeyEntry && e.untouched)) for (const o of Object.values(e.per)) agentOf(o.a);
  for (const e of index.sessions.values()) if (!copied(e)) agentOf(e.a);
  put(`H\t${JSON.stringify({ version: 3, agents: [...agents.keys()] })}\n`);
  // A line nobody touched is copied as it was read: at 100,000 sessions that is most keys and grams.
  for (const [k, e] of index.keys) {
    const line = e instanceof StoredKeyEntry ? e.untouchedLine(e.kind) : null;
    if (line) copy(line[0], line[1]);
    else {
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
    const at = gramsInPlace && g < read!.gramAt.length ? read!.gramAt[g]! : -1;
    const nl = at >= 0 ? read!.buf.indexOf(10, at) : -1;
    if (at >= 0 && countAt(read!.buf, read!.buf.lastIndexOf(9, nl) + 1, nl) === n) copy(at, nl + 1);
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
  yield batch();
  yield Buffer.from(`E\t${hash.digest('hex')}\n`);
}
