// OpenHands trajectory exports / event streams, FORMATS.md §9: a JSON array of events
// {id, timestamp (ISO, no zone), source: user|agent|environment, action | observation, args | extras,
// cause, content}. Observations answer the action named by `cause`.
import { ERROR_TEXT, EventList } from './events';
import { firstChar, streamJsonArray } from './json';
import { clip } from './text';
import type { FormatImporter } from './types';
import { fileKey, isoTime, num, obj, str } from './values';

export const openHands: FormatImporter = {
  tool: 'openhands',
  detect(head) {
    return firstChar(head) === '[' && /"source"\s*:\s*"(user|agent|environment)"/.test(head) && /"(action|observation)"\s*:/.test(head);
  },
  async *parse(file, ctx) {
    const ev = new EventList(file);
    const actions = new Map<number, string>();
    let title: string | null = null;
    let project: string | null = null;
    for await (const { index, value } of streamJsonArray(file, ctx.onBytes)) {
      const e = obj(value);
      if (!e) { ctx.warn({ record: String(index), reason: 'not an event object' }); continue; }
      const id = `e${num(e.id) ?? index}`;
      const base = { timestamp: isoTime(e.timestamp), record: String(num(e.id) ?? index) };
      const source = str(e.source);
      const args = obj(e.args) ?? {};
      const extras = obj(e.extras) ?? {};
      const action = str(e.action);
      const observation = str(e.observation);
      if (action) {
        if (action === 'message') {
          const text = str(args.content) ?? str(e.message) ?? '';
          if (source === 'user') title ??= text;
          ev.add({ ...base, id, kind: source === 'user' ? 'user' : 'assistant', text });
        } else if (action === 'finish') {
          ev.add({ ...base, id, kind: 'assistant', text: str(args.final_thought) ?? str(args.outputs && JSON.stringify(args.outputs)) ?? str(e.message) ?? 'Finished' });
        } else if (action === 'change_agent_state' || action === 'system') {
          continue;
        } else {
          const thought = str(args.thought);
          if (thought?.trim()) ev.add({ ...base, id: `${id}#thought`, kind: 'assistant', text: thought });
          const target = str(args.command) ?? str(args.path) ?? str(args.url) ?? str(args.code) ?? JSON.stringify(args);
          actions.set(num(e.id) ?? index, action);
          ev.add({ ...base, id, kind: 'tool_call', text: `${action} ${clip(target, 300)}`, tool: { name: action, callId: String(num(e.id) ?? index), input: JSON.stringify(args) } });
        }
      } else if (observation && observation !== 'agent_state_changed' && observation !== 'null') {
        const cause = num(e.cause);
        const text = str(e.content) ?? str(e.message) ?? '';
        const exitCode = num(obj(extras.metadata)?.exit_code) ?? num(extras.exit_code);
        project ??= str(obj(extras.metadata)?.working_dir) ?? null;
        const failed = observation === 'error' || e.success === false || (exitCode !== undefined && exitCode !== 0) || (observation !== 'run' && ERROR_TEXT.test(text));
        ev.add({ ...base, id, kind: 'tool_result', text, tool: { name: (cause !== undefined && actions.get(cause)) || observation, ...(cause !== undefined ? { callId: String(cause) } : {}) }, isError: failed });
      }
    }
    const events = ev.done();
    if (!events.length) return;
    yield { id: `openhands:${fileKey(file)}`, tool: 'openhands', project, title: clip(title ?? 'OpenHands session', 120), events };
  },
};
