// Shared test plumbing: where the real fixtures live, temp folders, running the real CLI.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../electron/core/platform/node';

export { PROJECT_ROOT };
/** The real session samples, kept in the repository (origins and licences: SOURCES.md, THIRD-PARTY.md there). */
export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'real');
export const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

export function tempDir(prefix = 'reverie-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CliResult { code: number | null; stdout: string; stderr: string; json: unknown }

const parseJson = (stdout: string): unknown => {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
};

/** Like runCli, but without blocking this process: for tests whose servers (a fake API) live in it. */
export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr, json: parseJson(stdout) }));
  });
}

/** Polls `fn` (sync or async) every 25 ms until it returns something truthy, which it returns; throws after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'reverie.mjs'), ...args], {
    encoding: 'utf8',
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...opts.env },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: parseJson(r.stdout) };
}

/**
 * Writes `copies` replays of a real Claude Code transcript, each with fresh session and record ids
 * (and, optionally, its own project), as if the agent had done the same work again. Used where a
 * test needs a real mistake to recur across sessions: the shipped fixtures are all different work.
 */
export function replayClaudeSession(src: string, outDir: string, copies: number, project?: (i: number) => string): string[] {
  const lines = fs.readFileSync(src, 'utf8').split('\n').filter((l) => l.trim());
  const files: string[] = [];
  for (let i = 0; i < copies; i++) {
    const sessionId = randomUUID();
    const ids = new Map<string, string>();
    const map = (u: unknown) => (typeof u === 'string' ? (ids.get(u) ?? (ids.set(u, randomUUID()), ids.get(u)!)) : u);
    const out = lines.map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      if ('sessionId' in r) r.sessionId = sessionId;
      for (const k of ['uuid', 'parentUuid', 'logicalParentUuid']) if (typeof r[k] === 'string') r[k] = map(r[k]);
      if (project && typeof r.cwd === 'string') r.cwd = project(i);
      if (typeof r.timestamp === 'string') r.timestamp = new Date(Date.parse(r.timestamp) + i * 86_400_000).toISOString();
      return JSON.stringify(r);
    });
    const file = path.join(outDir, `${sessionId}.jsonl`);
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(file, `${out.join('\n')}\n`);
    files.push(file);
  }
  return files;
}
