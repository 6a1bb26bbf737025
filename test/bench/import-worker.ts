// One measured run in its own process, so peak RSS belongs to that run alone:
//   baseline <dir>   a bare read-lines + JSON.parse loop over every file
//   reverie <dir>    the real import pipeline into a fresh store
// Prints one JSON line: {mode, ms, bytes, maxRssMB, sessions?, events?}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { importPaths } from '../../electron/core/importers';
import { Store } from '../../electron/core/store/store';

const [mode, dir] = process.argv.slice(2);
const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.jsonl?$/.test(f)).map((f) => path.join(dir, f));
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const extra: Record<string, number> = {};
let storeDir: string | null = null;
if (mode === 'baseline') {
  let records = 0;
  for (const f of files) {
    const rl = readline.createInterface({ input: fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
    for await (const line of rl) if (line) (JSON.parse(line) as unknown) && records++;
  }
  extra.records = records;
} else {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-bench-store-'));
  const store = await Store.open(storeDir);
  try {
    const r = await importPaths(store, [dir]);
    extra.sessions = r.sessions;
    extra.events = r.events;
    extra.errors = r.errors.length;
  } finally {
    await store.close();
  }
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
extra.cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ mode, ms, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra })}\n`);
// The store written by the measured run is removed outside the measurement.
if (storeDir) fs.rmSync(storeDir, { recursive: true, force: true });
