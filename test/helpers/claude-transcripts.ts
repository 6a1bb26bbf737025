// Writes Claude Code transcripts (the JSONL records Claude Code keeps in ~/.claude/projects) for
// generated sessions: a task, shell calls that fail or succeed, the fix that worked, optional user
// words. Used where a test needs the whole loop through the real importer and the real dream.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Step { command: string; error?: string; fix?: string }
export interface TranscriptSpec { cwd: string; start: Date; task: string; steps: Step[]; says?: string }

export function writeClaudeTranscript(dir: string, spec: TranscriptSpec): string {
  const sessionId = randomUUID();
  const records: Record<string, unknown>[] = [];
  let parent: string | null = null;
  let t = spec.start.getTime();
  const base = () => ({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: spec.cwd, sessionId, version: '2.1.14', gitBranch: 'main' });
  const push = (r: Record<string, unknown>) => {
    const uuid = randomUUID();
    t += 2000;
    records.push({ ...base(), ...r, uuid, timestamp: new Date(t).toISOString() });
    parent = uuid;
  };
  const user = (content: unknown) => push({ type: 'user', message: { role: 'user', content } });
  const assistant = (content: unknown[]) => push({ type: 'assistant', message: { model: 'claude-opus-4-5', id: `msg_${randomUUID()}`, type: 'message', role: 'assistant', content } });
  const bash = (command: string, error?: string) => {
    const id = `toolu_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    assistant([{ type: 'tool_use', id, name: 'Bash', input: { command } }]);
    user([{ type: 'tool_result', tool_use_id: id, content: error ? `Exit code 1\n${error}` : 'ok', ...(error ? { is_error: true } : {}) }]);
  };
  user(spec.task);
  for (const s of spec.steps) {
    bash(s.command, s.error);
    if (s.fix) bash(s.fix);
  }
  if (spec.says) user(spec.says);
  assistant([{ type: 'text', text: 'Done.' }]);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  fs.writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}
