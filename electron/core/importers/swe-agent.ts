// SWE-agent trajectories (*.traj), FORMATS.md §9: {environment, trajectory[], history[], info}.
// The trajectory steps carry thought → action → observation; the task prompt is the first
// non-demo user message of history. No timestamps; errors only inside observation text.
import path from 'node:path';
import { ERROR_TEXT, EventList } from './events';
import { firstChar, readJsonDocument } from './json';
import { clip } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { fileKey, obj, parseJsonString, recs, str } from './values';

export const sweAgent: FormatImporter = {
  tool: 'swe-agent',
  detect(head) {
    if (firstChar(head) !== '{') return false;
    if (/"trajectory_format"\s*:\s*"mini-swe-agent/.test(head)) return true;
    return /"trajectory"\s*:\s*\[/.test(head) && /"(action|observation|history|environment)"/.test(head);
  },
  async *parse(file) {
    const doc = obj(readJsonDocument(file));
    if (!doc) throw new Error('not a SWE-agent trajectory object');
    if (Array.isArray(doc.messages) && !Array.isArray(doc.trajectory)) {
      const s = miniSweAgent(doc, file);
      if (s) yield s;
      return;
    }
    const ev = new EventList(file);
    const prompt = recs(doc.history).find((h) => h.role === 'user' && !h.is_demo);
    const promptText = typeof prompt?.content === 'string' ? prompt.content : Array.isArray(prompt?.content) ? recs(prompt.content).map((c) => str(c.text) ?? '').join('\n') : '';
    if (promptText) ev.add({ id: 'task', kind: 'user', text: promptText, record: 'history' });
    let project: string | null = null;
    recs(doc.trajectory).forEach((step, i) => {
      const record = `trajectory[${i}]`;
      const state = obj(step.state) ?? obj(parseJsonString(step.state));
      project ??= str(state?.working_dir) ?? null;
      ev.add({ id: `s${i}#thought`, kind: 'assistant', text: str(step.thought) ?? '', record });
      const action = (str(step.action) ?? '').trim();
      const name = action.split(/\s+/, 1)[0] || 'action';
      ev.add({ id: `s${i}#action`, kind: 'tool_call', text: clip(action, 300), tool: { name, callId: `s${i}`, input: action }, record });
      const observation = str(step.observation) ?? '';
      ev.add({ id: `s${i}#observation`, kind: 'tool_result', text: observation, tool: { name, callId: `s${i}` }, isError: ERROR_TEXT.test(observation), record });
    });
    const info = obj(doc.info);
    const exit = str(info?.exit_status);
    if (exit) ev.add({ id: 'exit', kind: 'system', text: `Exit status: ${exit}`, injected: true, isError: !/^submitted/.test(exit), record: 'info' });
    const events = ev.done();
    if (!events.length) return;
    const instance = path.basename(file).replace(/\.traj(\.json)?$/, '');
    yield { id: `swe-agent:${instance}@${fileKey(file).split('@')[1]}`, tool: 'swe-agent', project, title: clip(promptText.replace(/\s+/g, ' ').trim() || instance, 120), events };
  },
};

/**
 * mini-swe-agent (*.traj.json): {info, messages[], trajectory_format}. The first user message is the
 * task, later user messages are command output; each assistant reply ends in one ```bash block.
 */
function miniSweAgent(doc: Record<string, unknown>, file: string): ParsedSession | null {
  const ev = new EventList(file);
  let task: string | null = null;
  let lastCall: string | null = null;
  recs(doc.messages).forEach((m, i) => {
    const text = typeof m.content === 'string' ? m.content : recs(m.content).map((c) => str(c.text) ?? '').join('\n');
    const record = `messages[${i}]`;
    if (m.role === 'user' && task === null) {
      task = text;
      ev.add({ id: `m${i}`, kind: 'user', text, record });
    } else if (m.role === 'assistant') {
      ev.add({ id: `m${i}`, kind: 'assistant', text, record });
      const cmd = /```(?:bash|sh)?\n([\s\S]*?)```/.exec(text)?.[1]?.trim();
      if (cmd) {
        lastCall = `m${i}`;
        ev.add({ id: `m${i}#action`, kind: 'tool_call', text: clip(cmd, 300), tool: { name: 'bash', callId: lastCall, input: cmd }, record });
      }
    } else if (m.role === 'user' || m.role === 'tool') {
      const code = /<returncode>\s*(-?\d+)\s*<\/returncode>/.exec(text);
      ev.add({ id: `m${i}`, kind: 'tool_result', text, tool: { name: 'bash', ...(lastCall ? { callId: lastCall } : {}) }, isError: code ? Number(code[1]) !== 0 : ERROR_TEXT.test(text), record });
    }
  });
  const exit = str(obj(doc.info)?.exit_status);
  if (exit) ev.add({ id: 'exit', kind: 'system', text: `Exit status: ${exit}`, injected: true, isError: !/^(submitted|Submitted)/.test(exit), record: 'info' });
  const events = ev.done();
  if (!events.length) return null;
  const instance = path.basename(file).replace(/\.traj(\.json)?$/, '');
  return { id: `swe-agent:${instance}@${fileKey(file).split('@')[1]}`, tool: 'swe-agent', project: null, title: clip(((task as string | null) ?? instance).replace(/\s+/g, ' ').trim(), 120), events };
}
