// Streams a JSONL file line by line in bounded memory: one chunk plus one line at a time, however
// big the file. Lines are cut on the newline byte (0x0A never occurs inside a UTF-8 multi-byte
// sequence) and decoded one by one, which is markedly cheaper than readline's decode-then-regex-split
// on multi-MB transcripts. Bad lines (garbage, a truncated last line written while the agent was
// still appending) are reported with their line number and skipped.
import fs from 'node:fs';
import type { ParseContext } from './types';

export interface JsonLine { line: number; value: Record<string, unknown> }

const CHUNK = 1024 * 1024;

export interface TextLine { line: number; text: string }

/**
 * Raw text lines with their 1-based numbers (CRLF tolerated), handed out one chunk's worth at a time:
 * a million-line file then costs a few hundred async steps, not a million.
 */
export async function* readLineBatches(file: string, onBytes?: (n: number) => void): AsyncGenerator<TextLine[]> {
  const input = fs.createReadStream(file, { highWaterMark: CHUNK });
  let carry: Buffer[] = [];
  let line = 0;
  const decode = (buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === 13) end--;
    return buf.toString('utf8', start, end);
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
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
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
      if (batch.length) yield batch;
    }
    if (carry.length) {
      const joined = Buffer.concat(carry);
      yield [{ line: line + 1, text: decode(joined, 0, joined.length) }];
    }
  } finally {
    input.destroy();
  }
}

export async function* readJsonLines(file: string, ctx: ParseContext): AsyncGenerator<JsonLine> {
  // A bad line is reported once the next line shows whether it was the last one (truncated) or not.
  let pending: { line: number; reason: string } | null = null;
  for await (const batch of readLineBatches(file, ctx.onBytes)) for (const { line, text } of batch) {
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
