// A realistic multi-agent corpus with planted recurring patterns and ground truth, written in the
// real formats (Claude Code JSONL, Codex rollout JSONL, a ChatGPT conversations.json export) so it goes through the real importers:
//  - mistakes: a command failing with the same error (paths, numbers, ids vary) and the fix that worked;
//  - preferences: one wish, worded differently almost every time;
//  - workflows: the same routine converged on by several agents;
//  - noise: one-off failures, one-off remarks, ordinary requests, random steps.
// Deterministic (seeded), so the scores are comparable run to run.
import fs from 'node:fs';
import path from 'node:path';
import { prng } from '../helpers/prng';

export interface Planted { id: string; kind: 'mistake' | 'preference' | 'workflow'; marker: RegExp; sessions: Set<string> }


type Step = { user: string } | { say: string } | { cmd: string; out: string; fail?: boolean } | { edit: string };

const MISTAKES = [
  { id: 'm-codegen', cmd: (n: number) => `npx vitest run src/parser-${n}.test.ts`, err: (n: number) => `Error: Cannot find module '/home/dev/app/src/gen/schema-${n}.ts' imported from /home/dev/app/src/parser-${n}.ts:${n + 3}`, fix: 'npm run codegen', marker: /codegen/ },
  { id: 'm-port', cmd: (n: number) => `npm run dev -- --port ${3000 + n}`, err: (n: number) => `Error: listen EADDRINUSE: address already in use :::${3000 + n}`, fix: 'npx kill-port 3000', marker: /kill-port|EADDRINUSE/ },
  { id: 'm-migrate', cmd: () => 'python manage.py runserver', err: (n: number) => `django.db.utils.OperationalError: no such table: app_order (request ${n})`, fix: 'python manage.py migrate', marker: /migrate/ },
  { id: 'm-lock', cmd: () => 'cargo build', err: (n: number) => `error: failed to open: /home/dev/rs/target/debug/.cargo-lock (pid ${4000 + n}): Blocking waiting for file lock`, fix: 'cargo clean', marker: /cargo clean|cargo-lock|file lock/i },
  { id: 'm-tsc', cmd: () => 'npx tsc --noEmit', err: (n: number) => `error TS2307: Cannot find module '@app/shared-${n}' or its corresponding type declarations.`, fix: 'pnpm install', marker: /pnpm install|TS2307/ },
];

const PREFERENCES = [
  { id: 'p-pnpm', marker: /pnpm/i, wordings: ['no, use pnpm instead of npm', 'we use pnpm in this repo, not npm', "don't use npm here, use pnpm", 'please use pnpm, never npm install', 'Wrong package manager: this project uses pnpm, not npm.', 'stop using npm; pnpm only'] },
  { id: 'p-comments', marker: /comment/i, wordings: ["don't add comments to the code", 'no comments please, the code should speak for itself', 'stop adding comments everywhere', 'remove those comments, we never comment obvious code', 'please do not write comments'] },
  { id: 'p-lint', marker: /lint/i, wordings: ['always run lint first', 'run the linter before you commit', 'make sure to run lint before committing', 'you forgot to run lint again', 'From now on run lint before every commit.'] },
  { id: 'p-tabs', marker: /tab/i, wordings: ['use tabs for indentation, not spaces', 'no, indent with tabs', 'we indent with tabs in this codebase', 'please use tabs, never spaces for indentation', 'tabs, not spaces!'] },
  { id: 'p-tests', marker: /test/i, wordings: ['always write the test before the fix', 'write a failing test first, then fix it', 'I told you to write the test first', 'from now on, tests before implementation', 'please start with a failing test'] },
];

const WORKFLOWS = [
  { id: 'w-release', marker: /changeset.*publish/i, steps: ['pnpm changeset', 'pnpm changeset version', 'pnpm build', 'pnpm publish'] },
  { id: 'w-db', marker: /alembic/i, steps: ['alembic revision --autogenerate', 'alembic upgrade head', 'pytest tests/db', 'git commit -am "db"'] },
];

const NOISE_USER = ['Add a dark mode toggle', 'Why is the chart legend cut off?', 'Rename the billing module', 'Explain this regex to me', 'Translate the footer to German', 'Speed up the image resize', 'Write release notes for 2.3', 'Make the table sortable', 'Fix the flaky date test', 'Add pagination to the list'];
const NOISE_CMDS = ['make docs', 'go vet ./...', 'docker compose up -d', 'terraform plan', 'bundle exec rspec', 'mix test', 'gradle build', 'deno task check', 'poetry run black .', 'yarn storybook'];

/** A made-up word: one-off errors must really be one-off. */
const word = (r: () => number) => Array.from({ length: 5 + Math.floor(r() * 4) }, () => 'bcdfghjklmnprstvz'[Math.floor(r() * 17)] + 'aeiou'[Math.floor(r() * 5)]).join('').slice(0, 9);

// ── writers ──────────────────────────────────────────────────────────────────────────────────
let counter = 0;
const uid = (r: () => number) => `${Math.floor(r() * 1e8).toString(16).padStart(8, '0')}-${(counter++).toString(16).padStart(4, '0')}-4000-8000-${Math.floor(r() * 1e12).toString(16).padStart(12, '0')}`;

function claudeSession(file: string, sessionId: string, cwd: string, start: number, steps: Step[], r: () => number): void {
  const lines: string[] = [];
  let parent: string | null = null;
  let t = start;
  const rec = (type: 'user' | 'assistant', content: unknown) => {
    const uuid = uid(r);
    t += 15_000;
    const message = type === 'user' ? { role: 'user', content } : { role: 'assistant', id: `msg_${uuid}`, model: 'claude-sonnet-5-5', content };
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd, sessionId, type, message, uuid, timestamp: new Date(t).toISOString() }));
    parent = uuid;
  };
  const tool = (name: string, input: Record<string, unknown>, out: string, fail = false) => {
    const id = `toolu_${uid(r).replace(/-/g, '')}`;
    rec('assistant', [{ type: 'tool_use', id, name, input }]);
    rec('user', [{ type: 'tool_result', tool_use_id: id, content: out, ...(fail ? { is_error: true } : {}) }]);
  };
  for (const s of steps) {
    if ('user' in s) rec('user', s.user);
    else if ('say' in s) rec('assistant', [{ type: 'text', text: s.say }]);
    else if ('edit' in s) tool('Edit', { file_path: s.edit, old_string: 'a', new_string: 'b' }, 'The file has been updated.');
    else tool('Bash', { command: s.cmd }, s.fail ? `Exit code 1\n${s.out}` : s.out, s.fail);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

function codexSession(file: string, sessionId: string, cwd: string, start: number, steps: Step[], r: () => number): void {
  let t = start;
  const lines: string[] = [];
  const at = () => new Date((t += 15_000)).toISOString();
  lines.push(JSON.stringify({ timestamp: at(), type: 'session_meta', payload: { id: sessionId, timestamp: new Date(start).toISOString(), cwd, originator: 'codex_cli_rs', cli_version: '0.50.0' } }));
  for (const s of steps) {
    if ('user' in s) lines.push(JSON.stringify({ timestamp: at(), type: 'event_msg', payload: { type: 'user_message', message: s.user, images: [] } }));
    else if ('say' in s) lines.push(JSON.stringify({ timestamp: at(), type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: s.say }] } }));
    else {
      const callId = `call_${uid(r).replace(/-/g, '').slice(0, 20)}`;
      const cmd = 'edit' in s ? `apply_patch <<'PATCH'\n*** Update File: ${s.edit}\nPATCH` : s.cmd;
      lines.push(JSON.stringify({ timestamp: at(), type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', cmd], workdir: cwd }), call_id: callId } }));
      const fail = 'cmd' in s && !!s.fail;
      const out = 'cmd' in s ? s.out : 'Success. Updated the following files';
      lines.push(JSON.stringify({ timestamp: at(), type: 'response_item', payload: { type: 'function_call_output', call_id: callId, output: JSON.stringify({ output: out, metadata: { exit_code: fail ? 1 : 0, duration_seconds: 0.4 } }) } }));
    }
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/** ChatGPT export: one conversations.json holding every conversation, each a linear `mapping` chain. */
function chatgptConversation(sessionId: string, start: number, steps: Step[], r: () => number): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  let parent: string | null = null;
  let t = start / 1000;
  const add = (role: 'user' | 'assistant', text: string) => {
    const id = uid(r);
    mapping[id] = { id, parent, children: [], message: { id, author: { role }, create_time: (t += 15), content: { content_type: 'text', parts: [text] }, recipient: 'all' } };
    if (parent) (mapping[parent] as { children: string[] }).children.push(id);
    parent = id;
  };
  for (const s of steps) {
    if ('user' in s) add('user', s.user);
    else if ('say' in s) add('assistant', s.say);
    else add('assistant', 'cmd' in s ? `Run \`${s.cmd}\`.` : `Change ${s.edit}.`);
  }
  return { title: 'Chat', create_time: start / 1000, conversation_id: sessionId, current_node: parent, mapping };
}

// ── corpus ───────────────────────────────────────────────────────────────────────────────────
const AGENTS = [
  { format: 'claude', cwd: '/home/dev/src/shop' },
  { format: 'claude', cwd: '/home/dev/src/api' },
  { format: 'codex', cwd: '/home/dev/src/worker' },
  { format: 'claude', cwd: '/home/dev/src/admin' },
  { format: 'chatgpt', cwd: '' },
] as const;

export function writeQualityCorpus(dir: string, opts: { sessions?: number; seed?: number } = {}): { planted: Planted[]; sessions: number } {
  const r = prng(opts.seed ?? 7);
  const total = opts.sessions ?? 120;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const planted: Planted[] = [
    ...MISTAKES.map((m) => ({ id: m.id, kind: 'mistake' as const, marker: m.marker, sessions: new Set<string>() })),
    ...PREFERENCES.map((p) => ({ id: p.id, kind: 'preference' as const, marker: p.marker, sessions: new Set<string>() })),
    ...WORKFLOWS.map((w) => ({ id: w.id, kind: 'workflow' as const, marker: w.marker, sessions: new Set<string>() })),
  ];
  const byId = new Map(planted.map((p) => [p.id, p]));
  const wordingUse = new Map<string, number>();
  fs.mkdirSync(dir, { recursive: true });
  const chats: Record<string, unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const agent = AGENTS[i % AGENTS.length];
    const sessionId = uid(r);
    const steps: Step[] = [{ user: `${pick(NOISE_USER)} (#${i})` }, { say: 'Looking into it.' }];
    // Each planted pattern shows up in roughly one session in eight (so ≥ 3 sessions, several agents).
    const chat = agent.format === 'chatgpt'; // a chat has no tools: only wishes can recur there
    for (const m of MISTAKES)
      if (!chat && r() < 0.11) {
        const n = Math.floor(r() * 90) + 1;
        steps.push({ cmd: m.cmd(n), out: m.err(n), fail: true }, { cmd: m.fix, out: 'done' }, { cmd: m.cmd(n), out: 'ok' });
        byId.get(m.id)!.sessions.add(sessionId);
      }
    for (const p of PREFERENCES)
      if (r() < 0.09) {
        const k = wordingUse.get(p.id) ?? 0;
        wordingUse.set(p.id, k + 1);
        steps.push({ cmd: pick(NOISE_CMDS), out: 'ok' }, { user: p.wordings[k % p.wordings.length] }, { say: 'Understood.' });
        byId.get(p.id)!.sessions.add(sessionId);
      }
    for (const w of WORKFLOWS)
      if (!chat && r() < 0.08) {
        steps.push({ edit: `src/feature-${i}.ts` });
        for (const c of w.steps) steps.push({ cmd: c, out: 'ok' });
        byId.get(w.id)!.sessions.add(sessionId);
      }
    // Noise: a one-off failure, random steps, a remark that is not a rule.
    if (r() < 0.5) steps.push({ cmd: `${pick(NOISE_CMDS)} --only ${i}`, out: `${pick(['fatal', 'error', 'panic', 'abort'])}: ${word(r)} ${pick(['unexpected', 'missing', 'invalid', 'stale'])} ${word(r)} in ${word(r)}`, fail: true });
    for (let k = 0; k < 3; k++) steps.push(r() < 0.5 ? { cmd: pick(NOISE_CMDS), out: 'ok' } : { edit: `src/${pick(['a', 'b', 'c', 'd'])}/${i}-${k}.${pick(['ts', 'py', 'go'])}` });
    steps.push({ user: pick(['thanks, looks good', 'ok, ship it', 'great', 'can you also check the README?']) }, { say: 'Done.' });
    const start = Date.parse('2026-09-01T08:00:00Z') + i * 3 * 3_600_000;
    if (agent.format === 'chatgpt') {
      chats.push(chatgptConversation(sessionId, start, steps, r));
      continue;
    }
    const file = path.join(dir, agent.format === 'codex' ? `rollout-${i}-${sessionId}.jsonl` : `${sessionId}.jsonl`);
    (agent.format === 'codex' ? codexSession : claudeSession)(file, sessionId, agent.cwd, start, steps, r);
  }
  fs.writeFileSync(path.join(dir, 'conversations.json'), JSON.stringify(chats));
  return { planted, sessions: total };
}
