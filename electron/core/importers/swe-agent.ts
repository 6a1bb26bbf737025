// SWE-agent trajectories (*.traj), FORMATS.md §9: {environment, trajectory[], history[], info}.
// The trajectory steps carry thought → action → observation; the task prompt is the first
// non-demo user message of history. No timestamps; errors only inside observation text.
import path from 'node:path';
import { ERROR_TEXT, EventList } from './events';
import { firstChar, readJsonDocument } from './json';
import { clip } from './text';
import type { FormatImporter } from './types';
import { fileKey, obj, parseJsonString, recs, str } from './values';

export const sweAgent: FormatImporter = {
  tool: 'swe-agent',
  detect(head) {
    return firstChar(head) === '{' && /"trajectory"\s*:\s*\[/.test(head) && /"(action|observation|history|environment)"/.test(head);
  },
  async *parse(file) {
    const doc = obj(readJsonDocument(file));
    if (!doc) throw new Error('not a SWE-agent trajectory object');
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
