// Streams a JSONL file line by line in bounded memory: one chunk plus one line at a time, however
// big the file. Lines are cut on the newline byte (0x0A never occurs inside a UTF-8 multi-byte
// sequence) and decoded one by one, which is markedly cheaper than readline's decode-then-regex-split
// on multi-MB transcripts. Bad lines (garbage, a truncated last line written while the agent was
// still appending) are reported with their line number and skipped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { readFullyAt } from '../store/files';
import type { ParseContext } from './types';

export interface JsonLine { line: number; value: Record<string, unknown> }

const CHUNK = 1024 * 1024;

export interface TextLine { line: number; text: string }

/** Where to start reading: a byte offset at a line start and the number of lines before it (an appended file, read from where it ended). */
export interface ReadFrom { offset: number; line: number }

/**
 * Where the last complete line ends; read from the start, also the sha1 of every byte before that point
 * (what prefixHash in files.ts would compute), hashed as the chunks go by instead of reading the file again.
 */
export interface Reached extends ReadFrom { prefixHash?: string }

/**
 * A file that fits in one chunk is read with one synchronous positioned read: the common session log
 * is a few KB, and an async stream's open/read/close round trips through the thread pool cost more
 * than the read itself (10,000 small sessions spent most of their import waiting on them).
 */
function* wholeChunk(file: string, from: number): Generator<Buffer> {
  const fd = fs.openSync(file, 'r');
  try {
    // Whatever the file holds now (it may have grown a little since it was measured).
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(Math.max(0, size - from));
    yield buf.subarray(0, readFullyAt(fd, buf, from));
  } finally {
    fs.closeSync(fd);
  }
}

function fitsInOneChunk(file: string, from: number): boolean {
  try {
    return fs.statSync(file).size - from <= CHUNK;
  } catch {
    return false; // the stream reports the error the way it always did
  }
}

/**
 * Raw text lines with their 1-based numbers (CRLF tolerated), handed out one chunk's worth at a time:
 * a million-line file then costs a few hundred async steps, not a million.
 */
export async function* readLineBatches(file: string, onBytes?: (n: number) => void, from?: ReadFrom, onReached?: (at: Reached) => void, content?: Buffer): AsyncGenerator<TextLine[]> {
  const start0 = from?.offset ?? 0;
  // Bytes of complete lines go into the hash in file order: a line's carried start, then the chunk up to its last newline.
  const prefix = start0 === 0 && onReached ? createHash('sha1') : null;
  const input: AsyncIterable<Buffer> | Iterable<Buffer> & { destroy?: () => void } =
    content && start0 <= content.length ? [content.subarray(start0)] : fitsInOneChunk(file, start0) ? wholeChunk(file, start0) : fs.createReadStream(file, { highWaterMark: CHUNK, start: start0 });
  let carry: Buffer[] = [];
  /** The bytes after the last newline, not hashed yet (the same pieces as carry, kept apart since carry is emptied when its line is decoded). */
  let hashed: Buffer[] = [];
  let line = from?.line ?? 0;
  // Byte offset of the current chunk, and the end of the last newline-terminated line.
  let chunkAt = start0;
  let reached: ReadFrom = { offset: start0, line };
  const decode = (buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === 13) end--;
    return buf.toString('utf8', start, end);
  };
  try {
    for await (const chunk of input) {
      onBytes?.(chunk.length);
      const batch: TextLine[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        line++;
        if (carry.length) {
          const joined = Buffer.concat([...carry, chunk.subarray(start, nl)]);
          carry = [];
          batch.push({ line, text: decode(joined, 0, joined.length) });
        } else batch.push({ line, text: decode(chunk, start, nl) });
        start = nl + 1;
        reached = { offset: chunkAt + start, line };
      }
      if (prefix && start > 0) {
        for (const c of hashed) prefix.update(c);
        hashed = [];
        prefix.update(chunk.subarray(0, start));
      }
      if (start < chunk.length) {
        carry.push(chunk.subarray(start));
        if (prefix) hashed.push(chunk.subarray(start));
      }
      chunkAt += chunk.length;
      if (batch.length) yield batch;
    }
    // A last line without its newline may still be being written: the next read starts before it.
    onReached?.(prefix ? { ...reached, prefixHash: prefix.digest('hex') } : reached);
    if (carry.length) {
      const joined = Buffer.concat(carry);
      yield [{ line: line + 1, text: decode(joined, 0, joined.length) }];
    }
  } finally {
    if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
  }
}

export async function* readJsonLines(file: string, ctx: ParseContext): AsyncGenerator<JsonLine> {
  // A bad line is reported once the next line shows whether it was the last one (truncated) or not.
  let pending: { line: number; reason: string } | null = null;
  for await (const batch of readLineBatches(file, ctx.onBytes, ctx.from, ctx.onReached, ctx.content)) for (const { line, text } of batch) {
    if (pending) ctx.warn(pending), (pending = null);
    // Blank lines are skipped (checked without copying a multi-MB line).
    if (!text.length || (text.charCodeAt(0) <= 32 && !text.trim())) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      pending = { line, reason: `invalid JSON (${(err as Error).message.slice(0, 80)})` };
      continue;
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) yield { line, value: value as Record<string, unknown> };
    else ctx.warn({ line, reason: 'not a JSON object' });
  }
  if (pending) ctx.warn({ line: pending.line, reason: `truncated last line, skipped (the agent may still be writing it): ${pending.reason}` });
}
