// Reading JSON documents in bounded memory. Exports (ChatGPT, Claude.ai, OpenHands) are top-level
// arrays that can be hundreds of MB, read one element at a time: a byte scanner finds where each
// element of the top-level array ends (tracking only strings, escapes and bracket depth) and hands
// that slice to JSON.parse. A token-level streaming parser (stream-json, used before) builds every
// value in JavaScript and read a 200 MB export at a fifth of a bare JSON.parse; this runs near it,
// with memory of one element plus one chunk. Each element is handed on as soon as it is parsed: a 1 MB
// chunk holds hundreds of conversations, and parsing them all before the first is stored kept them alive
// long enough to be promoted to the old generation (a 14 MB export grew the heap by ~90 MB of garbage).
// Smaller single-object documents (a Gemini session, a .traj) are read whole, under a size cap.
import fs from 'node:fs';

/** Above this a single JSON object (not an array) is refused rather than loaded into memory. */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

export interface ArrayItem { index: number; value: unknown }

const CHUNK = 1024 * 1024;
const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA] = [34, 92, 123, 125, 91, 93, 44];
const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;

/** How many backslashes directly precede position `end` of `buf`, looking no further back than `from`. */
function backslashesBefore(buf: Buffer, end: number, from: number): number {
  let n = 0;
  while (end - n - 1 >= from && buf[end - n - 1] === BACKSLASH) n++;
  return n;
}

/** Yields the elements of a top-level JSON array one by one; throws (with the reason and where) on broken JSON. */
export async function* streamJsonArray(file: string, onBytes?: (n: number) => void): AsyncGenerator<ArrayItem> {
  const input = fs.createReadStream(file, { highWaterMark: CHUNK });
  // Scanner state across chunks: before the '[', inside the array between elements, inside an element.
  let phase: 'before' | 'array' | 'after' = 'before';
  let depth = 0; // bracket depth inside the current element
  let inString = false;
  let escaped = false;
  let inElement = false;
  let parts: Buffer[] = []; // the current element's bytes from earlier chunks
  let index = 0;
  let at = 0; // bytes before the current chunk, for error positions
  /** The element ending at `end` of this chunk (its start may lie in earlier chunks, kept in `parts`). */
  const parse = (chunk: Buffer, begin: number, end: number): ArrayItem => {
    // Decoded straight from the chunk when the element lies within it (the usual case): no copy first.
    const text = parts.length ? Buffer.concat([...parts, chunk.subarray(begin, end)]).toString('utf8') : chunk.toString('utf8', begin, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`element ${index} of the array is not valid JSON (${(err as Error).message})`);
    }
    return { index: index++, value };
  };
  const broken = (pos: number, what: string) => new Error(`not valid JSON at byte ${pos}: ${what}`);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      onBytes?.(chunk.length);
      let start = inElement ? 0 : -1;
      for (let i = 0; i < chunk.length; i++) {
        if (inString) {
          // Most of an export is string content: jump to the next quote (a native search) instead of
          // looking at every byte; a quote preceded by an odd run of backslashes is escaped.
          if (escaped) {
            escaped = false; // this byte is the escaped one
            continue;
          }
          const quote = chunk.indexOf(QUOTE, i);
          if (quote < 0) {
            escaped = backslashesBefore(chunk, chunk.length, i) % 2 === 1;
            i = chunk.length;
            continue;
          }
          if (backslashesBefore(chunk, quote, i) % 2 === 0) inString = false;
          i = quote;
          continue;
        }
        const b = chunk[i]!;
        if (phase !== 'array') {
          if (isSpace(b)) continue;
          if (phase === 'after') throw broken(at + i, 'text after the end of the array');
          if (b === OPEN_BRACKET) phase = 'array';
          else if (!(at + i < 3 && (b === 0xef || b === 0xbb || b === 0xbf))) throw broken(at + i, 'the document is not an array');
          continue;
        }
        if (!inElement) {
          if (isSpace(b) || (b === COMMA && index > 0)) continue;
          if (b === CLOSE_BRACKET) { phase = 'after'; continue; }
          inElement = true;
          start = i;
          depth = 0;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (depth === 0) {
            // A bare value ending at the array's ']'.
            yield parse(chunk, start, i);
            parts = [];
            inElement = false;
            phase = 'after';
            continue;
          }
          depth--;
          if (depth === 0) {
            yield parse(chunk, start, i + 1);
            parts = [];
            inElement = false;
          }
        } else if (b === COMMA && depth === 0) {
          // A bare value (number, string, literal) ends at the comma.
          yield parse(chunk, start, i);
          parts = [];
          inElement = false;
        }
      }
      if (inElement) parts.push(chunk.subarray(start));
      at += chunk.length;
    }
    if (phase === 'array') throw broken(at, 'the file ends inside the array (truncated?)');
    if (phase === 'before') throw broken(at, 'no JSON array found');
  } finally {
    input.destroy();
  }
}

/** Reads a whole JSON document (an object). Refuses oversized files instead of exhausting memory. */
export function readJsonDocument(file: string): unknown {
  const size = fs.statSync(file).size;
  if (size > MAX_JSON_DOCUMENT_BYTES) throw new Error(`JSON document of ${Math.round(size / 1048576)} MB is too large to read whole (limit ${MAX_JSON_DOCUMENT_BYTES / 1048576} MB)`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The first non-space character of a head: '[' for arrays, '{' for objects / JSONL. */
export function firstChar(head: string): string {
  const m = /\S/.exec(head.replace(/^\uFEFF/, ''));
  return m ? m[0] : '';
}

/**
 * The records of an export: each element of a top-level array (streamed), or the single object
 * some tools write for one conversation. `index` is the 0-based element number (reported as record).
 */
export async function* exportRecords(file: string, head: string | undefined, onBytes?: (n: number) => void): AsyncGenerator<ArrayItem> {
  if (firstChar(head ?? '') === '[') yield* streamJsonArray(file, onBytes);
  else yield { index: 0, value: readJsonDocument(file) };
}
