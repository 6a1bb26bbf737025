// The import pipeline: walk paths → detect each file's format by content → parse to sessions →
// redact → extract signals → store. Idempotent through a per-file ledger; every problem is
// reported with its file (and line/record) and never stops the rest of the batch.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Agent, AgentTool, ImportError, ImportResult, Session, SessionEvent } from '../../../shared/model';
import { extractSignals } from '../dreaming/signals';
import { redact } from '../redaction';
import type { Store } from '../store/store';
import { aider } from './aider';
import { chatgpt } from './chatgpt';
import { claudeAi } from './claude-ai';
import { claudeCode } from './claude-code';
import { cline, clineTaskPart } from './cline';
import { codex } from './codex';
import { cursor } from './cursor';
import { gemini } from './gemini';
import { generic } from './generic';
import { openHands } from './openhands';
import { sweAgent } from './swe-agent';
import type { FormatImporter, ParsedSession } from './types';

/** Formats in detection order: the most specific shapes first, the generic fallback last. */
export const IMPORTERS: FormatImporter[] = [claudeCode, codex, gemini, chatgpt, claudeAi, cline, clineTaskPart, sweAgent, openHands, cursor, aider, generic];

const CANDIDATE_EXT = /\.(jsonl|json|md|traj)$/i;
const HEAD_BYTES = 64 * 1024;

export interface ImportOptions {
  /** Overrides the agent name for everything in this batch. */
  agent?: string;
  onProgress?: (p: { file: string; filesDone: number; filesTotal: number; sessions: number }) => void;
}

export async function importPaths(store: Store, paths: string[], opts: ImportOptions = {}): Promise<ImportResult> {
  const result: ImportResult = { files: 0, sessions: 0, events: 0, skipped: 0, errors: [] };
  const files: string[] = [];
  for (const p of paths) collectFiles(path.resolve(p), files, result.errors, true);
  for (const [i, file] of files.entries()) {
    await importFile(store, file, opts, result);
    opts.onProgress?.({ file, filesDone: i + 1, filesTotal: files.length, sessions: result.sessions });
  }
  await store.writeIndex();
  await store.writeMain();
  return result;
}

function collectFiles(p: string, out: string[], errors: ImportError[], explicit: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (err) {
    errors.push({ file: p, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return;
  }
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = fs.readdirSync(p).sort();
    } catch (err) {
      errors.push({ file: p, reason: `cannot list folder: ${(err as NodeJS.ErrnoException).code}` });
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name === '.git') continue;
      collectFiles(path.join(p, name), out, errors, false);
    }
  } else if (st.isFile() && (explicit || CANDIDATE_EXT.test(p) || path.basename(p).startsWith('.aider.chat'))) {
    out.push(p);
  }
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

const looksBinary = (head: Buffer) => head.includes(0) || head.toString('utf8').split('\uFFFD').length > 8;

export function detectFormat(head: string, file: string): FormatImporter | undefined {
  return IMPORTERS.find((imp) => imp.detect(head, file));
}

async function importFile(store: Store, file: string, opts: ImportOptions, result: ImportResult): Promise<void> {
  let st: fs.Stats;
  let head: Buffer;
  try {
    st = fs.statSync(file);
    head = readHead(file);
  } catch (err) {
    result.errors.push({ file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return;
  }
  result.files++;
  if (st.size === 0) return void result.errors.push({ file, reason: 'empty file' });
  if (looksBinary(head)) return void result.errors.push({ file, reason: 'binary file, not a session log' });
  const headHash = createHash('sha256').update(head.subarray(0, 4096)).digest('hex').slice(0, 32);
  const seen = store.index.data.ledger[file];
  if (seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs && seen.headHash === headHash) {
    result.skipped++;
    return;
  }
  const importer = detectFormat(head.toString('utf8'), file);
  if (!importer) return void result.errors.push({ file, reason: 'unknown format: not a session log Reverie can read' });

  const warnings: ImportError[] = [];
  const sessionIds: string[] = [];
  let skippedWhy: string | null = null;
  try {
    for await (const parsed of importer.parse(file, { file, head: head.toString('utf8'), warn: (w) => warnings.push({ file, ...w }), skip: (why) => (skippedWhy = why) })) {
      const stored = await storeSession(store, parsed, file, opts.agent);
      sessionIds.push(stored.id);
      result.sessions++;
      result.events += stored.eventCount;
    }
  } catch (err) {
    result.errors.push({ file, reason: `could not be parsed as ${importer.tool}: ${(err as Error).message}` });
    return;
  }
  if (!sessionIds.length && skippedWhy) return void result.skipped++;
  // A file whose every line failed is an error of the file; a few bad lines are per-line reports.
  if (!sessionIds.length) {
    result.errors.push(warnings[0] ? { ...warnings[0], reason: `no session found: ${warnings[0].reason}` } : { file, reason: `no conversation found in this ${importer.tool} file` });
    if (warnings.length > 1) result.errors.push(...warnings.slice(1, 20));
    return;
  }
  result.errors.push(...warnings.slice(0, 20));
  store.index.data.ledger[file] = {
    path: file,
    size: st.size,
    mtimeMs: st.mtimeMs,
    headHash,
    offset: st.size,
    format: importer.tool,
    sessionIds,
    importedAt: new Date().toISOString(),
  };
}

export function agentFor(tool: AgentTool, project: string | null, override?: string): Agent {
  if (override) return { id: `${tool}:${override}`, tool, project, name: override };
  const label: Record<AgentTool, string> = {
    'claude-code': 'Claude Code', codex: 'Codex', 'gemini-cli': 'Gemini CLI', cline: 'Cline', aider: 'Aider', chatgpt: 'ChatGPT',
    'claude-ai': 'Claude.ai', 'swe-agent': 'SWE-agent', openhands: 'OpenHands', cursor: 'Cursor', generic: 'Agent',
  };
  const base = project ? path.basename(project.replace(/[\\/]+$/, '')) : null;
  return { id: project ? `${tool}:${project}` : tool, tool, project, name: base ? `${label[tool]} · ${base}` : label[tool] };
}

function redactEvent(e: SessionEvent): SessionEvent {
  return { ...e, text: redact(e.text), ...(e.tool ? { tool: { ...e.tool, ...(e.tool.input ? { input: redact(e.tool.input) } : {}) } } : {}) };
}

async function storeSession(store: Store, parsed: ParsedSession, file: string, agentOverride?: string): Promise<Session> {
  const agent = agentFor(parsed.tool, parsed.project, agentOverride);
  if (!store.data.agents.some((a) => a.id === agent.id)) store.data.agents.push(agent);
  let events = parsed.events.map(redactEvent);
  const existing = store.readSessionDoc(parsed.id);
  const files = new Set([file]);
  if (existing) {
    // A session that continues in another file (or a grown file): merge by stable event id.
    const known = new Set(existing.events.map((e) => e.id));
    events = [...existing.events, ...events.filter((e) => !known.has(e.id))];
    existing.session.files.forEach((f) => files.add(f));
  }
  events = events.map((e, seq) => ({ ...e, seq }));
  const signals = extractSignals(parsed.id, agent, events);
  const stamps = events.map((e) => e.timestamp).filter((t): t is string => !!t).sort();
  const unchanged = existing && existing.events.length === events.length;
  const session: Session = {
    id: parsed.id,
    agentId: agent.id,
    tool: parsed.tool,
    project: parsed.project,
    title: redact(parsed.title),
    startedAt: stamps[0] ?? null,
    endedAt: stamps[stamps.length - 1] ?? null,
    eventCount: events.length,
    errorCount: events.filter((e) => e.isError).length,
    correctionCount: signals.filter((s) => s.kind === 'correction' || s.kind === 'rejection').length,
    files: [...files],
    importedAt: existing?.session.importedAt ?? new Date().toISOString(),
    dreamt: unchanged ? existing.session.dreamt : false,
  };
  await store.writeSessionDoc({ session, events, signals });
  const idx = store.index.data.sessions.findIndex((s) => s.id === session.id);
  if (idx >= 0) store.index.data.sessions[idx] = session;
  else store.index.data.sessions.push(session);
  return session;
}
