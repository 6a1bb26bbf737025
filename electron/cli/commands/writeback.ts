import type { Command } from 'commander';
import type { WritebackResult, WritebackTarget } from '../../../shared/contract/writeback';
import { log, print, withCore, type GlobalOpts } from '../context';

const VERB: Record<WritebackTarget['status'], [string, string]> = {
  create: ['would create', 'created'],
  insert: ['would add a block to', 'added a block to'],
  update: ['would update', 'updated'],
  unchanged: ['unchanged', 'unchanged'],
  edited: ['hand-edited, left alone:', 'hand-edited, left alone:'],
  skipped: ['skipped', 'skipped'],
  error: ['cannot write', 'cannot write'],
};

export function renderWriteback(r: WritebackResult, showDiff: boolean): string {
  const out: string[] = [];
  for (const t of r.targets) {
    const [dry, done] = VERB[t.status];
    const verb = t.status === 'edited' && t.written ? 'overwrote hand edits in' : r.dryRun ? dry : done;
    const who = t.agentIds.join(', ');
    if (!t.file) {
      out.push(`- ${who}: skipped — ${t.reason}`);
      continue;
    }
    const size = `${t.lessonIds.length} lessons, ${t.chars}/${t.budget} chars${t.omitted.length ? `, ${t.omitted.length} over budget` : ''}`;
    out.push(`- ${who}: ${verb} ${t.file} (${size})${t.reason ? ` — ${t.reason}` : ''}${t.backup ? `\n    backup: ${t.backup}` : ''}`);
    for (const c of t.conflicts) out.push(`    ${c.heldBack ? 'held back' : 'written anyway (pinned)'}: ${c.lessonId} contradicts your rule at line ${c.line} ("${c.rule.slice(0, 60)}"): ${c.reason}`);
    for (const e of t.edits) out.push(`    ${e.kind}${e.lessonId ? ` ${e.lessonId}` : ''}: ${e.before ?? ''}${e.before && e.after ? ' → ' : ''}${e.after ?? ''}`);
    if (showDiff && t.diff) out.push(t.diff.trimEnd().split('\n').map((l) => `    ${l}`).join('\n'));
  }
  if (!r.targets.length) out.push('No agents yet: import sessions first.');
  return out.join('\n');
}

interface WritebackOpts extends GlobalOpts { dryRun?: boolean; agent?: string[]; force?: boolean; diff?: boolean; adopt?: string }

export function registerWriteback(program: Command, common: (c: Command) => Command): void {
  common(program.command('writeback').description("write each agent's lessons into a managed block of its instruction file (CLAUDE.md, AGENTS.md, GEMINI.md, .cursor/rules, .clinerules)"))
    .option('--dry-run', 'show the diff of every file without writing anything')
    .option('--agent <agent...>', 'only these agents (ids or names)')
    .option('--force', 'also overwrite blocks the user edited by hand (a backup is kept)')
    .option('--no-diff', 'leave the diffs out of the dry-run output')
    .option('--adopt <file>', 'take the hand edits in this file\'s block back as lesson edits')
    .action(async (opts: WritebackOpts) => {
      if (opts.adopt) {
        const file = opts.adopt;
        const r = await withCore(opts, 'write', (api) => api.call('writeback.adopt', { file }));
        print(opts, r, () => `Adopted from ${r.file}: ${r.changed.length} lesson edits, ${r.added.length} new lessons, ${r.retired.length} retired.`);
        return;
      }
      const dryRun = !!opts.dryRun;
      const result = await withCore(opts, dryRun ? 'read' : 'write', (api) =>
        dryRun ? api.call('writeback.preview', { agents: opts.agent }) : api.call('writeback.apply', { agents: opts.agent, force: !!opts.force }),
      );
      print(opts, result, () => renderWriteback(result, dryRun && opts.diff !== false));
      const errors = result.targets.filter((t) => t.status === 'error');
      if (errors.length && !opts.json) log(`${errors.length} file(s) could not be written; see above.`);
    });
}
