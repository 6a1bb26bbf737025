// Reading JSON documents in bounded memory. Exports (ChatGPT, Claude.ai, OpenHands) are top-level
// arrays that can be hundreds of MB: stream-json hands us one element at a time (chosen because it
// is the maintained streaming JSON parser with a token-level SAX core, already a dependency).
// Smaller single-object documents (a Gemini session, a .traj) are read whole, under a size cap.
import fs from 'node:fs';
import { streamArray } from 'stream-json/streamers/stream-array.js';

/** Above this a single JSON object (not an array) is refused rather than loaded into memory. */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

export interface ArrayItem { index: number; value: unknown }

/** Yields the elements of a top-level JSON array one by one; throws (with the parser's reason) on broken JSON. */
export async function* streamJsonArray(file: string, onBytes?: (n: number) => void): AsyncGenerator<ArrayItem> {
  const input = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (onBytes) input.on('data', (chunk) => onBytes(chunk.length));
  // Values are assembled whole anyway: packed tokens only (no per-chunk string/number tokens) is several times faster.
  const stream = input.pipe(streamArray.withParserAsStream({ streamValues: false }));
  input.on('error', (err) => stream.destroy(err));
  try {
    for await (const item of stream as AsyncIterable<{ key: number; value: unknown }>) yield { index: item.key, value: item.value };
  } finally {
    input.destroy();
    stream.destroy();
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
