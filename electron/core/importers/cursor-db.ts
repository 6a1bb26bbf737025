// Cursor's own chat history: the SQLite databases (`state.vscdb`) of its VS Code-style user-data folder
// (~/.config/Cursor/User, ~/Library/Application Support/Cursor/User, %APPDATA%/Cursor/User). Read from
// an in-memory copy (sqlite.ts), never from the file Cursor has open. Layout (docs/formats.md "Cursor"):
//   globalStorage/state.vscdb, table cursorDiskKV:
//     composerData:<composerId>           a composer/agent chat: name, createdAt, lastUpdatedAt (ms),
//                                         fullConversationHeadersOnly [{bubbleId, type}] (the order),
//                                         or, in older versions, the bubbles inline (conversation[])
//     bubbleId:<composerId>:<bubbleId>    one message: type 1 user / 2 assistant, text, createdAt,
//                                         thinking.text, toolFormerData {name, rawArgs|params, result, status}
//   workspaceStorage/<hash>/state.vscdb, table ItemTable:
//     composer.composerData               {allComposers:[{composerId,…}]}: which composers belong here
//     workbench.panel.aichat.view.aichat.chatdata   the older chat panel: {tabs:[{tabId, chatTitle,
//                                         bubbles:[{type:'user'|'ai', id, text|rawText}], lastSendTime}]}
//   workspaceStorage/<hash>/workspace.json  {folder: "file:///…"}: the project the chats belong to.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'sql.js';
import { EventList } from './events';
import { EDITOR_DB } from './files';
import { kvRows, openDatabaseCopy, tableNames } from './sqlite';
import { clip } from './text';
import type { FormatImporter, ParseContext, ParsedSession } from './types';
import { isoTime, obj, parseJsonString, recs, str, type Rec } from './values';

/** Values are JSON objects or arrays (a bare `null` marks a deleted message). */
const parseJson = parseJsonString;
const iso = isoTime;

/** The project folder of a workspace database: workspace.json beside it names it as a file URI. */
export function workspaceFolder(dir: string): string | null {
  const meta = obj(parseJson(readText(path.join(dir, 'workspace.json')) ?? ''));
  const uri = str(meta?.folder) ?? str(meta?.workspace);
  if (!uri) return null;
  try {
    const p = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    // A multi-root workspace file stands for the folder it is in.
    return p.endsWith('.code-workspace') ? path.dirname(p) : p;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const composerIdsOf = (value: string): string[] => recs(obj(parseJson(value))?.allComposers).map((c) => str(c.composerId)).filter((id): id is string => !!id);

/**
 * Composer id → project folder, from the workspace databases beside a global database (the global one
 * holds the chats, each workspace lists the composers opened in it). Unreadable workspaces are skipped.
 */
async function composerProjects(globalDb: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const root = path.join(path.dirname(path.dirname(globalDb)), 'workspaceStorage');
  let hashes: string[];
  try {
    hashes = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const hash of hashes) {
    const dir = path.join(root, hash);
    const folder = workspaceFolder(dir);
    if (!folder || !fs.existsSync(path.join(dir, EDITOR_DB))) continue;
    let db: Database | null = null;
    try {
      db = await openDatabaseCopy(path.join(dir, EDITOR_DB));
      if (!tableNames(db).has('ItemTable')) continue;
      for (const [, value] of kvRows(db, 'ItemTable', { key: 'composer.composerData' })) for (const id of composerIdsOf(value)) out.set(id, folder);
    } catch {
      // a damaged workspace database only loses the project name of its chats
    } finally {
      db?.close();
    }
  }
  return out;
}

interface Bubble { key: string; value: Rec }

/**
 * A tool's result as text: Cursor stores it as a JSON string, often an envelope around the output
 * ({output, exitCode} for a terminal command); the output itself is what a person (and the error
 * miner) reads.
 */
function toolOutput(raw: unknown): { text: string; exitCode?: number } | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const parsed = typeof raw === 'string' ? parseJson(raw) : raw;
  const o = obj(parsed);
  const text = o ? (str(o.output) ?? str(o.stdout) ?? str(o.error) ?? str(o.contents) ?? str(o.diff)) : undefined;
  const code = o && typeof o.exitCode === 'number' ? o.exitCode : undefined;
  return { text: text ?? (typeof raw === 'string' ? raw : JSON.stringify(raw)), ...(code !== undefined ? { exitCode: code } : {}) };
}

/** One composer (agent/chat) conversation as a session. */
function composerSession(file: string, composer: Rec, bubbles: Bubble[], project: string | null): ParsedSession | null {
  const id = str(composer.composerId);
  if (!id) return null;
  const ev = new EventList(file);
  const created = iso(composer.createdAt);
  let title: string | null = str(composer.name) ?? null;
  bubbles.forEach(({ key, value: b }, i) => {
    const bid = str(b.bubbleId) ?? String(i);
    // Cursor often leaves createdAt out of bubbles: the first falls back to the chat's creation.
    const timestamp = iso(b.createdAt) ?? iso(b.timestamp) ?? (i === 0 ? created : null);
    const base = { record: key, timestamp };
    const type = b.type;
    if (type === 1 || type === 'user') {
      const text = str(b.text) ?? '';
      title ??= text.trim() ? text : null;
      ev.add({ ...base, id: `b:${bid}`, kind: 'user', text });
      return;
    }
    const thinking = str(obj(b.thinking)?.text);
    if (thinking) ev.add({ ...base, id: `b:${bid}#thinking`, kind: 'thinking', text: thinking });
    const text = str(b.text) ?? str(b.rawText);
    if (text) ev.add({ ...base, id: `b:${bid}`, kind: 'assistant', text });
    const tool = obj(b.toolFormerData);
    if (tool) {
      const name = str(tool.name) ?? str(tool.tool) ?? 'tool';
      const argsRaw = tool.rawArgs ?? tool.params ?? tool.args;
      const input = typeof argsRaw === 'string' ? argsRaw : JSON.stringify(argsRaw ?? {});
      const args = obj(parseJson(input)) ?? {};
      const callId = str(tool.toolCallId) ?? bid;
      const gist = str(args.command) ?? str(args.target_file) ?? str(args.relative_workspace_path) ?? str(args.path) ?? str(args.query) ?? input;
      ev.add({ ...base, id: `b:${bid}#call`, kind: 'tool_call', text: `${name} ${clip(gist, 300)}`, tool: { name, callId, input } });
      const status = str(tool.status) ?? str(obj(tool.additionalData)?.status);
      const result = toolOutput(tool.result);
      const rejected = str(tool.userDecision) === 'rejected' || status === 'cancelled';
      if (result || status === 'error' || rejected) {
        const failed = status === 'error' || rejected || (result?.exitCode ?? 0) !== 0;
        ev.add({ ...base, id: `b:${bid}#result`, kind: 'tool_result', text: result?.text ?? (rejected ? 'The user rejected this tool call.' : 'The tool failed.'), tool: { name, callId }, isError: failed, ...(rejected ? { rejected: true } : {}) });
      }
    }
  });
  const events = ev.done();
  if (!events.length) return null;
  const updated = iso(composer.lastUpdatedAt);
  if (updated && !events[events.length - 1].timestamp) events[events.length - 1].timestamp = updated;
  return { id: `cursor:composer:${id}`, tool: 'cursor', project, title: clip(title ?? 'Cursor chat', 120), events };
}

/** The bubbles of a composer in conversation order: the header list names them; older versions keep them inline. */
function orderedBubbles(composer: Rec, stored: Map<string, Bubble>, composerId: string): Bubble[] {
  const headers = recs(composer.fullConversationHeadersOnly);
  if (headers.length) {
    return headers.map((h) => stored.get(str(h.bubbleId) ?? '')).filter((b): b is Bubble => !!b);
  }
  const inline = recs(composer.conversation);
  if (inline.length) return inline.map((b, i) => ({ key: `composerData:${composerId}#conversation[${i}]`, value: b }));
  // No order given: by time, as stored.
  return [...stored.values()].sort((a, b) => (iso(a.value.createdAt) ?? '').localeCompare(iso(b.value.createdAt) ?? ''));
}

function* globalSessions(file: string, db: Database, projects: Map<string, string>, ctx: ParseContext): Generator<ParsedSession> {
  for (const [key, value] of kvRows(db, 'cursorDiskKV', { prefix: 'composerData:' })) {
    const composer = obj(parseJson(value));
    if (!composer) {
      ctx.warn({ record: key, reason: 'composer record is not a JSON object' });
      continue;
    }
    const composerId = str(composer.composerId) ?? key.slice('composerData:'.length);
    composer.composerId = composerId;
    const stored = new Map<string, Bubble>();
    for (const [bkey, bvalue] of kvRows(db, 'cursorDiskKV', { prefix: `bubbleId:${composerId}:` })) {
      const b = obj(parseJson(bvalue));
      if (!b) {
        // JSON null marks a deleted bubble; anything else unreadable is reported.
        if (bvalue.trim() !== 'null') ctx.warn({ record: bkey, reason: 'message record is not a JSON object' });
        continue;
      }
      stored.set(str(b.bubbleId) ?? bkey.slice(bkey.lastIndexOf(':') + 1), { key: bkey, value: b });
    }
    const s = composerSession(file, composer, orderedBubbles(composer, stored, composerId), projects.get(composerId) ?? null);
    if (s) yield s;
  }
}

function* workspaceSessions(file: string, db: Database, project: string | null, ctx: ParseContext): Generator<ParsedSession> {
  // The older chat panel: every tab is a conversation, whole, in one value.
  for (const [key, value] of kvRows(db, 'ItemTable', { key: 'workbench.panel.aichat.view.aichat.chatdata' })) {
    const data = obj(parseJson(value));
    if (!data) {
      ctx.warn({ record: key, reason: 'chat data is not a JSON object' });
      continue;
    }
    for (const [t, tab] of recs(data.tabs).entries()) {
      const tabId = str(tab.tabId) ?? str(tab.id) ?? String(t);
      const ev = new EventList(file);
      let title: string | null = str(tab.chatTitle) ?? str(tab.title) ?? null;
      const bubbles = recs(tab.bubbles);
      bubbles.forEach((b, i) => {
        const id = `tab:${tabId}:${str(b.id) ?? i}`;
        const record = `${key}#tabs[${t}].bubbles[${i}]`;
        const timestamp = iso(b.createdAt) ?? iso(b.timestamp) ?? (i === bubbles.length - 1 ? iso(tab.lastSendTime) : null);
        if (str(b.type) === 'user') {
          const text = str(b.text) ?? str(b.rawText) ?? '';
          title ??= text.trim() ? text : null;
          ev.add({ id, record, timestamp, kind: 'user', text });
        } else ev.add({ id, record, timestamp, kind: 'assistant', text: str(b.text) ?? str(b.rawText) ?? '' });
      });
      const events = ev.done();
      if (events.length) yield { id: `cursor:chat:${tabId}`, tool: 'cursor', project, title: clip(title ?? 'Cursor chat', 120), events };
    }
  }
  // Composers of versions that kept their conversation inline in the workspace (newer ones only list ids here).
  for (const [key, value] of kvRows(db, 'ItemTable', { key: 'composer.composerData' })) {
    for (const composer of recs(obj(parseJson(value))?.allComposers)) {
      const composerId = str(composer.composerId);
      if (!composerId || !recs(composer.conversation).length) continue;
      const bubbles = recs(composer.conversation).map((b, i) => ({ key: `${key}#${composerId}.conversation[${i}]`, value: b }));
      const s = composerSession(file, composer, bubbles, project);
      if (s) yield s;
    }
  }
}

/** Databases bigger than this are not opened just to count (discovery stays quick); the import counts them. */
const COUNT_LIMIT_BYTES = 256 * 1024 * 1024;

/**
 * How many conversations the Cursor databases under a folder hold (composers with messages, chat-panel
 * tabs), for discovery; null when a database is too big to open just for a count or cannot be read.
 */
export async function countCursorChats(files: string[]): Promise<number | null> {
  let n = 0;
  for (const file of files) {
    try {
      if (fs.statSync(file).size > COUNT_LIMIT_BYTES) return null;
    } catch {
      continue;
    }
    let db: Database | null = null;
    try {
      db = await openDatabaseCopy(file);
      const tables = tableNames(db);
      if (tables.has('cursorDiskKV')) {
        for (const [, v] of kvRows(db, 'cursorDiskKV', { prefix: 'composerData:' })) {
          const c = obj(parseJson(v));
          if (c && (recs(c.fullConversationHeadersOnly).length || recs(c.conversation).length)) n++;
        }
      }
      if (tables.has('ItemTable')) {
        for (const [, v] of kvRows(db, 'ItemTable', { key: 'workbench.panel.aichat.view.aichat.chatdata' })) n += recs(obj(parseJson(v))?.tabs).filter((t) => recs(t.bubbles).length).length;
        for (const [, v] of kvRows(db, 'ItemTable', { key: 'composer.composerData' })) n += recs(obj(parseJson(v))?.allComposers).filter((c) => recs(c.conversation).length).length;
      }
    } catch {
      return null;
    } finally {
      db?.close();
    }
  }
  return n;
}

export const cursorDb: FormatImporter = {
  tool: 'cursor',
  detect(head, file) {
    return head.startsWith('SQLite format 3\u0000') && path.basename(file) === EDITOR_DB;
  },
  async *parse(file, ctx) {
    const db = await openDatabaseCopy(file);
    const found: ParsedSession[] = [];
    try {
      const tables = tableNames(db);
      if (!tables.has('ItemTable') && !tables.has('cursorDiskKV')) throw new Error('no ItemTable or cursorDiskKV table: not a VS Code-style state database');
      if (tables.has('cursorDiskKV')) {
        const projects = path.basename(path.dirname(file)) === 'globalStorage' ? await composerProjects(file) : new Map<string, string>();
        found.push(...globalSessions(file, db, projects, ctx));
      }
      if (tables.has('ItemTable')) found.push(...workspaceSessions(file, db, workspaceFolder(path.dirname(file)), ctx));
    } finally {
      db.close();
    }
    ctx.onBytes?.(fs.statSync(file).size);
    // VS Code and other editors keep a state.vscdb too: one without Cursor chats holds no sessions.
    if (!found.length) ctx.skip('no Cursor chats in this database');
    yield* found;
  },
};
