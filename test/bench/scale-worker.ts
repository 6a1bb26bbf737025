// Helper processes of the scale bench (each its own process, so its peak RSS is its own):
//   parse-redact <dir>   parses every file with the real importers, then times redaction of every
//                        string of every event (what import does before storing), apart from parsing.
// Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { detectFormat } from '../../electron/core/importers';
import { HEAD_BYTES } from '../../electron/core/importers/files';
import { redactEvent } from '../../electron/core/importers/session-doc';

const [mode, dir] = process.argv.slice(2);
if (mode !== 'parse-redact' || !dir) throw new Error('usage: scale-worker.ts parse-redact <dir>');

const files = (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => /\.jsonl?$/.test(f) && fs.statSync(f).isFile());
let parseMs = 0;
let redactMs = 0;
let events = 0;
let changed = 0;
for (const file of files) {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(HEAD_BYTES);
  const n = fs.readSync(fd, head, 0, HEAD_BYTES, 0);
  fs.closeSync(fd);
  const headText = head.subarray(0, n).toString('utf8');
  const importer = detectFormat(headText, file);
  if (!importer) continue;
  let t = performance.now();
  for await (const s of importer.parse(file, { file, head: headText, warn: () => {}, skip: () => {} })) {
    parseMs += performance.now() - t;
    t = performance.now();
    for (const e of s.events) if (redactEvent(e) !== e) changed++;
    redactMs += performance.now() - t;
    events += s.events.length;
    t = performance.now();
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, events, changed, parseMs, redactMs })}\n`);
