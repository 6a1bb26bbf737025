// Session storage that scales with bytes, not files: every session document is one record appended to
// a segment file (sessions/seg-000001.log, …); index.json keeps where each session's newest record is
// (segment, offset, length) and how far the active segment was committed. One fsync of the segment per
// batch (group commit) replaces a temp file + fsync + rename per session; reading one session is one
// positioned read of its record. A replaced session leaves its old record behind as garbage, which
// compaction copies away from once it outweighs the live data.
//
// Record framing: `RVS1 <payload bytes> <sha1 of payload, 16 hex>\n<payload>\n`. A record whose header,
// length or hash does not check out ends the readable part of a segment (a torn write at a kill).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, numberedFiles } from './files';

/** Where a session's record is: segment number, byte offset of the record, record length in bytes. */
export type Location = [segment: number, offset: number, length: number];

const MAGIC = 'RVS1';
/** A new segment starts once the active one passes this size (smaller files compact and copy faster). */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const HEADER_MAX = 64;

export const segmentName = (n: number) => `seg-${String(n).padStart(6, '0')}.log`;
const SEGMENT_FILE = /^seg-(\d{6,})\.log$/;
const hash = (b: Buffer) => createHash('sha1').update(b).digest('hex').slice(0, 16);

/** The segment numbers present in `dir`, ascending. */
export const listSegments = (dir: string): number[] => numberedFiles(dir, SEGMENT_FILE);

/**
 * A record's bytes, the payload encoded once straight into place (a session's payload can be megabytes).
 * The buffer owns its memory (not a slice of Node's shared pool), so a worker thread that encoded it
 * can hand it over without a copy (importers/record-pool.ts).
 */
export function encodeRecord(payload: string): Buffer {
  const size = Buffer.byteLength(payload, 'utf8');
  // The header's length is known before the hash is: `RVS1 <size> <16 hex>\n`.
  const at = MAGIC.length + 1 + String(size).length + 1 + 16 + 1;
  const rec = Buffer.allocUnsafeSlow(at + size + 1);
  rec.write(payload, at, 'utf8');
  rec.write(`${MAGIC} ${size} ${hash(rec.subarray(at, at + size))}\n`, 0, 'latin1');
  rec[at + size] = 10;
  return rec;
}

/** The payload of a record buffer, or null when it is torn or damaged. */
function decodeRecord(buf: Buffer): { payload: string; length: number } | null {
  const nl = buf.indexOf(10);
  if (nl < 0 || nl > HEADER_MAX) return null;
  const m = /^RVS1 (\d+) ([0-9a-f]{16})$/.exec(buf.subarray(0, nl).toString('latin1'));
  if (!m) return null;
  const size = Number(m[1]);
  const length = nl + 1 + size + 1;
  if (buf.length < length || buf[length - 1] !== 10) return null;
  const body = buf.subarray(nl + 1, nl + 1 + size);
  if (hash(body) !== m[2]) return null;
  return { payload: body.toString('utf8'), length };
}

/** One record read by its location; throws a specific error when it is missing or damaged. */
export function readRecord(dir: string, loc: Location): string {
  const [seg, offset, length] = loc;
  const file = path.join(dir, segmentName(seg));
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    const rec = n === length ? decodeRecord(buf) : null;
    if (!rec || rec.length !== length) throw new Error(`the record at ${segmentName(seg)}:${offset} is damaged or cut short`);
    return rec.payload;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The complete records of one segment from `from` on, in order, read in chunks (memory stays at one
 * record). Stops at the first torn or damaged record and says where the readable part ends.
 */
export function* scanSegment(dir: string, seg: number, from = 0): Generator<{ loc: Location; payload: string }, number> {
  const file = path.join(dir, segmentName(seg));
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return from;
  }
  try {
    const size = fs.fstatSync(fd).size;
    let at = from;
    const head = Buffer.alloc(HEADER_MAX);
    while (at < size) {
      const n = fs.readSync(fd, head, 0, HEADER_MAX, at);
      const nl = head.subarray(0, n).indexOf(10);
      const m = nl > 0 ? /^RVS1 (\d+) [0-9a-f]{16}$/.exec(head.subarray(0, nl).toString('latin1')) : null;
      if (!m) return at;
      const length = nl + 1 + Number(m[1]) + 1;
      if (at + length > size) return at;
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, at);
      const rec = decodeRecord(buf);
      if (!rec) return at;
      yield { loc: [seg, at, length], payload: rec.payload };
      at += length;
    }
    return at;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The writer's side: appends records to the active segment (plain writes, no fsync), starts a new
 * segment past SEGMENT_BYTES, and makes everything appended durable with `sync()` — once per batch,
 * before the index (the commit point) names the new records.
 */
export class SegmentWriter {
  private fd: number | null = null;
  private size = 0;
  private readonly unsynced = new Set<number>();
  private readonly fds = new Map<number, number>();

  constructor(readonly dir: string, private active: number) {}

  get segment(): number { return this.active; }
  get length(): number { return this.fd === null ? this.sizeOnDisk(this.active) : this.size; }

  private sizeOnDisk(seg: number): number {
    try {
      return fs.statSync(path.join(this.dir, segmentName(seg))).size;
    } catch {
      return 0;
    }
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    fs.mkdirSync(this.dir, { recursive: true });
    const fd = fs.openSync(path.join(this.dir, segmentName(this.active)), 'a');
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
    this.fds.set(this.active, fd);
    return fd;
  }

  append(payload: string): Location {
    return this.appendRecord(encodeRecord(payload));
  }

  /** Appends a record already encoded (by encodeRecord, perhaps in another thread). */
  appendRecord(rec: Buffer): Location {
    if (this.fd !== null && this.size >= SEGMENT_BYTES) this.rotate();
    else if (this.fd === null && this.sizeOnDisk(this.active) >= SEGMENT_BYTES) this.active++;
    const fd = this.open();
    const loc: Location = [this.active, this.size, rec.length];
    let done = 0;
    while (done < rec.length) done += fs.writeSync(fd, rec, done, rec.length - done);
    this.size += rec.length;
    this.unsynced.add(this.active);
    return loc;
  }

  /** Closes the active segment for writing (it stays open until synced) and starts the next one. */
  private rotate(): void {
    this.fd = null;
    this.active++;
  }

  /** Group commit: one fsync per segment written since the last sync (and of the folder for new files). */
  sync(): void {
    if (!this.unsynced.size) return;
    for (const seg of this.unsynced) {
      const fd = this.fds.get(seg);
      if (fd !== undefined) fs.fsyncSync(fd);
    }
    fsyncDir(this.dir);
    this.unsynced.clear();
    for (const [seg, fd] of this.fds) if (seg !== this.active) (fs.closeSync(fd), this.fds.delete(seg));
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
    this.fd = null;
  }
}
