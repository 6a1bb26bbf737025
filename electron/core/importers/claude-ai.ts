// Claude.ai data export (conversations.json), FORMATS.md §4. Old exports (2024) carry only `text`;
// newer ones add content[] blocks (text, thinking, tool_use, tool_result) and parent_message_uuid.
// The array is not chronological: sort by created_at, human first on ties. With parent links the
// latest-timestamp leaf is taken as the live thread and other branches are kept, marked abandoned.
import type { SessionEvent } from '../../../shared/model';
import { EventList } from './events';
import { exportRecords, firstChar } from './json';
import { clip } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { arr, fileScoped, isoTime, obj, recs, str, type Rec } from './values';

export const claudeAi: FormatImporter = {
  tool: 'claude-ai',
  detect(head) {
    const c = firstChar(head);
    return (c === '[' || c === '{') && head.includes('"chat_messages"');
  },
  async *parse(file, ctx) {
    for await (const { index, value } of exportRecords(file, ctx.head, ctx.onBytes)) {
      const conv = obj(value);
      if (!conv || !Array.isArray(conv.chat_messages)) {
        ctx.warn({ record: String(index), reason: 'not a Claude.ai conversation (no chat_messages)' });
        continue;
      }
      const s = conversation(conv, file, index);
      if (s) yield s;
    }
  },
};

function conversation(conv: Rec, file: string, index: number): ParsedSession | null {
  const msgs = recs(conv.chat_messages).map((m, i) => ({ m, i, t: isoTime(m.created_at) ?? '' }));
  msgs.sort((a, b) => a.t.localeCompare(b.t) || rank(a.m) - rank(b.m) || a.i - b.i);
  const branchOf = activeBranch(msgs.map((x) => x.m));
  const ev = new EventList(file);
  for (const { m, i } of msgs) {
    const uuid = str(m.uuid) ?? `${index}:${i}`;
    const branch = branchOf(uuid);
    const base = { timestamp: isoTime(m.created_at), record: `${index}:${uuid}`, ...(branch ? { branch } : {}) };
    const human = str(m.sender) === 'human';
    const blocks = recs(m.content);
    if (blocks.length) {
      blocks.forEach((b, k) => {
        const id = `${uuid}#${k}`;
        const type = str(b.type);
        if (type === 'text') ev.add({ ...base, id, kind: human ? 'user' : 'assistant', text: str(b.text) ?? '' });
        else if (type === 'thinking') ev.add({ ...base, id, kind: 'thinking', text: str(b.thinking) ?? recs(b.summaries).map((s) => str(s.summary)).join('\n') });
        else if (type === 'tool_use') {
          const name = str(b.name) ?? 'tool';
          const input = JSON.stringify(b.input ?? {});
          ev.add({ ...base, id, kind: 'tool_call', text: `${name} ${clip(input, 300)}`, tool: { name, ...(str(b.id) ? { callId: str(b.id) } : {}), input } });
        } else if (type === 'tool_result') {
          const text = recs(b.content).map((c) => str(c.text) ?? '').join('\n');
          ev.add({ ...base, id, kind: 'tool_result', text, tool: { name: str(b.name) ?? 'tool', ...(str(b.tool_use_id) ? { callId: str(b.tool_use_id) } : {}) }, isError: b.is_error === true });
        }
      });
    } else {
      const attached = recs(m.attachments).map((a) => `[attachment ${str(a.file_name) ?? ''}]`).join(' ');
      ev.add({ ...base, id: uuid, kind: human ? 'user' : 'assistant', text: [str(m.text) ?? '', attached].filter(Boolean).join('\n') });
    }
  }
  const events = ev.done();
  if (!events.length) return null;
  const title = str(conv.name) || events.find((e) => e.kind === 'user')?.text || 'Claude.ai conversation';
  return { id: `claude-ai:${str(conv.uuid) ?? fileScoped(String(index), file)}`, tool: 'claude-ai', project: null, title: clip(title, 120), events };
}

const rank = (m: Rec) => (str(m.sender) === 'human' ? 0 : 1);

/** With parent_message_uuid: the path from the latest leaf to the root is live; everything else abandoned. */
function activeBranch(msgs: Rec[]): (uuid: string) => SessionEvent['branch'] {
  const byId = new Map(msgs.filter((m) => str(m.uuid)).map((m) => [str(m.uuid)!, m]));
  if (!msgs.some((m) => str(m.parent_message_uuid))) return () => undefined;
  const parents = new Set(msgs.map((m) => str(m.parent_message_uuid)).filter(Boolean));
  const leaves = msgs.filter((m) => !parents.has(str(m.uuid)));
  const leaf = leaves.reduce<Rec | undefined>((best, m) => (!best || (isoTime(m.created_at) ?? '') >= (isoTime(best.created_at) ?? '') ? m : best), undefined);
  const active = new Set<string>();
  for (let m = leaf; m && !active.has(str(m.uuid)!); m = byId.get(str(m.parent_message_uuid) ?? '')) active.add(str(m.uuid)!);
  return (uuid) => (active.has(uuid) ? 'active' : 'abandoned');
}
