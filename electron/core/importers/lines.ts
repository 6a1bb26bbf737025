// Streams a JSONL file line by line in bounded memory (readline over a read stream: one line in
// memory at a time, however big the file). Bad lines (garbage, a truncated last line written while
// the agent was still appending) are reported with their line number and skipped.
import fs from 'node:fs';
import readline from 'node:readline';
import type { ParseContext } from './types';

export interface JsonLine { line: number; value: Record<string, unknown> }

export async function* readJsonLines(file: string, ctx: ParseContext): AsyncGenerator<JsonLine> {
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  if (ctx.onBytes) input.on('data', (chunk) => ctx.onBytes!(Buffer.byteLength(chunk as string)));
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  // A bad line is reported once the next line shows whether it was the last one (truncated) or not.
  let pending: { line: number; reason: string } | null = null;
  try {
    for await (const text of rl) {
      line++;
      if (pending) ctx.warn(pending), (pending = null);
      if (!text.trim()) continue;
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
  } finally {
    rl.close();
    input.destroy();
  }
  if (pending) ctx.warn({ line: pending.line, reason: `truncated last line, skipped (the agent may still be writing it): ${pending.reason}` });
}
