// Stores for the end-to-end specs, built from the real fixtures through the real CLI. The global
// setup builds one template (import + dream, a few seconds); each spec copies it, so specs can
// pin, delete and undo without seeing each other's changes, and the suite stays fast.
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { fixture, replayClaudeSession, runCli, tempDir } from '../helpers/env';

declare module 'vitest' {
  export interface ProvidedContext { templateStore: string }
}

/**
 * Four replays of a real Claude Code session whose `git commit` keeps failing (in two projects,
 * so two agents), plus every real Claude Code fixture: a learned lesson with evidence across
 * agents, and varied sessions around it for the timeline.
 */
export function buildFixtureStore(work: string): string {
  const store = path.join(work, 'store');
  const logs = path.join(work, 'logs');
  replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), logs, 4, (i) => `/home/dev/src/${i % 2 ? 'shop' : 'api'}`);
  const imported = runCli(['import', logs, fixture('claude-code'), '--store', store, '--json']);
  if (imported.code !== 0) throw new Error(`fixture import failed:\n${imported.stderr}`);
  const dreamt = runCli(['dream', '--store', store, '--json']);
  if (dreamt.code !== 0) throw new Error(`fixture dream failed:\n${dreamt.stderr}`);
  return store;
}

/** A private copy of the template store for one spec file. */
export function fixtureStore(): string {
  const template = inject('templateStore');
  const store = path.join(tempDir('reverie-e2e-'), 'store');
  fs.cpSync(template, store, { recursive: true, filter: (src) => !/\.lock$/.test(src) });
  return store;
}

/** Calls a contract method the way the page does, for checks behind the UI's back. */
export async function callApi<T = unknown>(origin: string, token: string, method: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Reverie-Token': token }, body: JSON.stringify(input) });
  const env = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${method}: ${env.error?.message}`);
  return env.result as T;
}
