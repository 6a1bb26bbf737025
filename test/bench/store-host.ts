// The "main process" of the store bench, run as its own process so its memory and timings are its
// own: opens the core on a generated store the way the app does, measures, starts the bridge, and on
// "dream" (a line on stdin) runs a dream in the worker while the bench hammers the bridge.
// Every figure goes to stdout as one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import writeFileAtomic from 'write-file-atomic';
import { startBridge } from '../../electron/bridge/server';
import { openCore } from '../../electron/core/core';
import { cliWorkerLauncher } from '../../electron/core/platform/node';
import { INDEX_FILE, MAIN_FILE } from '../../electron/core/store/store';

const dir = process.argv[2]!;
const say = (m: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(m)}\n`);
const rssMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1048576;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

const rssBeforeOpen = rssMB();
// 1. Open → lesson list, as the app's first screen does it.
let t = performance.now();
// Bundled (store.bench.ts), the dream worker bundled beside it; through tsx, the source worker.
const core = await openCore({ storeDir: dir, host: 'browser', worker: cliWorkerLauncher() });
const list = await core.dispatch('lessons.list', {});
const openToListMs = performance.now() - t;
if (!list.ok) throw new Error(list.error.message);
const lessons = list.result as { id: string }[];
// The rest of the first screen: counts need the session index (loaded on first use).
t = performance.now();
const info = await core.dispatch('app.info', {});
const infoMs = performance.now() - t;
if (!info.ok) throw new Error(info.error.message);
say({ type: 'open', openToListMs, lessons: lessons.length, infoMs, counts: (info.result as { counts: unknown }).counts });

// 2. Lesson edits: pin toggles and text edits, each saved durably.
const pin: number[] = [];
const edit: number[] = [];
for (let i = 0; i < 40; i++) {
  const id = lessons[i % lessons.length]!.id;
  t = performance.now();
  const r = await core.dispatch('lessons.pin', { id, pinned: i % 2 === 0 });
  pin.push(performance.now() - t);
  if (!r.ok) throw new Error(r.error.message);
  t = performance.now();
  const e = await core.dispatch('lessons.edit', { id, text: `Edited in the bench, round ${i}: run the tests before committing.` });
  edit.push(performance.now() - t);
  if (!e.ok) throw new Error(e.error.message);
}
// 3. Memory with the store open (index loaded), before any dream and before the baselines below
// (their throwaway copies of the documents would count too).
const rssOpen = rssMB(); // after a full GC
say({ type: 'rss', rssMB: rssOpen, heapMB: process.memoryUsage().heapUsed / 1048576, rssBeforeOpenMB: rssBeforeOpen });

// Baselines in the same process: bare read + JSON.parse of the two documents (no validation) …
// (The main document only: what opening the store reads; the dream log is read on first use.)
t = performance.now();
JSON.parse(fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8'));
const mainParseMs = performance.now() - t;
t = performance.now();
{
  // The session index: its head, and every line of the log it names (what app.info's counts read).
  const head = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as { log: { file: string } | null };
  if (head.log) for (const line of fs.readFileSync(path.join(dir, head.log.file), 'utf8').split('\n')) if (line) JSON.parse(line.slice(2));
}
const indexParseMs = performance.now() - t;
say({ type: 'baselines', mainParseMs, indexParseMs });
// … and one durable atomic write of the same main document (reverie.json as a pin writes it: the dreams are in their log).
const mainText = fs.readFileSync(path.join(dir, MAIN_FILE), 'utf8');
const raw: number[] = [];
for (let i = 0; i < 10; i++) {
  t = performance.now();
  await writeFileAtomic(path.join(dir, 'bench-baseline.json'), mainText, { fsync: true });
  raw.push(performance.now() - t);
}
fs.rmSync(path.join(dir, 'bench-baseline.json'), { force: true });
say({ type: 'edits', pinP50: pct(pin, 50), pinP95: pct(pin, 95), pinMax: Math.max(...pin), editP50: pct(edit, 50), editP95: pct(edit, 95), editMax: Math.max(...edit), rawWriteP50: pct(raw, 50) });


// 4. The bridge, then a dream on request.
const bridge = await startBridge({ dispatch: core.dispatch, events: core.events, port: 0 });
say({ type: 'bridge', origin: bridge.origin, token: bridge.token });
let peakDuringDream = 0;
const sampler = setInterval(() => (peakDuringDream = Math.max(peakDuringDream, process.memoryUsage().rss / 1048576)), 200);
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim() !== 'dream') continue;
  t = performance.now();
  const r = await core.dispatch('dreams.run', { full: true });
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.error.message);
  const d = r.result as { status: string; changes: unknown[]; stats: { sessionsRead: number; signalsRead: number } };
  say({ type: 'dream', ms, status: d.status, changes: d.changes.length, sessionsRead: d.stats.sessionsRead, signalsRead: d.stats.signalsRead, peakRssMB: peakDuringDream });
}
// stdin ended: the bench has stopped calling the bridge.
clearInterval(sampler);
await bridge.close();
await core.close();
