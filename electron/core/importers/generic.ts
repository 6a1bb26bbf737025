// The documented fallback shape (docs/formats.md) for any tool Reverie has no importer for:
//   JSONL: one message per line {role, content, timestamp?, session?, project?, tool?, is_error?}
//   JSON:  an array of such messages, or {id?, title?, project?, messages: [...]}
// role: user | assistant | system | tool; content: a string or a list of {type:"text", text} blocks.
import path from 'node:path';
import { EventList } from './events';
import { firstChar, readJsonDocument, streamJsonArray } from './json';
import { readJsonLines } from './lines';
import { clip, textOfBlocks } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { arr, fileKey, fileScoped, isoTime, obj, recs, str, type Rec } from './values';

const MESSAGE = /"role"\s*:\s*"(user|assistant|system|tool|human|ai|model)"/;

export const generic: FormatImporter = {
  tool: 'generic',
  detect(head) {
    const c = firstChar(head);
    if (c === '[') return MESSAGE.test(head) && head.includes('"content"');
    if (c !== '{') return false;
    if (/^\s*\{[\s\S]*?"messages"\s*:\s*\[/.test(head.slice(0, 4096)) && MESSAGE.test(head)) return true;
    const first = head.split('\n', 1)[0];
    return MESSAGE.test(first) && first.includes('"content"');
  },
  async *parse(file, ctx) {
    const groups = new Map<string, { project: string | null; title: string | null; ev: EventList }>();
    const fallbackId = fileKey(file);
    const add = (m: Rec, n: number, sessionId: string | undefined, meta: { project?: string | null; title?: string | null } = {}) => {
      const sid = sessionId ?? str(m.session) ?? str(m.session_id) ?? str(m.conversation) ?? fallbackId;
      let g = groups.get(sid);
      if (!g) groups.set(sid, (g = { project: meta.project ?? null, title: meta.title ?? null, ev: new EventList(file) }));
      g.project ??= str(m.project) ?? str(m.cwd) ?? null;
      const role = str(m.role) ?? '';
      const text = typeof m.content === 'string' ? m.content : textOfBlocks(arr(m.content), ['text', 'input_text', 'output_text']);
      const base = { id: str(m.id) ?? `r${n}`, timestamp: isoTime(m.timestamp ?? m.time ?? m.created_at), line: n };
      if (role === 'user' || role === 'human') {
        g.title ??= text;
        g.ev.add({ ...base, kind: 'user', text });
      } else if (role === 'assistant' || role === 'ai' || role === 'model') g.ev.add({ ...base, kind: 'assistant', text });
      else if (role === 'system') g.ev.add({ ...base, kind: 'system', text, injected: true });
      else if (role === 'tool' || role === 'function') {
        const name = str(m.tool) ?? str(m.name) ?? 'tool';
        g.ev.add({ ...base, kind: 'tool_result', text, tool: { name, ...(str(m.tool_call_id) ? { callId: str(m.tool_call_id) } : {}) }, isError: m.is_error === true || m.error === true });
      } else ctx.warn({ line: n, reason: `unknown role ${JSON.stringify(role).slice(0, 40)}` });
    };
    const c = firstChar(ctx.head ?? '');
    if (c === '[') {
      for await (const { index, value } of streamJsonArray(file, ctx.onBytes)) {
        if (obj(value)) add(obj(value)!, index + 1, undefined);
        else ctx.warn({ record: String(index), reason: 'not a message object' });
      }
    } else if (/^\s*\{[\s\S]*?"messages"\s*:\s*\[/.test((ctx.head ?? '').slice(0, 4096)) && !looksLikeJsonl(ctx.head ?? '')) {
      const doc = obj(readJsonDocument(file)) ?? {};
      const sid = str(doc.id) ?? str(doc.session) ?? fallbackId;
      recs(doc.messages).forEach((m, i) => add(m, i + 1, sid, { project: str(doc.project) ?? str(doc.cwd) ?? null, title: str(doc.title) ?? null }));
    } else {
      for await (const { line, value } of readJsonLines(file, ctx)) add(value, line, undefined);
    }
    for (const [sid, g] of groups) {
      const events = g.ev.done();
      if (!events.length) continue;
      // An id from the contents is only unique in its file (see fileScoped); the fallback already names the file.
      const id = sid === fallbackId ? sid : fileScoped(sid, file);
      yield { id: `generic:${id}`, tool: 'generic', project: g.project, title: clip(g.title ?? path.basename(file), 120), events } satisfies ParsedSession;
    }
  },
};

/** Several complete JSON objects on separate lines (JSONL), as opposed to one pretty-printed document. */
function looksLikeJsonl(head: string): boolean {
  const lines = head.split('\n').filter((l) => l.trim());
  return lines.length > 1 && lines.slice(0, 2).every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'));
}
