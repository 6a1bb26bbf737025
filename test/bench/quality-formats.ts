// Writes the quality corpus's format-neutral sessions in the tools' REAL file formats, as described
// in docs/formats.md and seen in the real samples: Claude Code JSONL (a parentUuid chain, tool_use /
// tool_result blocks, `toolUseResult`), Codex CLI envelope rollouts (session_meta, turn_context,
// event_msg/user_message, function_call `shell` + JSON-string output with exit_code, apply_patch as
// a custom tool call) and one ChatGPT conversations.json (a mapping tree with current_node).
import fs from 'node:fs/promises';
import path from 'node:path';

export type Tool = 'claude-code' | 'codex' | 'chatgpt';

export type Step =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string }
  | { kind: 'shell'; command: string; output: string; exitCode: number }
  | { kind: 'edit'; file: string; before: string; after: string }
  | { kind: 'read'; file: string; content: string }
  /** A tool call the user refused (Claude Code: rejected; Codex: the turn aborted before it ran). */
  | { kind: 'rejected'; command?: string; file?: string };

export interface PlannedSession {
  /** The tool's own id (Claude sessionId, Codex session_meta.id, ChatGPT conversation id). */
  nativeId: string;
  tool: Tool;
  project: string | null;
  title: string;
  start: Date;
  steps: Step[];
}

/** Deterministic ids derived from the session id and a counter (no randomness, no clock). */
function ids(seed: string): (prefix?: string) => string {
  let k = 0;
  const base = seed.replace(/-/g, '');
  return (prefix = '') => {
    k++;
    const tail = (k.toString(16).padStart(8, '0') + base).slice(0, 32);
    return `${prefix}${tail.slice(0, 8)}-${tail.slice(8, 12)}-4${tail.slice(13, 16)}-8${tail.slice(17, 20)}-${tail.slice(20, 32)}`;
  };
}
const at = (s: PlannedSession, k: number): string => new Date(s.start.getTime() + k * 7_000).toISOString();

// ── Claude Code ──────────────────────────────────────────────────────────────────────────────
function claudeLines(s: PlannedSession): string[] {
  const next = ids(s.nativeId);
  const lines: string[] = [];
  let parent: string | null = null;
  let k = 0;
  const envelope = () => ({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: s.project, sessionId: s.nativeId, version: '2.1.38', gitBranch: 'main' });
  const push = (rec: Record<string, unknown>): void => {
    const uuid = next();
    lines.push(JSON.stringify({ ...envelope(), ...rec, uuid, timestamp: at(s, k++) }));
    parent = uuid;
  };
  const assistant = (content: unknown[]): void => push({ message: { model: 'claude-sonnet-4-5', id: `msg_${next().replace(/-/g, '').slice(0, 24)}`, type: 'message', role: 'assistant', content, stop_reason: null, usage: { input_tokens: 3, output_tokens: 40 } }, requestId: `req_${next().replace(/-/g, '').slice(0, 24)}`, type: 'assistant' });
  const toolCall = (name: string, input: Record<string, unknown>, result: string, isError: boolean, structured: unknown): void => {
    const id = `toolu_${next().replace(/-/g, '').slice(0, 24)}`;
    assistant([{ type: 'tool_use', id, name, input }]);
    push({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: result, ...(isError ? { is_error: true } : {}) }] }, toolUseResult: structured });
  };
  for (const step of s.steps) {
    if (step.kind === 'user') push({ type: 'user', message: { role: 'user', content: step.text } });
    else if (step.kind === 'assistant') assistant([{ type: 'text', text: step.text }]);
    else if (step.kind === 'shell') {
      const failed = step.exitCode !== 0;
      const text = failed ? `Exit code ${step.exitCode}\n${step.output}` : step.output;
      toolCall('Bash', { command: step.command, description: `Run ${step.command.split(' ').slice(0, 3).join(' ')}` }, text, failed, failed ? `Error: ${text}` : { stdout: step.output, stderr: '', interrupted: false, isImage: false });
    } else if (step.kind === 'edit') {
      toolCall('Edit', { file_path: step.file, old_string: step.before, new_string: step.after, replace_all: false }, `The file ${step.file} has been updated.`, false, { filePath: step.file, oldString: step.before, newString: step.after, userModified: false, replaceAll: false });
    } else if (step.kind === 'rejected') {
      const refusal = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";
      const input = step.file ? { file_path: step.file, old_string: 'export', new_string: 'export default' } : { command: step.command };
      toolCall(step.file ? 'Edit' : 'Bash', input, refusal, true, 'User rejected tool use');
    } else {
      const numbered = step.content.split('\n').map((l, i) => `${String(i + 1).padStart(6)}→${l}`).join('\n');
      toolCall('Read', { file_path: step.file }, numbered, false, { type: 'text', file: { filePath: step.file, content: step.content, numLines: step.content.split('\n').length, startLine: 1, totalLines: step.content.split('\n').length } });
    }
  }
  return lines;
}

// ── Codex CLI ────────────────────────────────────────────────────────────────────────────────
function codexLines(s: PlannedSession): string[] {
  const next = ids(s.nativeId);
  const lines: string[] = [];
  let k = 0;
  const line = (type: string, payload: Record<string, unknown>): void => void lines.push(JSON.stringify({ timestamp: at(s, k++), type, payload }));
  line('session_meta', { id: s.nativeId, timestamp: at(s, 0), cwd: s.project, originator: 'codex_cli_rs', cli_version: '0.58.0', instructions: null, source: 'cli', model_provider: 'openai' });
  line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${s.project}</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <shell>bash</shell>\n</environment_context>` }] });
  let calls = 0;
  for (const step of s.steps) {
    if (step.kind === 'user') {
      line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: step.text }] });
      line('event_msg', { type: 'user_message', message: step.text, images: [] });
      line('turn_context', { cwd: s.project, approval_policy: 'on-request', sandbox_policy: { mode: 'workspace-write' }, model: 'gpt-5.1-codex', effort: 'medium', summary: 'auto' });
    } else if (step.kind === 'assistant') {
      line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: step.text }] });
      line('event_msg', { type: 'agent_message', message: step.text });
    } else if (step.kind === 'rejected') {
      const callId = `call_${next().replace(/-/g, '').slice(0, 24)}`;
      const command = step.command ?? `apply_patch ${step.file}`;
      line('response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command], workdir: s.project }), call_id: callId });
      line('event_msg', { type: 'turn_aborted', reason: 'interrupted' });
    } else if (step.kind === 'edit') {
      const callId = `call_${next().replace(/-/g, '').slice(0, 24)}`;
      const rel = s.project && step.file.startsWith(`${s.project}/`) ? step.file.slice(s.project.length + 1) : step.file;
      const minus = step.before ? step.before.split('\n').map((l) => `-${l}`) : [];
      const patch = ['*** Begin Patch', `*** ${step.before ? 'Update' : 'Add'} File: ${rel}`, ...(step.before ? ['@@', ...minus] : []), ...step.after.split('\n').map((l) => `+${l}`), '*** End Patch'].join('\n');
      line('response_item', { type: 'custom_tool_call', status: 'completed', call_id: callId, name: 'apply_patch', input: patch });
      line('response_item', { type: 'custom_tool_call_output', call_id: callId, output: JSON.stringify({ output: `Success. Updated the following files:\n${step.before ? 'M' : 'A'} ${rel}\n`, metadata: { exit_code: 0, duration_seconds: 0 } }) });
    } else {
      const command = step.kind === 'read' ? `sed -n '1,200p' ${step.file}` : step.command;
      const output = step.kind === 'read' ? step.content : step.output;
      const exitCode = step.kind === 'read' ? 0 : step.exitCode;
      const callId = `call_${next().replace(/-/g, '').slice(0, 24)}`;
      line('response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command], workdir: s.project }), call_id: callId });
      // Both output shapes real rollouts use: the 0.4x–0.5x JSON string, and the later plain text.
      const text = calls++ % 2 === 0
        ? JSON.stringify({ output, metadata: { exit_code: exitCode, duration_seconds: 0.4 } })
        : `Exit code: ${exitCode}\nWall time: 0.4 seconds\nOutput:\n${output}`;
      line('response_item', { type: 'function_call_output', call_id: callId, output: text });
    }
  }
  line('event_msg', { type: 'task_complete', last_agent_message: null });
  return lines;
}

function codexFile(s: PlannedSession): string {
  const iso = s.start.toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return path.join('codex', 'sessions', y, m, d, `rollout-${iso.slice(0, 19).replace(/:/g, '-')}-${s.nativeId}.jsonl`);
}

// ── ChatGPT export ───────────────────────────────────────────────────────────────────────────
function chatgptConversation(s: PlannedSession): Record<string, unknown> {
  const next = ids(s.nativeId);
  const t0 = s.start.getTime() / 1000;
  const rootId = next();
  const sysId = next();
  const mapping: Record<string, { id: string; message: unknown; parent: string | null; children: string[] }> = {
    [rootId]: { id: rootId, message: null, parent: null, children: [sysId] },
    [sysId]: { id: sysId, message: { id: sysId, author: { role: 'system', name: null, metadata: {} }, create_time: null, update_time: null, content: { content_type: 'text', parts: [''] }, status: 'finished_successfully', end_turn: true, weight: 0, metadata: { is_visually_hidden_from_conversation: true }, recipient: 'all', channel: null }, parent: rootId, children: [] },
  };
  let parent = sysId;
  s.steps.forEach((step, k) => {
    if (step.kind !== 'user' && step.kind !== 'assistant') return;
    const id = next();
    mapping[id] = {
      id, parent, children: [],
      message: { id, author: { role: step.kind, name: null, metadata: {} }, create_time: t0 + k * 20, update_time: null, content: { content_type: 'text', parts: [step.text] }, status: 'finished_successfully', end_turn: step.kind === 'assistant', weight: 1, metadata: step.kind === 'assistant' ? { model_slug: 'gpt-4o' } : {}, recipient: 'all', channel: null },
    };
    mapping[parent]!.children.push(id);
    parent = id;
  });
  return { title: s.title, create_time: t0, update_time: t0 + s.steps.length * 20, mapping, moderation_results: [], current_node: parent, plugin_ids: null, conversation_id: s.nativeId, conversation_template_id: null, gizmo_id: null, is_archived: false, safe_urls: [], default_model_slug: 'gpt-4o', id: s.nativeId };
}

/** Writes every session into `dir` in its tool's format; the ChatGPT ones share one export file. */
export async function writeSessions(dir: string, sessions: PlannedSession[]): Promise<void> {
  const chats: Record<string, unknown>[] = [];
  for (const s of sessions) {
    if (s.tool === 'chatgpt') { chats.push(chatgptConversation(s)); continue; }
    const rel = s.tool === 'claude-code'
      ? path.join('claude', 'projects', (s.project ?? 'none').replace(/[^A-Za-z0-9]/g, '-'), `${s.nativeId}.jsonl`)
      : codexFile(s);
    const file = path.join(dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${(s.tool === 'claude-code' ? claudeLines(s) : codexLines(s)).join('\n')}\n`);
  }
  if (chats.length) {
    await fs.mkdir(path.join(dir, 'chatgpt'), { recursive: true });
    await fs.writeFile(path.join(dir, 'chatgpt', 'conversations.json'), JSON.stringify(chats));
  }
}
