// OpenAI Codex CLI rollouts (~/.codex/sessions), FORMATS.md §2. Three generations, told apart by
// shape: (1) one JSON object {session, items[]}, (2) JSONL with a bare {id, timestamp} header and
// bare ResponseItems, (3) JSONL envelopes {timestamp, type, payload}. Much content exists twice
// (response_item and event_msg): we take messages/tool calls from response_item, the user's own
// words from event_msg/user_message, and error facts (exit codes, failed patches) from event_msg.
import path from 'node:path';
import { EventList } from './events';
import { firstChar, readJsonDocument } from './json';
import { readJsonLines } from './lines';
import { clip, textOfBlocks } from './text';
import type { FormatImporter, ParseContext, ParsedSession } from './types';
import { arr, isoTime, num, obj, parseJsonString, str, type Rec } from './values';

const ENVELOPE = /"type"\s*:\s*"(session_meta|response_item|event_msg|turn_context|compacted)"/;
/** User-role text Codex injects itself (not typed by the user). */
const SCAFFOLDING = /^\s*(<environment_context>|<user_instructions>|<permissions instructions>|# AGENTS\.md instructions|<INSTRUCTIONS>|<user_shell_command>|<turn_aborted>)/;

export const codex: FormatImporter = {
  tool: 'codex',
  detect(head) {
    const c = firstChar(head);
    if (c !== '{') return false;
    if (head.includes('"payload"') && ENVELOPE.test(head)) return true;
    // Generation 1: {session:{id, timestamp, instructions}, items:[…]}
    if (/^\s*\{\s*"session"\s*:\s*\{/.test(head) && head.includes('"items"')) return true;
    // Generation 2: a bare header line then bare ResponseItems.
    const [first, second] = head.split('\n', 2);
    return /^\{"id":"[^"]+","timestamp":"[^"]+"/.test(first ?? '') && /"type":"(message|reasoning|function_call|local_shell_call)"|"record_type"/.test(second ?? head);
  },
  async *parse(file, ctx) {
    const b = new CodexBuilder(file);
    if (/^\s*\{\s*"session"\s*:\s*\{/.test(ctx.head ?? '')) {
      const doc = obj(readJsonDocument(file));
      const session = obj(doc?.session);
      b.meta({ id: session?.id, timestamp: session?.timestamp });
      arr(doc?.items).forEach((item, i) => obj(item) && b.responseItem(obj(item)!, i + 1, isoTime(session?.timestamp)));
    } else {
      for await (const { line, value } of readJsonLines(file, ctx)) b.line(value, line);
    }
    const s = b.finish(file);
    if (s) yield s;
  },
};

class CodexBuilder {
  private readonly ev: EventList;
  private id: string | null = null;
  private forkedFrom: string | null = null;
  private cwd: string | null = null;
  private startedAt: string | null = null;
  private title: string | null = null;
  private sawUserEvent = false;
  private readonly fallbackUser = new Set<string>();
  private readonly toolNames = new Map<string, string>();
  private readonly results = new Map<string, ReturnType<EventList['add']>>();
  private readonly failedCalls = new Map<string, string>();
  private readonly turnStarts: number[] = [];

  constructor(file: string) { this.ev = new EventList(file); }

  meta(p: Rec | { id?: unknown; timestamp?: unknown; cwd?: unknown }): void {
    const r = p as Rec;
    const id = str(r.id) ?? str(r.session_id);
    // A fork's own meta comes first and names its parent; the parent's meta it copies comes after.
    const parent = str(r.forked_from_id);
    if (!this.id && parent && !parent.startsWith('[')) this.forkedFrom = parent;
    if (!this.id && id && !id.startsWith('[')) this.id = id;
    this.startedAt ??= isoTime(r.timestamp);
    const cwd = str(r.cwd);
    if (!this.cwd && cwd && (cwd.startsWith('/') || /^[A-Za-z]:[\\/]/.test(cwd))) this.cwd = cwd;
  }

  line(v: Rec, line: number): void {
    const payload = obj(v.payload);
    const ts = isoTime(v.timestamp);
    if (payload && typeof v.type === 'string') {
      if (v.type === 'session_meta') return this.meta(payload);
      if (v.type === 'turn_context') return void (!this.cwd && this.meta({ cwd: payload.cwd }));
      if (v.type === 'response_item') return this.responseItem(payload, line, ts);
      if (v.type === 'event_msg') return this.eventMsg(payload, line, ts);
      if (v.type === 'compacted') return void this.ev.add({ id: `L${line}`, kind: 'system', text: 'Conversation compacted', injected: true, timestamp: ts, line });
      return; // world_state, inter_agent_* and future kinds: not conversation
    }
    if (v.record_type) return; // generation-2 state markers
    if (!v.type && str(v.id) && v.timestamp !== undefined) return this.meta(v); // generation-2 header
    if (typeof v.type === 'string') this.responseItem(v, line, ts ?? this.startedAt);
  }

  responseItem(p: Rec, line: number, ts: string | null): void {
    const id = `L${line}`;
    const type = str(p.type);
    if (type === 'message') {
      const role = str(p.role);
      const text = textOfBlocks(arr(p.content), ['input_text', 'output_text', 'text']);
      if (role === 'assistant') this.ev.add({ id, kind: 'assistant', text, timestamp: ts, line });
      else if (role === 'user' && !this.sawUserEvent) {
        const injected = SCAFFOLDING.test(text);
        const e = this.ev.add({ id, kind: 'user', text, timestamp: ts, line, ...(injected ? { injected: true } : {}) });
        if (e) this.fallbackUser.add(e.id);
        if (e && !injected && !this.sawUserEvent) this.title ??= text;
      }
      return; // developer/system: instructions, not conversation
    }
    if (type === 'reasoning') {
      const text = textOfBlocks(arr(p.summary), ['summary_text']);
      return void this.ev.add({ id, kind: 'thinking', text, timestamp: ts, line });
    }
    if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call' || type === 'web_search_call') {
      const callId = str(p.call_id) ?? str(p.id);
      const name = type === 'local_shell_call' ? 'shell' : type === 'web_search_call' ? 'web_search' : (str(p.name) ?? 'tool');
      const rawInput = type === 'function_call' ? str(p.arguments) : type === 'custom_tool_call' ? str(p.input) : JSON.stringify(p.action ?? {});
      if (callId) this.toolNames.set(callId, name);
      return void this.ev.add({
        id, kind: 'tool_call', text: `${name} ${clip(describeArgs(rawInput, p.action), 300)}`.trim(), timestamp: ts, line,
        tool: { name, ...(callId ? { callId } : {}), ...(rawInput ? { input: rawInput } : {}) },
      });
    }
    if (type === 'function_call_output' || type === 'custom_tool_call_output' || type === 'local_shell_call_output') {
      const callId = str(p.call_id);
      const { text, failed } = readOutput(p.output);
      const pending = callId ? this.failedCalls.get(callId) : undefined;
      const e = this.ev.add({
        id, kind: 'tool_result', text, timestamp: ts, line,
        tool: { name: (callId && this.toolNames.get(callId)) || 'tool', ...(callId ? { callId } : {}) },
        isError: failed || !!pending,
      });
      if (callId && e) this.results.set(callId, e);
    }
    // ghost_snapshot, image_generation_call, tool_search_*: not conversation
  }

  eventMsg(p: Rec, line: number, ts: string | null): void {
    const id = `L${line}`;
    switch (str(p.type)) {
      case 'user_message': {
        const text = str(p.message) ?? '';
        if (!this.sawUserEvent) {
          // The response_item copies of user text are scaffolding + the same words: drop them from here on.
          this.sawUserEvent = true;
          this.ev.remove((e) => this.fallbackUser.has(e.id));
          this.fallbackUser.clear();
        }
        this.turnStarts.push(this.ev.length);
        if (!SCAFFOLDING.test(text)) this.title ??= text;
        this.ev.add({ id, kind: 'user', text, timestamp: ts, line, ...(SCAFFOLDING.test(text) ? { injected: true } : {}) });
        return;
      }
      case 'exec_command_end': {
        const code = num(p.exit_code);
        if (code !== undefined && code !== 0) this.markFailed(str(p.call_id), `exit code ${code}`);
        return;
      }
      case 'patch_apply_end':
        if (p.success === false) this.markFailed(str(p.call_id), 'patch failed');
        return;
      case 'error':
        this.ev.add({ id, kind: 'system', text: `Error: ${str(p.message) ?? 'unknown error'}`, isError: true, injected: true, timestamp: ts, line });
        return;
      case 'turn_aborted':
        this.ev.add({ id, kind: 'system', text: `Turn aborted (${str(p.reason) ?? 'interrupted'})`, interrupt: true, injected: true, timestamp: ts, line });
        return;
      case 'thread_rolled_back': {
        // Undo of the last N turns: the lines stay, the turns become an abandoned branch.
        const n = num(p.num_turns) ?? 1;
        const from = this.turnStarts.splice(Math.max(0, this.turnStarts.length - n))[0];
        if (from !== undefined) for (const e of this.ev.list.slice(from)) e.branch = 'abandoned';
        return;
      }
      default:
    }
  }

  private markFailed(callId: string | undefined, why: string): void {
    if (!callId) return;
    const result = this.results.get(callId);
    if (result) result.isError = true;
    else this.failedCalls.set(callId, why);
  }

  finish(file: string): ParsedSession | null {
    const events = this.ev.done();
    if (!events.length) return null;
    const id = this.id ?? path.basename(file).replace(/\.(jsonl|json)$/, '');
    return { id: `codex:${id}`, tool: 'codex', project: this.cwd, title: clip(this.title ?? 'Codex session', 120), events, ...(this.forkedFrom ? { forkedFrom: `codex:${this.forkedFrom}` } : {}) };
  }
}

function describeArgs(raw: string | undefined, action: unknown): string {
  const a = obj(parseJsonString(raw)) ?? obj(action);
  if (!a) return raw ?? '';
  const cmd = a.command ?? a.cmd;
  if (Array.isArray(cmd)) return cmd.map(String).join(' ');
  if (typeof cmd === 'string') return cmd;
  for (const k of ['path', 'file_path', 'query', 'url']) if (typeof a[k] === 'string') return a[k] as string;
  return raw ?? JSON.stringify(a);
}

/** function_call_output drifted: JSON-in-a-string with metadata.exit_code, plain text, then objects/lists. */
export function readOutput(output: unknown): { text: string; failed: boolean } {
  const parsed = obj(parseJsonString(output));
  if (parsed && ('output' in parsed || 'metadata' in parsed)) {
    const code = num(obj(parsed.metadata)?.exit_code);
    return { text: String(parsed.output ?? ''), failed: code !== undefined && code !== 0 };
  }
  if (typeof output === 'string') return { text: output, failed: exitCodeFailed(output) };
  const o = obj(output);
  if (o) {
    const text = str(o.output) ?? str(o.content) ?? textOfBlocks(arr(o.content), ['input_text', 'output_text', 'text', 'inputText']);
    return { text, failed: o.success === false || exitCodeFailed(text) };
  }
  const text = textOfBlocks(arr(output), ['input_text', 'output_text', 'text', 'inputText']);
  return { text, failed: exitCodeFailed(text) };
}

function exitCodeFailed(text: string): boolean {
  const m = /^(?:Exit code:\s*|Process exited with code\s+)(-?\d+)/m.exec(text);
  return (m ? Number(m[1]) !== 0 : false) || /^apply_patch verification failed/m.test(text);
}
