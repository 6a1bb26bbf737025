// Synthetic Claude Code sessions for the dreaming tests: a recurring mistake (with its fix), a
// preference worded differently each time, a shared workflow, and one-off noise. Written as real
// Claude Code JSONL so they go through the real importer and signal extraction.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type Turn =
  | { user: string }
  | { say: string }
  | { tool: string; input: Record<string, unknown>; result: string; error?: boolean };

export function writeSession(dir: string, project: string, day: number, turns: Turn[]): string {
  const sessionId = randomUUID();
  let parent: string | null = null;
  let t = Date.parse('2026-10-01T09:00:00Z') + day * 86_400_000;
  const lines: string[] = [];
  const rec = (type: 'user' | 'assistant', content: unknown) => {
    const uuid = randomUUID();
    t += 20_000;
    const message = type === 'user' ? { role: 'user', content } : { role: 'assistant', id: `msg_${uuid}`, model: 'claude-sonnet-5-5', content };
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: project, sessionId, type, message, uuid, timestamp: new Date(t).toISOString() }));
    parent = uuid;
  };
  for (const turn of turns) {
    if ('user' in turn) rec('user', turn.user);
    else if ('say' in turn) rec('assistant', [{ type: 'text', text: turn.say }]);
    else {
      const id = `toolu_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      rec('assistant', [{ type: 'tool_use', id, name: turn.tool, input: turn.input }]);
      rec('user', [{ type: 'tool_result', tool_use_id: id, content: turn.result, ...(turn.error ? { is_error: true } : {}) }]);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export const PNPM_WORDINGS = [
  'no, use pnpm instead of npm',
  'we use pnpm in this repo, not npm',
  "don't use npm here, use pnpm",
  'please use pnpm, never npm install',
  'Wrong package manager: this project uses pnpm, not npm.',
];

const bash = (command: string, result: string, error = false): Turn => ({ tool: 'Bash', input: { command }, result, ...(error ? { error } : {}) });

/** One session of the recurring kind of work; `i` varies paths, ids and wording. */
export function recurringSession(dir: string, project: string, i: number): string {
  return writeSession(dir, project, i, [
    { user: `Fix the failing date parser test #${i}` },
    bash(`npx vitest run src/parser-${i}.test.ts`, `Error: Cannot find module '/home/dev/${project.slice(-4)}/src/gen/schema-${i}.ts' imported from /home/dev/src/parser-${i}.ts:${10 + i}\n    at 0x7f${i}a3b2c1d`, true),
    bash('npm run codegen', 'generated 12 files in 1.3s'),
    { tool: 'Edit', input: { file_path: `/home/dev/src/parser-${i}.ts`, old_string: 'a', new_string: 'b' }, result: 'ok' },
    bash(`npm test -- --run`, 'Tests 14 passed'),
    { user: PNPM_WORDINGS[i % PNPM_WORDINGS.length] },
    bash('pnpm lint', 'no problems'),
    bash('git commit -am "fix parser"', '[main 1a2b3c4] fix parser'),
  ]);
}

/** One-off work: nothing in it recurs. */
export function oneOffSession(dir: string, project: string, i: number): string {
  const topics = ['render the chart legend', 'migrate the billing table', 'tune the cache TTL', 'write the release notes', 'translate the footer', 'profile the image resize'];
  return writeSession(dir, project, 40 + i, [
    { user: `Please ${topics[i % topics.length]} (${i})` },
    bash(`cat notes-${i}.md`, 'notes'),
    bash(`unique-tool-${i} --flag${i}`, `fatal: unique failure number ${i} of kind ${topics[i % topics.length]}`, true),
    { say: 'Done.' },
  ]);
}
