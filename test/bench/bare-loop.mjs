// The baseline of the scale bench, as a whole process in plain Node (no tsx, no TypeScript): read every
// session file and JSON.parse each line (a .json export: the whole document), nothing else.
// What any importer must at least do; Reverie's import is measured against it in the same run.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const dir = process.argv[2];
let records = 0;
let bytes = 0;
for (const rel of fs.readdirSync(dir, { recursive: true })) {
  const file = path.join(dir, String(rel));
  if (!/\.jsonl?$/.test(file) || !fs.statSync(file).isFile()) continue;
  bytes += fs.statSync(file).size;
  if (file.endsWith('.json')) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    records += Array.isArray(doc) ? doc.length : 1;
    continue;
  }
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
  for await (const line of rl) if (line && JSON.parse(line)) records++;
}
process.stdout.write(`${JSON.stringify({ records, bytes })}\n`);
