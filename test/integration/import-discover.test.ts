// Discovery of the usual log locations under HOME (a temp home here), the contract methods the UI
// uses (import.discover, import.progress + its 'import.progress' notifications), and the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { fixture, runCli, tempDir } from '../helpers/env';

function fakeHome(): string {
  const home = tempDir('reverie-home-');
  const put = (rel: string, src: string) => {
    const dest = path.join(home, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(src, dest);
  };
  put('.claude/projects/-home-marco-projects-spotter/55604662-cf2a-4331-851a-ec234028f8ca.jsonl', fixture('claude-code', 'spotter', 'short.jsonl'));
  put('.claude/projects/-home-marco-projects-spotter/d6e0bada-1959-4eec-a9d2-0bfade768d8f.jsonl', fixture('claude-code', 'spotter', 'tool_heavy.jsonl'));
  put('.codex/sessions/2025/11/17/rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl', fixture('codex', 'codex-session-view', 'rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl'));
  put('.gemini/tmp/0b7dfb1274ee51b336813b17f2ddab1f56b6591f723e7314126bbd502c69e9c9/chats/session-2026-01-02T02-33-3fcb09e1.json', fixture('gemini-cli', 'm-gemini', 'session-2026-01-02T02-33-3fcb09e1.json'));
  const own = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'unit', 'importers', 'fixtures');
  for (const f of ['ui_messages.json', 'api_conversation_history.json', 'task_metadata.json']) {
    put(`.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1732550400000/${f}`, path.join(own, 'cline', '1732550400000', f));
  }
  put('.config/Claude/local-agent-mode-sessions/ws1/projects/-home-me-notes/c0ffee00-0000-4000-8000-000000000001.jsonl', fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'));
  put('src/greeter/.aider.chat.history.md', path.join(own, 'aider', '.aider.chat.history.md'));
  fs.mkdirSync(path.join(home, 'src', 'empty-repo'), { recursive: true });
  return home;
}

describe('import --discover', () => {
  it('lists the known locations under HOME with counts, and --all imports them', () => {
    const home = fakeHome();
    const store = tempDir();
    const env = { HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', APPDATA: '' };
    const listed = runCli(['import', '--discover', '--store', store, '--json'], { env });
    expect(listed.code).toBe(0);
    const sources = (listed.json as { sources: { tool: string; files: number; path: string }[] }).sources;
    expect(sources.map((s) => [s.tool, s.files, path.relative(home, s.path)])).toEqual([
      ['claude-code', 2, '.claude/projects'],
      ['claude-code', 1, '.config/Claude/local-agent-mode-sessions'],
      ['codex', 1, '.codex/sessions'],
      ['gemini-cli', 1, '.gemini/tmp'],
      ['cline', 1, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks'],
      ['aider', 1, 'src'],
    ]);
    const human = runCli(['import', '--discover', '--store', store], { env });
    expect(human.stdout).toMatch(/Claude Code projects\s+2 file\(s\)/);

    const all = runCli(['import', '--discover', '--all', '--store', store, '--json'], { env });
    expect(all.code).toBe(0);
    const r = all.json as { sessions: number; errors: unknown[] };
    // 2 Claude Code + 1 Claude Desktop + 1 Codex + 1 Gemini + 1 Cline + 2 Aider runs.
    expect([r.sessions, r.errors]).toEqual([8, []]);
    // Accepting discovery follows what it found (Aider's project folders excepted: too wide to watch).
    const followed = (runCli(['status', '--store', store, '--json'], { env }).json as { followed: { path: string; tool: string; enabled: boolean }[] }).followed;
    expect(followed.map((f) => [f.tool, path.relative(home, f.path), f.enabled])).toEqual(sources.filter((s) => s.tool !== 'aider').map((s) => [s.tool, path.relative(home, s.path), true]));
  });

  it('an empty home finds nothing, and says so', () => {
    const r = runCli(['import', '--discover', '--store', tempDir()], { env: { HOME: tempDir(), CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', APPDATA: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No known agent log locations/);
  });

  it('usage errors exit 2', () => {
    expect(runCli(['import', '--store', tempDir()]).code).toBe(2);
    expect(runCli(['import', '--all', 'x', '--store', tempDir()]).code).toBe(2);
  });
});

describe('import contract for the UI', () => {
  it('import.discover honours HOME; import.progress reports bytes and sessions and is notified while it runs', async () => {
    const home = fakeHome();
    const saved = { HOME: process.env.HOME, CLAUDE_CONFIG_DIR: process.env.CLAUDE_CONFIG_DIR, CODEX_HOME: process.env.CODEX_HOME };
    process.env.HOME = home;
    delete process.env.CLAUDE_CONFIG_DIR;
    delete process.env.CODEX_HOME;
    const core = await openCore({ storeDir: tempDir(), host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const api = createClient(core.dispatch);
      const { sources } = await api.call('import.discover', {});
      expect(sources.map((s) => s.tool)).toEqual(['claude-code', 'claude-code', 'codex', 'gemini-cli', 'cline', 'aider']);
      expect(await api.call('import.progress', {})).toMatchObject({ running: false, phase: 'idle' });
      const seen: unknown[] = [];
      core.events.on('change', (topic: string) => {
        if (topic === 'import.progress') seen.push(core.handlers['import.progress']({}));
      });
      const result = await api.call('import.paths', { paths: sources.map((s) => s.path) });
      const snapshots = (await Promise.all(seen)) as { phase: string; bytesDone: number; bytesTotal: number; sessions: number; filesTotal: number }[];
      expect(snapshots.length).toBeGreaterThanOrEqual(2);
      expect(snapshots[0].phase).toBe('scanning');
      const last = snapshots[snapshots.length - 1];
      expect(last).toMatchObject({ phase: 'done', sessions: result.sessions, filesTotal: result.files });
      expect(last.bytesDone).toBe(last.bytesTotal);
      expect(last.bytesTotal).toBeGreaterThan(0);
    } finally {
      await core.close();
      Object.assign(process.env, saved);
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    }
  });
});
