// `reverie diff <dreamId>` and `reverie undo <dreamId>`: what a dream changed, readable, and the
// way back. Sharpened wording is diffed word by word ([-old-]{+new+}, as `git diff --word-diff`).
import type { Command } from 'commander';
import { diffWords } from 'diff';
import type { Change, Dream, Lesson } from '../../../shared/model';
import { print, UsageError, withCore, type GlobalOpts } from '../context';
import { renderDream } from './dream';

/** Word-level diff of two texts in plain markers (kept readable without colours and in logs). */
export function wordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((p) => (p.added ? `{+${p.value}+}` : p.removed ? `[-${p.value}-]` : p.value))
    .join('');
}

const support = (l: Lesson) => `${l.support.sessions} sessions, ${l.support.agents} agent(s), ${l.support.occurrences}×, confidence ${Math.round(l.confidence * 100)}%`;

function fieldLines(before: Lesson, after: Lesson): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push(`      title: ${wordDiff(before.title, after.title)}`);
  if (before.text !== after.text) out.push(`      text:  ${wordDiff(before.text, after.text)}`);
  if (before.status !== after.status) out.push(`      status: ${before.status} → ${after.status}`);
  if (before.agents.join(',') !== after.agents.join(',')) out.push(`      scope: ${before.agents.join(', ')} → ${after.agents.join(', ')}`);
  if (support(before) !== support(after)) out.push(`      support: ${support(before)} → ${support(after)}`);
  if (JSON.stringify(before.contradiction) !== JSON.stringify(after.contradiction) && after.contradiction) out.push(`      flagged: ${after.contradiction.reason}`);
  return out;
}

export function renderChange(c: Change): string {
  const l = (c.after ?? c.before)!;
  const lines = [`  ${c.id.padEnd(4)} ${c.op.padEnd(9)} [${l.kind}] ${l.title}${c.decision !== 'applied' ? `  (${c.decision})` : ''}`, `      why: ${c.reason}`];
  if (!c.before && c.after) {
    lines.push(`      {+${c.after.text}+}`, `      scope: ${c.after.agents.join(', ')} · ${support(c.after)} · ${c.after.status}`);
    for (const e of c.after.evidence.slice(0, 3)) lines.push(`      evidence: ${e.agent} ${e.sessionId} ${e.eventId}: ${e.excerpt.split('\n')[0].slice(0, 100)}`);
  } else if (c.before && !c.after) lines.push(`      [-${c.before.text}-]`);
  else if (c.before && c.after) lines.push(...fieldLines(c.before, c.after));
  for (const r of c.related) {
    const name = (r.after ?? r.before)?.title ?? r.lessonId;
    lines.push(`      also: "${name}" ${r.before && r.after ? `${r.before.status} → ${r.after.status}` : r.after ? 'added' : 'removed'}`);
  }
  return lines.join('\n');
}

export function renderDiff(d: Dream): string {
  const head = renderDream(d).split('\n').slice(0, d.message ? 2 : 1);
  return [...head, ...(d.changes.length ? d.changes.map(renderChange) : ['  (no changes)'])].join('\n');
}

export function registerDreamsCommands(program: Command, common: (c: Command) => Command): void {
  common(program.command('diff').description('show what one dream changed, with before/after wording'))
    .argument('<dreamId>', 'dream id (see `reverie dreams`)')
    .action(async (id: string, opts: GlobalOpts) => {
      if (!id.trim()) throw new UsageError('a dream id is required');
      const dream = await withCore(opts, 'read', (api) => api.call('dreams.get', { id }));
      print(opts, dream, () => renderDiff(dream));
    });

  common(program.command('undo').description('revert one dream exactly (refused if a lesson it touched changed since)'))
    .argument('<dreamId>', 'dream id (see `reverie dreams`)')
    .action(async (id: string, opts: GlobalOpts) => {
      if (!id.trim()) throw new UsageError('a dream id is required');
      const dream = await withCore(opts, 'write', (api) => api.call('dreams.undo', { id }));
      print(opts, dream, () => `Undid dream ${dream.id}: ${dream.changes.filter((c) => c.decision === 'applied' || c.decision === 'accepted').length} change(s) reverted.`);
    });
}
