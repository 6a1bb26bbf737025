// Which file an agent reads its standing instructions from, per tool. The project folder is the
// cwd its sessions ran in (Agent.project); tools without an instruction file are skipped, with why.
import fs from 'node:fs';
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
  return make(agent.project);
}
