// Which file an agent reads its standing instructions from, per tool. The project folder is the
// cwd its sessions ran in (Agent.project); tools without an instruction file are skipped, with why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Agent, AgentTool } from '../../../shared/model';

export type FileFormat = 'markdown' | 'mdc';

export interface TargetFile { file: string; format: FileFormat }
export interface TargetSkip { skip: string }

export interface TargetOptions {
  claudeTarget: 'project' | 'user';
  /** The user's home folder (~/.claude/CLAUDE.md); injectable so tests never touch the real one. */
  home: string;
}

/** Tools whose instruction file lives in the project folder, and its path there. */
const PROJECT_FILES: Partial<Record<AgentTool, (project: string) => TargetFile>> = {
  'claude-code': (p) => ({ file: path.join(p, 'CLAUDE.md'), format: 'markdown' }),
  codex: (p) => ({ file: path.join(p, 'AGENTS.md'), format: 'markdown' }),
  'gemini-cli': (p) => ({ file: path.join(p, 'GEMINI.md'), format: 'markdown' }),
  // Cursor reads every .mdc in .cursor/rules; a file of our own keeps the user's rules untouched.
  cursor: (p) => ({ file: path.join(p, '.cursor', 'rules', 'reverie.mdc'), format: 'mdc' }),
  // Cline reads .clinerules as one file, or every file in it when it is a folder.
  cline: (p) => {
    const rules = path.join(p, '.clinerules');
    const isDir = fs.existsSync(rules) && fs.statSync(rules).isDirectory();
    return { file: isDir ? path.join(rules, 'reverie.md') : rules, format: 'markdown' };
  },
};

export const SUPPORTED_TOOLS = Object.keys(PROJECT_FILES) as AgentTool[];

export function targetFor(agent: Agent, opts: TargetOptions): TargetFile | TargetSkip {
  if (agent.tool === 'claude-code' && opts.claudeTarget === 'user') return { file: path.join(opts.home, '.claude', 'CLAUDE.md'), format: 'markdown' };
  const make = PROJECT_FILES[agent.tool];
  if (!make) return { skip: `${agent.tool} has no instruction file Reverie can write (supported: ${SUPPORTED_TOOLS.join(', ')})` };
  if (!agent.project) return { skip: 'its sessions did not record a project folder' };
  let isDir = false;
  try {
    isDir = fs.statSync(agent.project).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) return { skip: `its project folder ${agent.project} does not exist on this machine` };
  const unsafe = notAProjectFolder(agent.project, opts.home);
  if (unsafe) return { skip: unsafe };
  return make(agent.project);
}

/** Folders that are never a project, however often a session ran in them. */
const SYSTEM_FOLDERS = ['/', '/etc', '/usr', '/bin', '/sbin', '/lib', '/var', '/boot', '/dev', '/proc', '/sys', '/System', '/Library', '/Applications'];

/**
 * Why an agent's working folder must not get an instruction file, or null. A session's cwd comes
 * from an imported log, so it can be anything: a session run in /tmp, in the home folder or in a
 * system folder would otherwise have Reverie create /tmp/CLAUDE.md or ~/AGENTS.md, which every
 * later session started there (for any project) would read.
 */
export function notAProjectFolder(folder: string, home: string): string | null {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const f = real(folder);
  const windows = process.env.SystemRoot ? real(process.env.SystemRoot) : null;
  if (SYSTEM_FOLDERS.includes(f) || path.parse(f).root === f || (windows && (f === windows || f.startsWith(windows + path.sep)))) return `its sessions ran in ${folder}, a system folder, not a project`;
  if (f === real(os.tmpdir())) return `its sessions ran in the temp folder ${folder}, not a project`;
  if (f === real(home)) return `its sessions ran in your home folder; for Claude Code choose the user-level CLAUDE.md in Settings › Write-back instead`;
  return null;
}
