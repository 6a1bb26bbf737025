// Where agents keep their logs on this machine (FORMATS.md "Where" paragraphs). Everything is
// resolved from HOME (and the tools' own overrides: CLAUDE_CONFIG_DIR, CODEX_HOME, APPDATA), so tests
// point discovery at a temporary home. Counting walks the folders but never reads a file's content.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentTool } from '../../../shared/model';

export interface DiscoveredSource {
  tool: AgentTool;
  label: string;
  path: string;
  /** Session files found (for Cline: task folders). */
  files: number;
  bytes: number;
  /** Newest file's modification time, ISO; null when empty. */
  newest: string | null;
  /** What one counted file is: a session (most tools) or a database holding many (Cursor). */
  unit?: 'file' | 'database';
  /** For databases: the conversations they hold, counted by the import.discover handler (null: too big to count). */
  sessions?: number | null;
}

interface Location { tool: AgentTool; label: string; path: string; match: RegExp; depth: number; unit?: DiscoveredSource['unit'] }

/** Cursor's user-data folder on Linux, macOS and Windows. */
function cursorRoots(home: string, env: NodeJS.ProcessEnv): string[] {
  return [path.join(home, '.config', 'Cursor', 'User'), path.join(home, 'Library', 'Application Support', 'Cursor', 'User'), ...(env.APPDATA ? [path.join(env.APPDATA, 'Cursor', 'User')] : [])];
}

/** Stop counting past this many files in one location (a count, not a crawl of the disk). */
const MAX_FILES = 200_000;

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

function locations(env: NodeJS.ProcessEnv): Location[] {
  const home = homeDir(env);
  const claude = env.CLAUDE_CONFIG_DIR || path.join(home, '.claude');
  const codex = env.CODEX_HOME || path.join(home, '.codex');
  // VS Code-family editors keep Cline / Roo Code tasks in their global storage.
  const userRoots = [
    ...['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'].flatMap((app) => [
      path.join(home, '.config', app, 'User'),
      path.join(home, 'Library', 'Application Support', app, 'User'),
      ...(env.APPDATA ? [path.join(env.APPDATA, app, 'User')] : []),
    ]),
  ];
  const extensions: [string, string][] = [['saoudrizwan.claude-dev', 'Cline'], ['rooveterinaryinc.roo-cline', 'Roo Code']];
  const aiderRoots = [home, ...['src', 'code', 'projects', 'dev', 'work', 'repos'].map((d) => path.join(home, d))];
  return [
    { tool: 'claude-code', label: 'Claude Code projects', path: path.join(claude, 'projects'), match: /\.jsonl$/, depth: 4 },
    // Claude Desktop's agent mode writes the Claude Code format under its own folder.
    ...[path.join(home, '.config', 'Claude'), path.join(home, 'Library', 'Application Support', 'Claude'), ...(env.APPDATA ? [path.join(env.APPDATA, 'Claude')] : [])].map(
      (root): Location => ({ tool: 'claude-code', label: 'Claude Desktop agent sessions', path: path.join(root, 'local-agent-mode-sessions'), match: /\.jsonl$/, depth: 7 }),
    ),
    { tool: 'codex', label: 'Codex CLI sessions', path: path.join(codex, 'sessions'), match: /^rollout-.*\.jsonl?$/, depth: 5 },
    { tool: 'codex', label: 'Codex CLI archived sessions', path: path.join(codex, 'archived_sessions'), match: /^rollout-.*\.jsonl?$/, depth: 5 },
    { tool: 'gemini-cli', label: 'Gemini CLI chats', path: path.join(home, '.gemini', 'tmp'), match: /^session-.*\.jsonl?$/, depth: 3 },
    ...userRoots.flatMap((root) =>
      extensions.map(([ext, name]): Location => ({ tool: 'cline', label: `${name} tasks (${path.basename(path.dirname(root))})`, path: path.join(root, 'globalStorage', ext, 'tasks'), match: /^ui_messages\.json$/, depth: 2 })),
    ),
    { tool: 'cursor', label: 'Cursor agent transcripts', path: path.join(home, '.cursor', 'projects'), match: /\.jsonl$/, depth: 4 },
    // Cursor's own chats: one database for all composers, one per workspace (older chat panel, projects).
    ...cursorRoots(home, env).flatMap((root): Location[] => [
      { tool: 'cursor', label: 'Cursor chats', path: path.join(root, 'globalStorage'), match: /^state\.vscdb$/, depth: 0, unit: 'database' },
      { tool: 'cursor', label: 'Cursor workspace chats', path: path.join(root, 'workspaceStorage'), match: /^state\.vscdb$/, depth: 1, unit: 'database' },
    ]),
    ...aiderRoots.map((root): Location => ({ tool: 'aider', label: `Aider chat histories in ${root === home ? '~' : `~/${path.basename(root)}`}`, path: root, match: /^\.aider\.chat\.history\.md$/, depth: root === home ? 0 : 1 })),
  ];
}

/** The known locations that exist here, with how many session files each holds. */
export function discoverSources(env: NodeJS.ProcessEnv = process.env): DiscoveredSource[] {
  const out: DiscoveredSource[] = [];
  for (const loc of locations(env)) {
    if (!isDir(loc.path)) continue;
    const stats = { files: 0, bytes: 0, newest: 0 };
    count(loc.path, loc, loc.depth, stats);
    // Aider roots are ordinary folders: list them only when they hold a history.
    if (loc.tool === 'aider' && !stats.files) continue;
    // A Cursor folder without a database (a fresh install) has nothing to offer.
    if (loc.unit === 'database' && !stats.files) continue;
    out.push({ tool: loc.tool, label: loc.label, path: loc.path, files: stats.files, bytes: stats.bytes, newest: stats.newest ? new Date(stats.newest).toISOString() : null, ...(loc.unit ? { unit: loc.unit } : {}) });
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function count(dir: string, loc: Location, depth: number, stats: { files: number; bytes: number; newest: number }): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (stats.files >= MAX_FILES) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && e.name !== 'node_modules' && e.name !== '.git') count(p, loc, depth - 1, stats);
    } else if (e.isFile() && loc.match.test(e.name)) {
      try {
        const st = fs.statSync(p);
        stats.files++;
        stats.bytes += st.size;
        stats.newest = Math.max(stats.newest, st.mtimeMs);
      } catch {
        // vanished or unreadable: not counted
      }
    }
  }
}
