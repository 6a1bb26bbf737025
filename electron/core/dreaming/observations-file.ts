// The observation index on disk (`<store>/patterns.json`). At 100,000 sessions the index holds
// about 100,000 keys, most of them seen in one session only: a key that recurs nowhere is never
// mined into a pattern, so its observations need not be parsed, validated or re-serialized at all.
// The file therefore has one line per key, its header (name, kind, how many sessions) apart from
// its observations; reading keeps the observations as the file's bytes and parses them the first
// time a dream touches the key (KeyEntry.per). Writing copies the bytes of a key nobody touched.
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
import { emptyIndex, INDEX_FILE, type KeyEntry, type Obs, type ObservationIndex } from './observations';

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

/** A key read from the file: its observations stay bytes (a view of the file read) until first used (`per`). */
class StoredKeyEntry implements KeyEntry {
  #bytes: Buffer | null;
  #parsed: Record<string, Obs> | null = null;

  constructor(
    public kind: KeyEntry['kind'],
    readonly storedCount: number,
    bytes: Buffer,
    private readonly table: { agents: readonly string[]; file: string },
    /** The whole line as read (name, kind, count, observations): written back as it is while nothing touched the key. */
    private readonly line: Buffer,
  ) {
    this.#bytes = bytes;
    this.storedKind = kind;
  }

  private readonly storedKind: string;

  get per(): Record<string, Obs> {
    return (this.#parsed ??= this.#parse());
  }

  set per(v: Record<string, Obs>) {
    this.#parsed = v;
    this.#bytes = null;
  }

  #parse(): Record<string, Obs> {
    const { agents, file } = this.table;
    let per: unknown;
    try {
      per = JSON.parse(this.#bytes!.toString('utf8'));
    } catch {
      throw rebuild(file, 'holds a damaged observation');
    }
    if (isRecord(per)) for (const o of Object.values(per)) if (isRecord(o) && typeof o.a === 'number') o.a = agents[o.a];
    if (!allOf(per, isObs)) throw rebuild(file, 'does not match the observation index schema');
    this.#bytes = null;
    return per as Record<string, Obs>;
  }

  /** A plain copy (what tests compare and JSON shows): the getter lives on the prototype. */
  toJSON(): KeyEntry { return { kind: this.kind, per: this.per }; }

  /** How many sessions showed the key, without parsing what they showed. */
  get sessionCount(): number { return this.#parsed ? Object.keys(this.#parsed).length : this.storedCount; }
  /** The observations' bytes as read, while nothing has touched them (the writer copies them). */
  get untouched(): Buffer | null { return this.#parsed ? null : this.#bytes; }
  /** The key's whole line as read, while nothing has touched it. */
  untouchedLine(kind: string): Buffer | null { return this.#parsed || kind !== this.storedKind ? null : this.line; }
}

/** How many sessions showed a key: for a key read from the file and never touched, without parsing it. */
export const sessionCount = (e: KeyEntry): number => (e instanceof StoredKeyEntry ? e.sessionCount : Object.keys(e.per).length);

/** The agent table an index was read with: untouched observations refer to it by position. */
const agentTables = new WeakMap<ObservationIndex, readonly string[]>();
/** The G lines an index was read with (count, line): one whose count did not change is written back as it is. */
const gramLines = new WeakMap<ObservationIndex, Map<string, { n: number; line: Buffer }>>();
/** What a version-3 read leaves for the writer: key and step-sequence names in file order, and each session entry's line. */
interface ReadLayout { keys: string[]; grams: string[]; sessions: WeakMap<object, Buffer> }
const readLayouts = new WeakMap<ObservationIndex, ReadLayout>();

/** Reads the index; a missing file is an empty index, a damaged one an error naming the file. */
export function loadIndex(storeDir: string): ObservationIndex {
  const file = path.join(storeDir, INDEX_FILE);
  return fs.existsSync(file) ? readIndexFile(file) : emptyIndex();
}

export function readIndexFile(file: string): ObservationIndex {
  const buf = fs.readFileSync(file);
  return buf[0] === 0x7b /* { */ ? readVersion1(file, buf.toString('utf8')) : readLineFormat(file, buf);
}

/** A name or id written as a JSON string: most hold no escape, and are read without the JSON parser (150,000 per read). */
const jsonString = (text: string): string => (text.length >= 2 && text[0] === '"' && text[text.length - 1] === '"' && !text.includes('\\') ? text.slice(1, -1) : (JSON.parse(text) as string));

/** Versions 2 and 3: one record per line (the format above). */
function readLineFormat(file: string, buf: Buffer): ObservationIndex {
  const end = buf.lastIndexOf('\nE\t', buf.length - 2);
  const sum = end >= 0 ? buf.toString('latin1', end + 3, buf.length).trim() : '';
  if (end < 0 || createHash('sha1').update(buf.subarray(0, end + 1)).digest('hex') !== sum) throw rebuild(file, 'is cut short or was altered (its checksum does not match)');
  const index = emptyIndex();
  const names: string[] = [];
  const layout: ReadLayout = { keys: [], grams: [], sessions: new WeakMap() };
  let version = 2;
  const table = { agents: [] as string[], file };
  const grams = new Map<string, { n: number; line: Buffer }>();
  for (let at = 0; at <= end; ) {
    const nl = buf.indexOf(10, at);
    // The line's first n fields after its tag; with `more`, the rest of the line starts at `rest`.
    let rest = nl;
    const field = (n: number, more = false) => {
      const f: string[] = [];
      let p = at + 2;
      for (let i = 0; i < n; i++) {
        const t = i < n - 1 || more ? buf.indexOf(9, p) : nl;
        f.push(buf.toString('utf8', p, t));
        p = t + 1;
      }
      rest = p;
      return f;
    };
    const tag = String.fromCharCode(buf[at]!);
    if (tag === 'H') ({ agents: table.agents, version } = JSON.parse(field(1)[0]!) as { agents: string[]; version: number });
    else if (tag === 'K') {
      const [name, kind, count] = field(3, true) as [string, string, string];
      const key = jsonString(name);
      if (!KINDS.has(kind) || !isCount(Number(count))) throw rebuild(file, 'does not match the observation index schema');
      index.keys[key] = new StoredKeyEntry(kind as KeyEntry['kind'], Number(count), buf.subarray(rest, nl), table, buf.subarray(at, nl + 1));
      names.push(key);
      layout.keys.push(key);
    } else if (tag === 'G') {
      const [name, count] = field(2) as [string, string];
      const key = jsonString(name);
      if (!isCount(Number(count))) throw rebuild(file, 'does not match the observation index schema');
      index.grams[key] = Number(count);
      grams.set(key, { n: Number(count), line: buf.subarray(at, nl + 1) });
      names.push(key);
      layout.grams.push(key);
    } else if (tag === 'S') {
      const [id, entry] = field(2) as [string, string];
      const e = JSON.parse(entry) as { a: number; t: string | null; k: number[]; g?: number[]; f?: string };
      const list = (positions: unknown, among: string[]) => (Array.isArray(positions) ? positions.map((i) => among[i]!) : []);
      // A session's keys are kept sorted (fold), and each list is written in that order: in version 3
      // its keys and step sequences come apart, and only a session that has both needs a merge.
      const steps = version >= 3 ? list(e.g, layout.grams) : [];
      const keys = version >= 3 ? (steps.length ? [...list(e.k, layout.keys), ...steps].sort() : list(e.k, layout.keys)) : list(e.k, names);
      const session = { a: table.agents[e.a]!, t: e.t, keys, ...(e.f ? { f: e.f } : {}) };
      if (!isSessionEntry(session)) throw rebuild(file, 'does not match the observation index schema');
      index.sessions[jsonString(id)] = session;
      if (version >= 3) layout.sessions.set(session, buf.subarray(at, nl + 1));
    }
    at = nl + 1;
  }
  agentTables.set(index, table.agents);
  gramLines.set(index, grams);
  if (version >= 3) readLayouts.set(index, layout);
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
  return raw as unknown as ObservationIndex;
}

/**
 * Writes the index to `file` durably (temp file, fsync, rename, folder fsync: store/files.ts) in
 * batches of about a megabyte, so its text is never one string as large as the index.
 */
export function writeIndexFile(file: string, index: ObservationIndex): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeBatchesDurableSync(file, indexBatches(index));
}

/** The file's bytes in batches, the checksum line last. */
function* indexBatches(index: ObservationIndex): Generator<Buffer> {
  // Untouched observations name agents by their position in the table they were read with: it is kept, extended.
  const agents = new Map((agentTables.get(index) ?? []).map((a, i) => [a, i]));
  const agentOf = (a: string) => agents.get(a) ?? agents.set(a, agents.size).get(a)!;
  const keyAt = new Map<string, number>();
  const gramAt = new Map<string, number>();
  const hash = createHash('sha1');
  // Pieces are gathered and handed on about a megabyte at a time; an untouched key's bytes go as they are.
  let pieces: Buffer[] = [];
  let size = 0;
  let text = '';
  const endText = () => { if (text) pieces.push(Buffer.from(text, 'utf8')), (size += text.length), (text = ''); };
  const batch = () => { endText(); const b = Buffer.concat(pieces); hash.update(b); pieces = []; size = 0; return b; };
  const full = () => size + text.length >= 1 << 20;
  const put = (s: string) => { text += s; };
  const putBytes = (b: Buffer) => { endText(); pieces.push(b); size += b.length; };
  // Session lines as read are copied when the positions they hold still hold: every key and step
  // sequence read is still there, in the same order, ahead of any new one.
  const read = readLayouts.get(index);
  const sameStart = (now: string[], before: string[]) => now.length >= before.length && before.every((n, i) => now[i] === n);
  const keyNames = Object.keys(index.keys);
  const gramNames = Object.keys(index.grams);
  const readLines = read && sameStart(keyNames, read.keys) && sameStart(gramNames, read.grams) ? read.sessions : null;
  // The agent table comes first: complete it before writing anything (untouched keys and sessions are in it already).
  for (const e of Object.values(index.keys)) if (!(e instanceof StoredKeyEntry && e.untouched)) for (const o of Object.values(e.per)) agentOf(o.a);
  for (const e of Object.values(index.sessions)) if (!readLines?.has(e)) agentOf(e.a);
  put(`H\t${JSON.stringify({ version: 3, agents: [...agents.keys()] })}\n`);
  // A line nobody touched is copied as it was read: at 100,000 sessions that is most keys and grams.
  for (const k of keyNames) {
    const e = index.keys[k]!;
    const line = e instanceof StoredKeyEntry ? e.untouchedLine(e.kind) : null;
    if (line) putBytes(line);
    else {
      put(`K\t${JSON.stringify(k)}\t${e.kind}\t${sessionCount(e)}\t`);
      put(`{${Object.entries(e.per).map(([sid, o]) => `${JSON.stringify(sid)}:${JSON.stringify({ ...o, a: agentOf(o.a) })}`).join(',')}}\n`);
    }
    keyAt.set(k, keyAt.size);
    if (full()) yield batch();
  }
  const readGrams = gramLines.get(index);
  for (const k of gramNames) {
    const n = index.grams[k]!;
    const was = readGrams?.get(k);
    if (was && was.n === n) putBytes(was.line);
    else put(`G\t${JSON.stringify(k)}\t${n}\n`);
    gramAt.set(k, gramAt.size);
    if (full()) yield batch();
  }
  for (const [id, e] of Object.entries(index.sessions)) {
    const line = readLines?.get(e);
    if (line) putBytes(line);
    else {
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
