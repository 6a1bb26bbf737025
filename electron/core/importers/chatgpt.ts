// ChatGPT data export (conversations.json, or the split conversations-000.json …), FORMATS.md §3.
// Each conversation's `mapping` is a tree; the thread shown to the user is current_node → root.
// Other branches (regenerations, edited prompts) are kept, marked abandoned: they are where the
// user disliked an answer. Exports can be hundreds of MB, so conversations are streamed one by one.
import type { SessionEvent } from '../../../shared/model';
import { ERROR_TEXT, EventList, type EventDraft } from './events';
import { exportRecords, firstChar } from './json';
import { clip } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { arr, fileScoped, isoTime, obj, recs, str, type Rec } from './values';

export const chatgpt: FormatImporter = {
  tool: 'chatgpt',
  detect(head) {
    const c = firstChar(head);
    return (c === '[' || c === '{') && head.includes('"mapping"') && /"(current_node|conversation_id|create_time)"/.test(head);
  },
  async *parse(file, ctx) {
    for await (const { index, value } of exportRecords(file, ctx.head, ctx.onBytes)) {
      const conv = obj(value);
      if (!conv || !obj(conv.mapping)) {
        ctx.warn({ record: String(index), reason: 'not a ChatGPT conversation (no mapping)' });
        continue;
      }
      const s = conversation(conv, file, index);
      if (s) yield s;
    }
  },
};

function conversation(conv: Rec, file: string, index: number): ParsedSession | null {
  const mapping = obj(conv.mapping)!;
  const node = (id: unknown) => (typeof id === 'string' ? obj(mapping[id]) : undefined);
  const active = new Set<string>();
  for (let id = str(conv.current_node), guard = 0; id && node(id) && !active.has(id) && guard < 100_000; guard++) {
    active.add(id);
    id = str(node(id)!.parent);
  }
  const roots = Object.keys(mapping).filter((id) => !node(node(id)?.parent));
  const ev = new EventList(file);
  const toolNames = new Map<string, string>();
  // Depth-first from the root, the active child last: a superseded answer reads right before its replacement.
  const visited = new Set<string>();
  const stack = [...roots].reverse();
  while (stack.length) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const n = node(id);
    if (!n) continue;
    const msg = obj(n.message);
    if (msg) addMessage(ev, msg, id, index, active.size ? (active.has(id) ? 'active' : 'abandoned') : undefined, toolNames);
    const children = arr(n.children).filter((c): c is string => typeof c === 'string' && !!node(c));
    children.sort((a, b) => Number(active.has(a)) - Number(active.has(b)) || (num0(node(a)) - num0(node(b))));
    for (const c of [...children].reverse()) stack.push(c);
  }
  const events = ev.done();
  if (!events.length) return null;
  // Without its own id a conversation is known only by its position in this file: scoped to the file.
  const id = str(conv.conversation_id) ?? str(conv.id) ?? fileScoped(`${index}`, file);
  const title = str(conv.title) || events.find((e) => e.kind === 'user')?.text || 'ChatGPT conversation';
  return { id: `chatgpt:${id}`, tool: 'chatgpt', project: null, title: clip(title, 120), events };
}

const num0 = (n: Rec | undefined) => Number(obj(n?.message)?.create_time ?? 0) || 0;

function partsText(content: Rec): string {
  const parts = arr(content.parts).map((p) => (typeof p === 'string' ? p : str(obj(p)?.text) ?? '')).filter((p) => p.trim());
  return parts.length ? parts.join('\n') : (str(content.text) ?? str(content.result) ?? '');
}

function addMessage(ev: EventList, msg: Rec, nodeId: string, convIndex: number, branch: SessionEvent['branch'], toolNames: Map<string, string>): void {
  const meta = obj(msg.metadata) ?? {};
  if (msg.weight === 0 || meta.is_visually_hidden_from_conversation) return;
  const role = str(obj(msg.author)?.role);
  const authorName = str(obj(msg.author)?.name);
  const content = obj(msg.content) ?? {};
  const type = str(content.content_type) ?? 'text';
  const recipient = str(msg.recipient) ?? 'all';
  if (role === 'system' || type === 'user_editable_context' || type === 'model_editable_context') return;
  // The draft's fields in this order: id, timestamp, record, branch, kind, text, then the kind's own.
  // Assigned one by one, not spread from a shared base: see copyDraft in events.ts.
  const add = (kind: SessionEvent['kind'], text: string, own?: Partial<EventDraft>) => {
    const d = { id: nodeId, timestamp: isoTime(msg.create_time), record: `${convIndex}:${nodeId}` } as EventDraft;
    if (branch) d.branch = branch;
    d.kind = kind;
    d.text = text;
    if (own) for (const k of Object.keys(own) as (keyof EventDraft)[]) (d as Record<string, unknown>)[k] = own[k];
    ev.add(d);
  };
  if (role === 'user') return add('user', partsText(content), meta.is_user_system_message ? { injected: true } : undefined);
  if (role === 'assistant') {
    if (type === 'thoughts') {
      const text = recs(content.thoughts).map((t) => [str(t.summary), str(t.content)].filter(Boolean).join(': ')).join('\n') || partsText(content);
      return add('thinking', text);
    }
    if (type === 'reasoning_recap') return;
    const text = type === 'code' ? (str(content.text) ?? '') : partsText(content);
    if (recipient !== 'all') {
      toolNames.set(recipient, recipient);
      return add('tool_call', `${recipient} ${clip(text, 300)}`, { tool: { name: recipient, callId: nodeId, input: text } });
    }
    return add('assistant', text);
  }
  if (role === 'tool') {
    const agg = obj(meta.aggregate_result);
    const text = partsText(content);
    const failed = type === 'system_error' || (agg && (str(agg.status) ?? 'success') !== 'success') || !!agg?.in_kernel_exception || ERROR_TEXT.test(text);
    add('tool_result', text, { tool: { name: authorName ?? 'tool' }, isError: !!failed });
  }
}
