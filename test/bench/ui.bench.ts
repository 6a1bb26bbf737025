// The UI on a 10,000-session store, in Chromium through the real bridge (browser mode):
//  - Lessons paint: from navigation start until the lesson cards are on screen (budget 1 s), as a
//    ratio against the same measurement on a small store;
//  - Timeline scroll: long tasks (> 50 ms) while scrolling the whole virtualized list top to
//    bottom, observed with the browser's Long Tasks API (budget: none).
// Needs the built renderer (`npm run build`) and Debian's chromium, like the e2e suite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, serve } from '../e2e/harness';
import { tempDir } from '../helpers/env';
import { generateStore } from './generate-store';

const PAINT_BUDGET_MS = 1000;
const LONG_TASK_MS = 50;

async function lessonsPaint(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Timed inside the page (the test driver's polling would add its own latency): the first frame
  // after the first lesson card enters the DOM, in ms since navigation start.
  await page.addInitScript(`new MutationObserver((_, obs) => {
    if (!document.querySelector('li.lesson')) return;
    obs.disconnect();
    requestAnimationFrame(() => { window.__lessonsPaint = performance.now(); });
  }).observe(document, { childList: true, subtree: true });`);
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { __lessonsPaint?: number }).__lessonsPaint !== undefined);
  const ms = (await page.evaluate('window.__lessonsPaint')) as number;
  await page.close();
  return ms;
}

async function timelineScroll(browser: Browser, url: string): Promise<{ longTasks: number[]; rows: number; frames: number; ms: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Timeline/ }).click();
  await page.waitForSelector('.tl-row');
  await page.waitForTimeout(300);
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  return page.evaluate(SCROLL_SCRIPT.replace('THRESHOLD', String(LONG_TASK_MS))) as Promise<{ longTasks: number[]; rows: number; frames: number; ms: number }>;
}

const SCROLL_SCRIPT = `(async () => {
  const longTasks = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration > THRESHOLD) longTasks.push(Math.round(e.duration)); });
  obs.observe({ type: 'longtask', buffered: false });
  const el = document.querySelector('.tl-scroll');
  const started = performance.now();
  let frames = 0;
  // Scroll like a fast trackpad: a screenful per frame, top to bottom.
  await new Promise((done) => {
    const step = () => {
      frames++;
      el.scrollTop += el.clientHeight;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return done();
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  await new Promise((r) => setTimeout(r, 200));
  obs.disconnect();
  return { longTasks, rows: Number(el.getAttribute('aria-rowcount')), frames, ms: Math.round(performance.now() - started) };
})()`;

/**
 * Lessons paint on the store in `dir` (median of three after a warm-up, Chromium compiles the bundle on
 * first load), beside the same on a small store generated here; `then` runs on the same browser and served store.
 */
export async function measureLessonsPaint<T = undefined>(dir: string, then?: (browser: Browser, url: string) => Promise<T>): Promise<{ ms: number; smallMs: number; then?: T }> {
  const work = tempDir('reverie-bench-ui-');
  const small = path.join(work, 'small');
  generateStore(small, { sessions: 10, lessons: 12 });
  const browser = await launch();
  const bigServed = await serve(dir);
  const smallServed = await serve(small);
  try {
    await lessonsPaint(browser, smallServed.url);
    await lessonsPaint(browser, bigServed.url);
    const median = async (url: string) => [await lessonsPaint(browser, url), await lessonsPaint(browser, url), await lessonsPaint(browser, url)].sort((a, b) => a - b)[1]!;
    const smallMs = await median(smallServed.url);
    const ms = await median(bigServed.url);
    return { ms, smallMs, ...(then ? { then: await then(browser, bigServed.url) } : {}) };
  } finally {
    await browser.close();
    await bigServed.stop();
    await smallServed.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export default async function uiBench(): Promise<void> {
  const work = tempDir('reverie-bench-ui-');
  const big = path.join(work, 'big');
  const gen = generateStore(big, { sessions: 10_000 });
  // Shared machines skew browser timings: say how busy this one was.
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log(`store: ${gen.sessions.toLocaleString()} sessions, ${gen.events.toLocaleString()} events, ${gen.lessons} lessons (generated in ${gen.ms} ms)`);
  try {
    const { ms: bigMs, smallMs, then: scroll } = await measureLessonsPaint(big, timelineScroll);
    console.log(`Lessons paint, 10k-session store: ${bigMs.toFixed(0)} ms (budget ${PAINT_BUDGET_MS} ms: ${bigMs <= PAINT_BUDGET_MS ? 'ok' : 'OVER'}); small store ${smallMs.toFixed(0)} ms; ratio ${(bigMs / smallMs).toFixed(2)}×`);
    console.log(`Timeline scroll, ${scroll!.rows.toLocaleString()} rows in ${scroll!.frames} frames (${scroll!.ms} ms): ${scroll!.longTasks.length} long tasks > ${LONG_TASK_MS} ms${scroll!.longTasks.length ? ` (${scroll!.longTasks.join(', ')} ms)` : ''}: ${scroll!.longTasks.length === 0 ? 'ok' : 'OVER'}`);
    if (bigMs > PAINT_BUDGET_MS || scroll!.longTasks.length > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
