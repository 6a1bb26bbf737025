// `npm run bench`: runs every test/bench/*.bench.ts in turn (or those named on the command line).
// Each exports `default async function (): Promise<void>` that prints its own figures; speed is
// always reported as a ratio against a baseline measured in the same run, on the same machine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs.readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o)))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n── ${f} ${'─'.repeat(Math.max(0, 60 - f.length))}`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, f)).href)) as { default: () => Promise<void> };
    await mod.default();
  } catch (err) {
    failed++;
    console.error(`bench ${f} failed:`, err);
  }
}
if (!files.length) console.log('No benchmarks found.');
process.exitCode = failed ? 1 : 0;
