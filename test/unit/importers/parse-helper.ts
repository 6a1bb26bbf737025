// Runs detection + the detected importer on one file, collecting sessions, warnings and skips.
import fs from 'node:fs';
import { detectFormat } from '../../../electron/core/importers';
import type { ParsedSession } from '../../../electron/core/importers/types';

export async function parseFile(file: string) {
  const head = fs.readFileSync(file).subarray(0, 65536).toString('utf8');
  const importer = detectFormat(head, file);
  const warnings: unknown[] = [];
  const skipped: string[] = [];
  const sessions: ParsedSession[] = [];
  if (importer) for await (const s of importer.parse(file, { file, head, warn: (w) => warnings.push(w), skip: (r) => skipped.push(r) })) sessions.push(s);
  return { tool: importer?.tool, sessions, warnings, skipped };
}
