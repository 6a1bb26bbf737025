// Cursor CLI agent transcripts (~/.cursor/projects/<project>/agent-transcripts/<uuid>/<uuid>.jsonl),
// FORMATS.md §6: lines {role, message:{content:[text | tool_use | tool_result]}}, the user's words
// wrapped in <user_query>, no timestamps. (The IDE's SQLite state.vscdb is not read.)
import path from 'node:path';
import { EventList } from './events';
import { readJsonLines } from './lines';
import { clip } from './text';
import type { FormatImporter } from './types';
import { obj, recs, str } from './values';

export const cursor: FormatImporter = {
  tool: 'cursor',
  detect(head) {
    return /^\s*\{"role"\s*:\s*"(user|assistant|tool)"\s*,\s*"message"\s*:\s*\{/.test(head);
  },
  async *parse(file, ctx) {
    const ev = new EventList(file);
    let title: string | null = null;
    for await (const { line, value } of readJsonLines(file, ctx)) {
      const role = str(value.role);
      const content = obj(value.message)?.content;
      const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : recs(content);
      blocks.forEach((b, k) => {
        const id = `L${line}#${k}`;
        const type = str(b.type);
        if (type === 'text') {
          const raw = str(b.text) ?? '';
          const query = /<user_query>\s*([\s\S]*?)\s*<\/user_query>/.exec(raw);
          if (role === 'user') {
            const text = query ? query[1] : raw;
            if (query) title ??= text;
            ev.add({ id, line, kind: 'user', text, ...(query ? {} : { injected: true }) });
          } else ev.add({ id, line, kind: 'assistant', text: raw });
        } else if (type === 'tool_use') {
          const name = str(b.name) ?? 'tool';
          const input = obj(b.input) ?? {};
          ev.add({ id, line, kind: 'tool_call', text: `${name} ${clip(str(input.command) ?? str(input.path) ?? JSON.stringify(input), 300)}`, tool: { name, ...(str(b.id) ? { callId: str(b.id) } : {}), input: JSON.stringify(input) } });
        } else if (type === 'tool_result') {
          const text = typeof b.content === 'string' ? b.content : recs(b.content).map((c) => str(c.text) ?? '').join('\n');
          ev.add({ id, line, kind: 'tool_result', text, tool: { name: 'tool', ...(str(b.tool_use_id) ? { callId: str(b.tool_use_id) } : {}) }, isError: b.is_error === true });
        }
      });
    }
    const events = ev.done();
    if (!events.length) return;
    yield { id: `cursor:${path.basename(file).replace(/\.jsonl$/, '')}`, tool: 'cursor', project: null, title: clip(title ?? 'Cursor agent session', 120), events };
  },
};
