// Every shipped sample (test/fixtures/real) and every fixture of our own imports with exact
// session and event counts. The per-kind counts were checked against the raw records of each file
// (e.g. Codex localpush: 316 function_call + 49 custom_tool_call + 7 web_search_call = 372 tool calls).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/model';
import { fixture, tempDir } from '../../helpers/env';
import { parseFile } from './parse-helper';
import { fileScoped } from '../../../electron/core/importers/values';

const OWN = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const own = (...p: string[]) => path.join(OWN, ...p);

/** kind counts, with ! for errors and ~ for abandoned-branch events. */
function kinds(events: SessionEvent[]): Record<string, number> {
  const k: Record<string, number> = {};
  for (const e of events) {
    const key = `${e.kind}${e.isError ? '!' : ''}${e.branch === 'abandoned' ? '~' : ''}`;
    k[key] = (k[key] ?? 0) + 1;
  }
  return k;
}

// [file, tool, sessions, events per session]
const SAMPLES: [string[], string, number, number[]][] = [
  [['claude-code', 'claude-code-log-synthetic', 'dag_compact_after_rewind.jsonl'], 'claude-code', 1, [12]],
  [['claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'], 'claude-code', 1, [37]],
  [['claude-code', 'claude-reliability', 'python-to-rust-port', 'transcript.jsonl'], 'claude-code', 1, [96]],
  [['claude-code', 'spotter', 'short.jsonl'], 'claude-code', 1, [8]],
  [['claude-code', 'spotter', 'tool_heavy.jsonl'], 'claude-code', 1, [21]],
  [['claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-a2898e3.jsonl'], 'claude-code', 1, [74]],
  [['claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-acompact-e1f845.jsonl'], 'claude-code', 0, []],
  [['codex', 'agent-sessions', 'small.jsonl'], 'codex', 1, [23]],
  [['codex', 'claude-code-log-synthetic', 'rollout-44444444-4444-4444-8444-444444444444.jsonl'], 'codex', 1, [2]],
  [['codex', 'codex-session-view', 'rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl'], 'codex', 1, [116]],
  [['codex', 'localpush', 'rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl'], 'codex', 1, [1230]],
  [['codex', 'localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl'], 'codex', 1, [23]],
  [['gemini-cli', 'agent-sessions-synthetic', 'jsonl_v040.jsonl'], 'gemini-cli', 1, [4]],
  [['gemini-cli', 'm-gemini', 'session-2025-12-13T19-01-049d9bb6.json'], 'gemini-cli', 1, [36]],
  [['gemini-cli', 'm-gemini', 'session-2026-01-02T02-33-3fcb09e1.json'], 'gemini-cli', 1, [29]],
  [['chatgpt', 'chatgpt2graph', 'conversations.json'], 'chatgpt', 1, [42]],
  [['chatgpt', 'polylogue-synthetic', 'native-conversation-v1.json'], 'chatgpt', 1, [6]],
  [['claude-ai', 'claude-to-sqlite', 'artifacts.json'], 'claude-ai', 1, [20]],
  [['claude-ai', 'claude-to-sqlite', 'example.json'], 'claude-ai', 1, [2]],
  [['aider', 'aider-website-examples', 'add-test.md'], 'aider', 1, [10]],
  [['swe-agent', '6e44b9__sweagenttestrepo-1c2844.traj'], 'swe-agent', 1, [17]],
  [['swe-agent', 'pydicom__pydicom-1458.traj'], 'swe-agent', 1, [38]],
  [['other', 'openhands', 'basic_gui_mode.json'], 'openhands', 1, [14]],
  [['other', 'openhands', 'basic_interactions.json'], 'openhands', 1, [6]],
  [['other', 'openhands', 'wrong_initial_state.json'], 'openhands', 1, [11]],
  [['other', 'cursor-agent-transcript-synthetic', 'test-session.jsonl'], 'cursor', 1, [8]],
];

describe('every shipped sample imports with exact counts', () => {
  it.each(SAMPLES)('%j → %s', async (parts, tool, sessions, events) => {
    const r = await parseFile(fixture(...parts));
    expect(r.tool).toBe(tool);
    expect(r.sessions.map((s) => s.events.length)).toEqual(events);
    expect(r.sessions).toHaveLength(sessions);
    expect(r.warnings).toEqual([]);
    for (const s of r.sessions) {
      expect(s.events.map((e) => e.seq)).toEqual(s.events.map((_, i) => i));
      expect(new Set(s.events.map((e) => e.id)).size).toBe(s.events.length);
      for (const e of s.events) expect(e.timestamp === null || !Number.isNaN(Date.parse(e.timestamp))).toBe(true);
    }
  });

  it('every sample folder is covered by the table', () => {
    const listed = new Set(SAMPLES.map(([p]) => p.join('/')));
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const files = walk(fixture()).map((f) => path.relative(fixture(), f)).filter((f) => !/^(FORMATS|SOURCES|THIRD-PARTY)\.md$/.test(f));
    expect(files.filter((f) => !listed.has(f))).toEqual([]);
  });
});

describe('Codex CLI', () => {
  it('takes the user words from event_msg, tool errors from exit codes, keeps aborted turns', async () => {
    const [s] = (await parseFile(fixture('codex', 'localpush', 'rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl'))).sessions;
    expect(kinds(s.events)).toEqual({ user: 38, thinking: 199, assistant: 255, tool_call: 372, tool_result: 365, system: 1 });
    const [view] = (await parseFile(fixture('codex', 'codex-session-view', 'rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl'))).sessions;
    expect(view.id).toBe('codex:019a93b9-f380-7600-98ff-940e6b99603c');
    expect(view.project).toBe('/home/user/projects/temp/chatbot-ui');
    expect(kinds(view.events)).toEqual({ user: 1, thinking: 37, tool_call: 39, tool_result: 36, 'tool_result!': 3 });
    const [small] = (await parseFile(fixture('codex', 'agent-sessions', 'small.jsonl'))).sessions;
    expect(small.events.filter((e) => e.interrupt)).toHaveLength(1);
    expect(small.events.filter((e) => e.kind === 'system' && e.isError)).toHaveLength(1);
    expect(small.events.filter((e) => e.kind === 'user' && !e.injected)).toHaveLength(3);
  });

  it('reads the generation-1 JSON document and the generation-2 bare JSONL', async () => {
    const dir = tempDir();
    const gen1 = path.join(dir, 'rollout-2025-04-20-abc.json');
    fs.writeFileSync(gen1, JSON.stringify({
      session: { timestamp: '2025-04-20T10:00:00Z', id: 'ts-era-1', instructions: '' },
      items: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run the tests' }] },
        { type: 'function_call', name: 'shell', arguments: '{"command":["npm","test"]}', call_id: 'c1' },
        { type: 'function_call_output', call_id: 'c1', output: '{"output":"1 failing","metadata":{"exit_code":1,"duration_seconds":0.5}}' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'One test fails.' }] },
      ],
    }, null, 2));
    const r = await parseFile(gen1);
    expect(r.tool).toBe('codex');
    expect(r.sessions[0].id).toBe('codex:ts-era-1');
    expect(kinds(r.sessions[0].events)).toEqual({ user: 1, tool_call: 1, 'tool_result!': 1, assistant: 1 });
    expect(r.sessions[0].events[1].text).toBe('shell npm test');
  });
});

describe('formats without a shipped native sample (own fixtures)', () => {
  it('Cline: the task folder is one session; user_feedback is the correction; the other task files are not sessions', async () => {
    const r = await parseFile(own('cline', '1732550400000', 'ui_messages.json'));
    expect(r.sessions).toHaveLength(1);
    const [s] = r.sessions;
    expect(s.id).toBe('cline:1732550400000');
    expect(s.project).toBe('/home/dev/src/calc');
    expect(kinds(s.events)).toEqual({ user: 2, thinking: 1, tool_call: 3, 'tool_result!': 3, assistant: 2, 'system!': 1 });
    expect(s.events.filter((e) => e.kind === 'user').map((e) => e.text)).toEqual(['Run the unit tests and fix what fails', 'use npm test, and always run it with --silent']);
    expect(s.events[0].timestamp).toBe('2024-11-25T16:00:00.000Z');
    for (const f of ['api_conversation_history.json', 'task_metadata.json']) {
      const part = await parseFile(own('cline', '1732550400000', f));
      expect([part.tool, part.sessions.length, part.skipped.length]).toEqual(['cline', 0, 1]);
    }
  });

  it('Aider: one file, two runs; fenced lines starting with > stay in the reply; failed edits and test runs are errors', async () => {
    const r = await parseFile(own('aider', '.aider.chat.history.md'));
    expect(r.sessions.map((s) => s.events.length)).toEqual([9, 4]);
    expect(kinds(r.sessions[0].events)).toEqual({ system: 1, user: 2, assistant: 2, 'tool_result!': 2, tool_result: 1, tool_call: 1 });
    expect(r.sessions[0].events.find((e) => e.kind === 'assistant')?.text).toContain('> not an aider output line: inside a fence');
    expect(r.sessions[0].events[1].timestamp).toBe('2025-03-02T09:14:05.000Z');
    expect(r.sessions[1].title).toBe('add a docstring to greet');
  });

  it('Claude.ai (2025 shape): content blocks, out-of-order array, the latest leaf is live, the other branch abandoned', async () => {
    const r = await parseFile(own('claude-ai', 'conversations.json'));
    const [s] = r.sessions;
    expect(kinds(s.events)).toEqual({ user: 2, 'assistant~': 1, thinking: 1, tool_call: 1, 'tool_result!': 1, assistant: 2 });
    expect(s.events.map((e) => e.text)[0]).toBe('Why does my migration fail?');
    // Same timestamp: the human message comes first.
    expect(s.events.slice(-2).map((e) => e.kind)).toEqual(['user', 'assistant']);
  });

  it('Gemini JSONL: $rewindTo keeps the rewound messages as an abandoned branch; $set updates metadata', async () => {
    const [s] = (await parseFile(own('gemini', 'session-rewind.jsonl'))).sessions;
    expect(s.project).toBe('/home/dev/src/site');
    expect(kinds(s.events)).toEqual({ 'user~': 1, 'assistant~': 1, 'tool_call~': 1, 'tool_result!~': 1, 'system~': 1, user: 1, assistant: 1, tool_call: 1, tool_result: 1 });
    expect(s.events.find((e) => e.kind === 'tool_result' && e.isError)?.rejected).toBe(true);
  });

  it('generic JSONL groups lines by session; generic JSON document with messages', async () => {
    const jsonl = await parseFile(own('generic', 'chat.jsonl'));
    expect(jsonl.tool).toBe('generic');
    // Ids from the contents are scoped to the file (fileScoped): unrelated files never share a session.
    const scope = fileScoped('', own('generic', 'chat.jsonl'));
    expect(jsonl.sessions.map((s) => [s.id, s.events.length])).toEqual([[`generic:s-a${scope}`, 3], [`generic:s-b${scope}`, 2]]);
    expect(jsonl.sessions[1].events.map((e) => e.timestamp)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-05T09:00:01.000Z']);
    const doc = await parseFile(own('generic', 'conversation.json'));
    expect(doc.sessions.map((s) => [s.id, s.title, s.events.length])).toEqual([[`generic:doc-1${fileScoped('', own('generic', 'conversation.json'))}`, 'A documented generic conversation', 3]]);
  });

  it('ChatGPT split export (conversations-000/001.json): each part is streamed; current_node is the live thread', async () => {
    const dir = tempDir();
    const real = JSON.parse(fs.readFileSync(fixture('chatgpt', 'chatgpt2graph', 'conversations.json'), 'utf8')) as unknown[];
    const native = JSON.parse(fs.readFileSync(fixture('chatgpt', 'polylogue-synthetic', 'native-conversation-v1.json'), 'utf8')) as unknown;
    fs.writeFileSync(path.join(dir, 'conversations-000.json'), JSON.stringify(real));
    fs.writeFileSync(path.join(dir, 'conversations-001.json'), JSON.stringify([native]));
    const a = await parseFile(path.join(dir, 'conversations-000.json'));
    const b = await parseFile(path.join(dir, 'conversations-001.json'));
    expect([a.tool, b.tool]).toEqual(['chatgpt', 'chatgpt']);
    expect(a.sessions.map((s) => s.events.length)).toEqual([42]);
    expect(kinds(b.sessions[0].events)).toEqual({ user: 1, 'assistant~': 1, thinking: 1, tool_call: 1, tool_result: 1, assistant: 1 });
    // The superseded answer is kept and reads right before its replacement.
    expect(b.sessions[0].events[1]).toMatchObject({ text: 'Superseded answer.', branch: 'abandoned' });
  });

  it('detects by content, not by file name', async () => {
    const dir = tempDir();
    const renamed = path.join(dir, 'notes.txt');
    fs.copyFileSync(fixture('gemini-cli', 'm-gemini', 'session-2026-01-02T02-33-3fcb09e1.json'), renamed);
    expect((await parseFile(renamed)).tool).toBe('gemini-cli');
    const traj = path.join(dir, 'export.json');
    fs.copyFileSync(fixture('swe-agent', 'pydicom__pydicom-1458.traj'), traj);
    expect((await parseFile(traj)).tool).toBe('swe-agent');
    const md = path.join(dir, 'README.md');
    fs.writeFileSync(md, '# Project\n\nJust documentation.\n');
    expect((await parseFile(md)).tool).toBeUndefined();
  });

  it('recognizes the files that sit next to logs but hold no session, and skips them', async () => {
    const dir = tempDir();
    const cases: [string, string][] = [
      ['history.jsonl', '{"display":"fix the build","pastedContents":{},"timestamp":1767603600000,"project":"/home/me/src/shop","sessionId":"s1"}\n'],
      ['codex-history.jsonl', '{"session_id":"019a93b9-f380-7600-98ff-940e6b99603c","ts":1767603600,"text":"run the tests"}\n'],
      ['logs.json', '[{"sessionId":"g1","messageId":0,"timestamp":"2026-01-01T00:00:00.000Z","type":"user","message":"hi"}]'],
      ['checkpoint-wip.json', '[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"text":"hello"}]}]'],
    ];
    for (const [name, text] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      const r = await parseFile(file);
      expect([name, r.sessions.length, r.skipped.length]).toEqual([name, 0, 1]);
    }
    const meta = path.join(dir, '.claude', 'projects', '-x', 's', 'subagents', 'agent-a1.meta.json');
    fs.mkdirSync(path.dirname(meta), { recursive: true });
    fs.writeFileSync(meta, '{"agentType":"Explore","description":"look around"}');
    expect((await parseFile(meta)).skipped).toHaveLength(1);
  });

  it('mini-swe-agent .traj.json: task, bash actions from the reply, return codes as errors', async () => {
    const r = await parseFile(own('mini-swe-agent', 'astropy__astropy-12907.traj.json'));
    expect(r.tool).toBe('swe-agent');
    expect(kinds(r.sessions[0].events)).toEqual({ user: 1, assistant: 3, tool_call: 3, tool_result: 1, 'tool_result!': 1, system: 1 });
    expect(r.sessions[0].events.find((e) => e.kind === 'tool_call')?.text).toBe('grep -rn "def separability_matrix" astropy/');
  });
});
