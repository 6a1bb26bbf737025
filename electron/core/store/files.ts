// Durable file writes: a temp file, fsync, rename over the old one (a reader or a crash sees the old
// file or the new one, never half of either), then an fsync of the folder where the platform allows it,
// so the rename itself survives a power cut. write-file-atomic does this for small texts (the lock's
// owner file); the two documents that are commit points (reverie.json, index.json) are written the same
// way in pieces by writeJsonDurable, since the index's text is tens of MB at 20,000 sessions.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems (network mounts) refuse a folder fsync; the rename is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export function writeFileDurableSync(file: string, text: string): void {
  writeFileAtomic.sync(file, text, { fsync: true });
  fsyncDir(path.dirname(file));
}

/** The numbers of the files in `dir` whose names match `pattern` (its first group: the number), ascending. */
export function numberedFiles(dir: string, pattern: RegExp): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((n) => pattern.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** A time stamp that sorts as text and is safe in file names on every OS. */
export const fileStamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-');

/**
 * The JSON text of `doc` in pieces: every element of a top-level array and every entry of a top-level
 * object on its own, so a document of many entries (the index: tens of MB at 20,000 sessions) is never
 * one string as large as itself. Joined, the pieces are exactly JSON.stringify(doc).
 *
 * `memo`: top-level arrays whose elements are records replaced, never changed in place (the main
 * document's lessons), and each element's text as written before (UTF-8), by identity: pinning one of
 * 1,300 lessons serialized and encoded 2.4 MB of the others each time, most of the pin's 40 ms. Such an
 * element comes as its bytes (jsonBatches writes them as they are). Once its text is kept, an element
 * is frozen, objects and arrays within it too: a change made in place would throw, not be lost silently.
 */
export interface JsonMemo { arrays: ReadonlySet<string>; texts: WeakMap<object, Buffer> }

export function* jsonPieces(doc: object, memo?: JsonMemo): Generator<string> {
  for (const p of pieces(doc, memo)) yield typeof p === 'string' ? p : p.toString('utf8');
}

function* pieces(doc: object, memo?: JsonMemo): Generator<string | Buffer> {
  const container = (v: unknown): v is object => !!v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
  let first = true;
  yield '{';
  for (const [key, value] of Object.entries(doc)) {
    const whole = container(value) ? '' : JSON.stringify(value);
    if (whole === undefined) continue; // undefined, a function: JSON leaves the key out
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (Array.isArray(value)) {
      const texts = memo?.arrays.has(key) ? memo.texts : null;
      yield '[';
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (!texts || !v || typeof v !== 'object') {
          yield `${i ? ',' : ''}${JSON.stringify(v) ?? 'null'}`;
          continue;
        }
        let t = texts.get(v);
        if (t === undefined) texts.set(freezeDeep(v), (t = Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')));
        if (i) yield ',';
        yield t;
      }
      yield ']';
    } else if (container(value)) {
      // Entries go a few thousand at a time: a piece per entry made the session index's 100,000
      // locations three times slower to write than JSON.stringify.
      yield '{';
      let batch: string[] = [];
      let firstBatch = true;
      const record = value as Record<string, unknown>;
      for (const k in record) {
        if (!Object.hasOwn(record, k)) continue;
        const text = JSON.stringify(record[k]);
        if (text === undefined) continue;
        batch.push(`${JSON.stringify(k)}:${text}`);
        if (batch.length === 4096) yield `${firstBatch ? '' : ','}${batch.join(',')}`, (firstBatch = false), (batch = []);
      }
      if (batch.length) yield `${firstBatch ? '' : ','}${batch.join(',')}`;
      yield '}';
    } else yield whole;
  }
  yield '}';
}

/** `v` and every object and array within it made read-only (a record whose written text is kept). */
export function freezeDeep<T extends object>(v: T): T {
  if (Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const x of Object.values(v)) if (x && typeof x === 'object') freezeDeep(x as object);
  return v;
}

/** The pieces gathered into writes of about a megabyte. */
function* jsonBatches(doc: object, memo?: JsonMemo): Generator<Buffer> {
  let buf = '';
  for (const piece of pieces(doc, memo)) {
    if (typeof piece !== 'string') {
      // Bytes kept from an earlier write: written as they are.
      if (buf) yield Buffer.from(buf, 'utf8'), (buf = '');
      yield piece;
      continue;
    }
    buf += piece;
    if (buf.length >= 1 << 20) yield Buffer.from(buf, 'utf8'), (buf = '');
  }
  if (buf) yield Buffer.from(buf, 'utf8');
}

/** A temp file beside `file` that a killed writer's leftovers sweep recognizes (`<name>.<pid>-<hex>.tmp`). */
const tempOf = (file: string) => `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;

/**
 * Fills `buf` from the file at `position`, as far as the file goes (a read may return fewer bytes than
 * asked for): how many bytes were read, fewer than `buf` holds only at the end of the file.
 */
export function readFullyAt(fd: number, buf: Buffer, position: number): number {
  let done = 0;
  while (done < buf.length) {
    const n = fs.readSync(fd, buf, done, buf.length - done, position + done);
    if (!n) break;
    done += n;
  }
  return done;
}

/** Every byte of every batch (a write may take fewer bytes than it is given). */
const writeAll = (fd: number, batches: Iterable<Buffer>) => {
  for (const b of batches) for (let done = 0; done < b.length; ) done += fs.writeSync(fd, b, done, b.length - done);
};

/** A scratch file nothing relies on after a crash (a full dream's spilled observation index): written in place, never synced. */
export function writeBatchesScratchSync(file: string, batches: Iterable<Buffer>): void {
  const fd = fs.openSync(file, 'w');
  try {
    writeAll(fd, batches);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `doc` as JSON, written like writeFileDurable (temp file, fsync, rename, folder fsync) but in pieces
 * (jsonPieces): write-file-atomic takes the whole text as one string, which for the index was the
 * largest allocation at the end of an import. The pieces are written without yielding to the event
 * loop, so the file is the document as it was at the call, like JSON.stringify's snapshot; only the
 * fsync waits off the thread in the async form.
 */
function writePieces(file: string, batches: Iterable<Buffer>): { tmp: string; fd: number } {
  const tmp = tempOf(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    writeAll(fd, batches);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { tmp, fd };
}

export function writeJsonDurableSync(file: string, doc: object): void {
  writeBatchesDurableSync(file, jsonBatches(doc));
}

/** Any file written in batches the same durable way (the observation index, written line by line). */
export function writeBatchesDurableSync(file: string, batches: Iterable<Buffer>): void {
  const { tmp, fd } = writePieces(file, batches);
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** `beforeRename`: what must be durable before this file replaces the old one (it may take its time; a failure leaves the old file). */
export async function writeJsonDurable(file: string, doc: object, beforeRename?: () => Promise<void>, memo?: JsonMemo): Promise<void> {
  const { tmp, fd } = writePieces(file, jsonBatches(doc, memo));
  try {
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
    await beforeRename?.();
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  await fs.promises.rename(tmp, file);
  fsyncDir(path.dirname(file));
}
