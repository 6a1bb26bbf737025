// Planning a write-back: for every agent, the file it reads, what that file would become, and the
// unified diff between the two. Nothing is written here, so a preview and a dry run are the same code.
import fs from 'node:fs';
import { createTwoFilesPatch } from 'diff'; // the unified-diff standard library of JS; the UI shows its patches as is
import type { WritebackTarget } from '../../../shared/contract/writeback';
import type { Agent, AgentTool, Lesson, Settings } from '../../../shared/model';
import { blockBullets, blockHash, eolOf, findBlock, replaceBlock } from './block';
import { parseRules } from '../progress/rules';
import { contradiction } from '../seeding/text';
import { blockEdits, describeEdits } from './edits';
import { applicableLessons, newFileText, renderBlock, type Rendered } from './render';
import type { WritebackState } from './state';
import { targetFor, type FileFormat } from './targets';

export interface PlanInput {
  lessons: Lesson[];
  agents: Agent[];
  settings: Settings;
  state: WritebackState;
  home: string;
}

export interface PlannedTarget extends WritebackTarget {
  /** The file's text now (null: missing) and what it would become: kept for apply, never sent to the UI. */
  current: string | null;
  next: string | null;
  rendered: Rendered | null;
}

const realpath = (file: string) => {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
};

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const base = (agentIds: string[], tool: AgentTool, file: string | null): PlannedTarget => ({
  agentIds, tool, file, status: 'skipped', diff: '', lessonIds: [], omitted: [], chars: 0, budget: 0, edits: [], conflicts: [], written: false, current: null, next: null, rendered: null,
});

export function planWriteback(input: PlanInput): PlannedTarget[] {
  const { settings } = input;
  const targets: PlannedTarget[] = [];
  // Agents that share one file (two Claude Code agents with the user-level file, or two paths
  // that are one file through a symlink) get one block.
  const groups = new Map<string, { agents: Agent[]; file: string; format: FileFormat }>();
  for (const agent of input.agents) {
    const t = targetFor(agent, { claudeTarget: settings.writeback.claudeTarget, home: input.home });
    if ('skip' in t) {
      targets.push({ ...base([agent.id], agent.tool, null), reason: t.skip });
      continue;
    }
    const key = realpath(t.file);
    const g = groups.get(key);
    if (g) g.agents.push(agent);
    else groups.set(key, { agents: [agent], file: t.file, format: t.format });
  }
  for (const { agents, file, format } of groups.values()) {
    const agentIds = agents.map((a) => a.id);
    const t = base(agentIds, agents[0].tool, file);
    targets.push(t);
    t.budget = settings.writeback.maxChars;
    try {
      planOne(t, input, format);
    } catch (err) {
      Object.assign(t, { status: 'error', reason: `${file}: ${(err as Error).message}`, next: null });
    }
  }
  return targets;
}

function planOne(t: PlannedTarget, input: PlanInput, format: FileFormat): void {
  const file = t.file!;
  const userLevel = t.tool === 'claude-code' && input.settings.writeback.claudeTarget === 'user';
  // The user-level file is read in every project: only team lessons belong there.
  const applicable = applicableLessons(input.lessons, t.agentIds, userLevel);
  const current = readText(file);
  // A lesson that contradicts what the user wrote by hand in this very file would leave the agent
  // with two opposite instructions: the user's words win, the lesson is held back and reported.
  const rules = current ? parseRules(current) : [];
  for (const l of applicable) {
    for (const r of rules) {
      const reason = contradiction(l.text, r.text);
      if (reason) t.conflicts.push({ lessonId: l.id, line: r.line, rule: r.text, reason, heldBack: !l.pinned });
    }
  }
  if (userLevel) {
    const own = applicableLessons(input.lessons, t.agentIds).length - applicable.length;
    if (own > 0) t.reason = `${own} project-specific lesson${own === 1 ? ' is' : 's are'} left out: ~/.claude/CLAUDE.md is read in every project (choose the project target to write them)`;
  }
  const held = new Set(t.conflicts.filter((c) => c.heldBack).map((c) => c.lessonId));
  const lessons = applicable.filter((l) => !held.has(l.id));
  const eol = current ? eolOf(current) : '\n';
  const rendered = renderBlock(lessons, { maxChars: input.settings.writeback.maxChars, maxLessons: input.settings.maxLessonsPerAgent, eol });
  const found = current === null ? null : findBlock(current);
  const next = replaceBlock(current ?? newFileText(format, eol), rendered.inner, eol);
  Object.assign(t, {
    current,
    next,
    rendered,
    lessonIds: rendered.lines.map((l) => l.lessonId),
    omitted: rendered.omitted,
    chars: rendered.inner.length,
  });
  if (found) {
    const written = input.state.files[file];
    const nowHash = blockHash(found.inner);
    const untouched = written ? written.hash === nowHash : nowHash === blockHash(rendered.inner);
    if (!untouched) {
      t.status = 'edited';
      t.edits = blockEdits(written?.lines ?? [], blockBullets(found.inner));
      t.reason = written ? describeEdits(t.edits) : `${describeEdits(t.edits)} (this block was not written from this store)`;
      t.diff = createTwoFilesPatch(file, file, current!, next, 'now', 'after write-back (overwrites the hand edits)');
      return;
    }
  }
  const written = input.state.files[file];
  if (!found && current !== null && written) {
    // Removing the whole block is the strongest hand edit there is: respected like any other.
    t.status = 'edited';
    t.edits = written.lines.map((l) => ({ kind: 'removed' as const, lessonId: l.lessonId, before: l.text, after: null }));
    t.reason = 'the Reverie block was removed from this file by hand; it is not added back unless you apply with force';
    t.diff = createTwoFilesPatch(file, file, current, next, 'now', 'after write-back (adds the block again)');
    return;
  }
  t.status = current === null ? 'create' : !found ? 'insert' : next === current ? 'unchanged' : 'update';
  if (current === null && written) t.reason = 'the file was deleted since Reverie last wrote it; it will be created again';
  if (t.status !== 'unchanged') t.diff = createTwoFilesPatch(file, file, current ?? '', next, 'now', 'after write-back');
}

/** The UI and JSON never get the full file texts: they get the diff. */
export function publicTarget(t: PlannedTarget): WritebackTarget {
  const { current: _c, next: _n, rendered: _r, ...rest } = t;
  return rest;
}
