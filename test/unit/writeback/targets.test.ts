// An agent's project folder comes from an imported log, so it can be any folder: write-back must
// never plant an instruction file in a folder that is not a project.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../../shared/model';
import { targetFor } from '../../../electron/core/writeback/targets';
import { tempDir } from '../../helpers/env';

const agent = (tool: Agent['tool'], project: string | null): Agent => ({ id: `${tool}:${project}`, tool, project, name: tool });
const opts = (home: string) => ({ claudeTarget: 'project' as const, home });

describe('write-back targets', () => {
  it('writes into a real project folder', () => {
    const project = tempDir();
    expect(targetFor(agent('codex', project), opts(tempDir()))).toEqual({ file: path.join(project, 'AGENTS.md'), format: 'markdown' });
  });

  it('skips the temp folder itself, the home folder and system folders, saying why', () => {
    const home = tempDir();
    expect(targetFor(agent('claude-code', os.tmpdir()), opts(home))).toEqual({ skip: expect.stringMatching(/temp folder/) });
    expect(targetFor(agent('codex', home), opts(home))).toEqual({ skip: expect.stringMatching(/home folder/) });
    expect(targetFor(agent('gemini-cli', '/'), opts(home))).toEqual({ skip: expect.stringMatching(/system folder/) });
    expect(targetFor(agent('codex', '/etc'), opts(home))).toEqual({ skip: expect.stringMatching(/system folder/) });
  });

  it('sees through a link to a folder that is not a project', () => {
    const home = tempDir();
    const link = path.join(tempDir(), 'looks-like-a-project');
    fs.symlinkSync(home, link);
    expect(targetFor(agent('codex', link), opts(home))).toEqual({ skip: expect.stringMatching(/home folder/) });
  });

  it('still offers the user-level CLAUDE.md when chosen', () => {
    const home = tempDir();
    expect(targetFor(agent('claude-code', home), { claudeTarget: 'user', home })).toEqual({ file: path.join(home, '.claude', 'CLAUDE.md'), format: 'markdown' });
  });
});
