// Gemini CLI chat recordings (~/.gemini/tmp/<project>/chats), FORMATS.md §5: one JSON document
// {sessionId, projectHash, messages[]} (2025), or JSONL (2026) with a metadata line, message lines,
// {"$set": {…}} updates and {"$rewindTo": id} rewinds. Tool calls live inside the gemini message.
import path from 'node:path';
import type { SessionEvent } from '../../../shared/model';
import { EventList } from './events';
import { firstChar, readJsonDocument } from './json';
import { readJsonLines } from './lines';
import { clip } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { arr, isoTime, obj, recs, str, type Rec } from './values';

export const gemini: FormatImporter = {
  tool: 'gemini-cli',
  detect(head) {
    return firstChar(head) === '{' && head.includes('"sessionId"') && head.includes('"projectHash"');
  },
  async *parse(file, ctx) {
    const meta: Rec = {};
    const messages: { rec: Rec; line: number }[] = [];
    const rewinds: { at: number; to: string }[] = [];
    // JSONL starts with a small metadata line; a JSON document's first line is just "{" or the whole object.
    const firstLine = (ctx.head ?? '').split('\n', 1)[0].trim();
    const isJsonl = firstLine.startsWith('{') && firstLine.endsWith('}') && (ctx.head ?? '').split('\n').filter((l) => l.trim()).length > 1 && !firstLine.includes('"messages"');
    if (isJsonl) {
      for await (const { line, value } of readJsonLines(file, ctx)) {
        if (obj(value.$set)) Object.assign(meta, value.$set);
        else if (typeof value.$rewindTo === 'string') rewinds.push({ at: messages.length, to: value.$rewindTo });
        else if (typeof value.type === 'string' && value.id !== undefined) messages.push({ rec: value, line });
        else if (value.sessionId) Object.assign(meta, value);
      }
    } else {
      const doc = obj(readJsonDocument(file));
      if (!doc) throw new Error('not a Gemini CLI session object');
      Object.assign(meta, doc);
      recs(doc.messages).forEach((rec, i) => messages.push({ rec, line: i + 1 }));
    }
    // A rewind to message X abandons X and everything recorded after it up to the rewind (the user re-asks from there).
    const abandoned = new Set<number>();
    for (const r of rewinds) {
      const idx = messages.findIndex((m, i) => i < r.at && String(m.rec.id) === r.to);
      if (idx >= 0) for (let i = idx; i < r.at; i++) abandoned.add(i);
    }
    const ev = new EventList(file);
    let title: string | null = null;
    messages.forEach(({ rec, line }, i) => {
      const branch: SessionEvent['branch'] = abandoned.has(i) ? 'abandoned' : rewinds.length ? 'active' : undefined;
      const base = { timestamp: isoTime(rec.timestamp), line, record: String(rec.id), ...(branch ? { branch } : {}) };
      const id = `m${String(rec.id)}`;
      const text = contentText(rec.content);
      switch (str(rec.type)) {
        case 'user':
          if (!title && text.trim() && !text.startsWith('/')) title = text;
          ev.add({ id, kind: 'user', text, ...base });
          break;
        case 'gemini':
          for (const [k, t] of recs(rec.thoughts).entries()) ev.add({ id: `${id}#t${k}`, kind: 'thinking', text: [str(t.subject), str(t.description)].filter(Boolean).join(': '), ...base });
          ev.add({ id, kind: 'assistant', text, ...base });
          for (const call of recs(rec.toolCalls)) addToolCall(ev, id, call, base);
          break;
        case 'error':
          ev.add({ id, kind: 'system', text, isError: true, injected: true, ...base });
          break;
        case 'info':
        case 'warning':
          ev.add({ id, kind: 'system', text, injected: true, ...(/cancel/i.test(text) ? { interrupt: true } : {}), ...base });
          break;
        default:
      }
    });
    const events = ev.done();
    if (!events.length) return;
    const sessionId = str(meta.sessionId) ?? path.basename(file).replace(/\.jsonl?$/, '');
    yield { id: `gemini:${sessionId}`, tool: 'gemini-cli', project: projectOf(meta, file), title: clip(title ?? 'Gemini CLI session', 120), events } satisfies ParsedSession;
  },
};

function addToolCall(ev: EventList, msgId: string, call: Rec, base: { timestamp: string | null; line: number; record: string; branch?: SessionEvent['branch'] }): void {
  const name = str(call.name) ?? 'tool';
  const callId = str(call.id) ?? `${msgId}:${name}`;
  const args = obj(call.args) ?? {};
  const ts = isoTime(call.timestamp) ?? base.timestamp;
  const target = str(args.command) ?? str(args.file_path) ?? str(args.path) ?? str(args.query) ?? str(args.pattern) ?? JSON.stringify(args);
  ev.add({ ...base, timestamp: ts, id: `${msgId}#call:${callId}`, kind: 'tool_call', text: `${name} ${clip(target, 300)}`, tool: { name, callId, input: JSON.stringify(args) } });
  const status = str(call.status);
  const resultText = str(call.resultDisplay) ?? functionResponseText(call.result);
  ev.add({
    ...base, timestamp: ts, id: `${msgId}#result:${callId}`, kind: 'tool_result', text: resultText, tool: { name, callId },
    isError: status === 'error' || status === 'cancelled',
    ...(status === 'cancelled' ? { rejected: true } : {}),
  });
}

function functionResponseText(result: unknown): string {
  const out: string[] = [];
  for (const part of recs(result)) {
    const resp = obj(obj(part.functionResponse)?.response);
    if (resp) out.push(str(resp.output) ?? str(resp.error) ?? JSON.stringify(resp));
    else if (typeof part.text === 'string') out.push(part.text);
  }
  return out.join('\n');
}

/** content is a string or a Gemini Part list ({text} | {functionCall} | …). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content).map((p) => (typeof p === 'string' ? p : str(obj(p)?.text) ?? '')).filter(Boolean).join('\n');
}

/** The recording knows its folder list (newer builds) but only a hash of the root in older ones. */
function projectOf(meta: Rec, file: string): string | null {
  const dirs = arr(meta.directories).filter((d): d is string => typeof d === 'string');
  if (dirs[0]) return dirs[0];
  // Newer CLIs name the tmp folder after the project instead of its SHA-256.
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('chats');
  const folder = i > 0 ? parts[i - 1] : undefined;
  return folder && !/^[0-9a-f]{64}$/.test(folder) && parts[i - 2] === 'tmp' ? folder : null;
}
