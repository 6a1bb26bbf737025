// Cline / Roo Code task folders (…/globalStorage/saoudrizwan.claude-dev/tasks/<taskId>/), FORMATS.md §8.
// The session is read from ui_messages.json: it is the only file with timestamps and it holds the
// user's corrections (say:user_feedback). api_conversation_history.json and task_metadata.json are
// parts of the same task: they are recognized and skipped, not imported as separate sessions.
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_TEXT, EventList } from './events';
import { firstChar, streamJsonArray } from './json';
import { clip } from './text';
import type { FormatImporter } from './types';
import { isoTime, obj, parseJsonString, str } from './values';

const UI_MESSAGE = /"type"\s*:\s*"(say|ask)"/;

export const cline: FormatImporter = {
  tool: 'cline',
  detect(head) {
    return firstChar(head) === '[' && /"ts"\s*:\s*\d{10,}/.test(head) && UI_MESSAGE.test(head) && /"(say|ask)"\s*:\s*"/.test(head);
  },
  async *parse(file, ctx) {
    const dir = path.dirname(path.resolve(file));
    const ev = new EventList(file);
    let title: string | null = null;
    let lastCall: { name: string; callId: string } | null = null;
    let sawPrompt = false;
    for await (const { index, value } of streamJsonArray(file, ctx.onBytes)) {
      const m = obj(value);
      if (!m) { ctx.warn({ record: String(index), reason: 'not a Cline UI message' }); continue; }
      if (m.partial === true) continue;
      const kind = `${str(m.type)}:${str(m.say) ?? str(m.ask)}`;
      const text = str(m.text) ?? '';
      const base = { id: `u${index}`, timestamp: isoTime(m.ts), record: String(index) };
      switch (kind) {
        case 'say:task':
        case 'say:text':
          if (!sawPrompt) {
            sawPrompt = true;
            title = text;
            ev.add({ ...base, kind: 'user', text });
          } else ev.add({ ...base, kind: 'assistant', text });
          break;
        case 'say:user_feedback':
        case 'say:user_feedback_diff':
          // The user typed this in reply to an action: the richest correction signal Cline has.
          ev.add({ ...base, kind: 'user', text });
          break;
        case 'say:reasoning':
          ev.add({ ...base, kind: 'thinking', text });
          break;
        case 'ask:tool':
        case 'say:tool':
        case 'ask:use_mcp_server': {
          const t = obj(parseJsonString(text)) ?? {};
          const name = str(t.tool) ?? str(t.toolName) ?? (kind === 'ask:use_mcp_server' ? 'mcp' : 'tool');
          lastCall = { name, callId: base.id };
          ev.add({ ...base, kind: 'tool_call', text: `${name} ${clip(str(t.path) ?? str(t.regex) ?? str(t.url) ?? '', 300)}`.trim(), tool: { name, callId: base.id, input: clip(text, 2000) } });
          break;
        }
        case 'say:command':
        case 'ask:command':
          lastCall = { name: 'execute_command', callId: base.id };
          ev.add({ ...base, kind: 'tool_call', text: `execute_command ${clip(text, 300)}`, tool: { name: 'execute_command', callId: base.id, input: text } });
          break;
        case 'ask:command_output':
        case 'say:command_output':
        case 'say:mcp_server_response':
          ev.add({ ...base, kind: 'tool_result', text, tool: { name: lastCall?.name ?? 'execute_command', ...(lastCall ? { callId: lastCall.callId } : {}) }, isError: ERROR_TEXT.test(text) });
          break;
        case 'say:diff_error':
          ev.add({ ...base, kind: 'tool_result', text: text || 'The edit could not be applied (diff error)', tool: { name: lastCall?.name ?? 'replace_in_file', ...(lastCall ? { callId: lastCall.callId } : {}) }, isError: true });
          break;
        case 'say:error':
        case 'ask:api_req_failed':
        case 'ask:mistake_limit_reached':
          ev.add({ ...base, kind: 'system', text: text || kind, isError: true, injected: true });
          break;
        case 'say:api_req_started': {
          const cancel = str(obj(parseJsonString(text))?.cancelReason);
          if (cancel) ev.add({ ...base, kind: 'system', text: `Request cancelled (${cancel})`, interrupt: true, injected: true });
          break;
        }
        case 'say:completion_result':
          ev.add({ ...base, kind: 'assistant', text, completion: true });
          break;
        case 'ask:followup': {
          const q = obj(parseJsonString(text));
          ev.add({ ...base, kind: 'assistant', text: str(q?.question) ?? text });
          break;
        }
        default:
      }
    }
    const events = ev.done();
    if (!events.length) return;
    yield { id: `cline:${path.basename(dir)}`, tool: 'cline', project: workingDirectory(dir), title: clip(title ?? 'Cline task', 120), events };
  },
};

/** Cline appends <environment_details> with "Current Working Directory (/path)" to user turns of the API history. */
function workingDirectory(dir: string): string | null {
  const api = path.join(dir, 'api_conversation_history.json');
  try {
    const fd = fs.openSync(api, 'r');
    try {
      const buf = Buffer.alloc(256 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      const m = /Current Working Directory \(([^)\\"]+)\)/.exec(buf.subarray(0, n).toString('utf8'));
      return m ? m[1] : null;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** The other files of a Cline task folder: recognized by content so they are not mistaken for generic chats. */
export const clineTaskPart: FormatImporter = {
  tool: 'cline',
  detect(head) {
    const c = firstChar(head);
    if (c === '{' && head.includes('"files_in_context"')) return true;
    return c === '[' && /"role"\s*:\s*"(user|assistant)"/.test(head) && /<task>|<environment_details>/.test(head);
  },
  async *parse(file, ctx) {
    ctx.skip('part of a Cline task folder; the session is read from its ui_messages.json');
  },
};
