#!/usr/bin/env node
// Runs the CLI from an esbuild bundle of its TypeScript sources (out/cli/main.mjs), rebuilt here in a
// few tens of milliseconds whenever a source is newer (scripts/cli-bundle.mjs says why a bundle and
// not tsx). When the bundle cannot be built, the sources run through tsx, as they always could.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/cli-bundle.mjs';

const bundle = await ensureCliBundle((line) => process.stderr.write(`${line}\n`));
let main;
if (bundle) {
  // `reverie dream`'s worker starts reading now, while the CLI's code loads (electron/cli/dream-ahead.ts).
  const { startDreamAhead } = await import(pathToFileURL(path.join(path.dirname(bundle), 'dream-ahead.mjs')).href);
  startDreamAhead(process.argv.slice(2));
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
