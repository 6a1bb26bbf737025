// Streams a JSONL file line by line in bounded memory. Bad lines (garbage, a truncated last line
// written while the agent was still appending) are reported with their line number and skipped.
import fs from 'node:fs';
import readline from 'node:readline';
import type { ParseContext } from './types';

export interface JsonLine { line: number; value: Record<string, unknown> }

export async function* readJsonLines(file: string, ctx: ParseContext): AsyncGenerator<JsonLine> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      ctx.warn({ line, reason: `invalid JSON (${(err as Error).message.slice(0, 80)})` });
      continue;
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) yield { line, value: value as Record<string, unknown> };
    else ctx.warn({ line, reason: 'not a JSON object' });
  }
}
