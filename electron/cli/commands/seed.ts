import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { SeedInput, SeedResult } from '../../../shared/contract/seeds';
import { print, UsageError, withCore, type GlobalOpts } from '../context';

function renderResult(r: SeedResult, dryRun: boolean): string {
  const verb = dryRun ? 'would add' : 'added';
  const lines = [`Seed from ${r.source}: ${verb} ${r.added.length} lesson${r.added.length === 1 ? '' : 's'}, skipped ${r.skipped.length}.`];
  for (const l of r.added) lines.push(`  + ${l.id} [${l.kind}] ${l.title}`);
  for (const s of r.skipped) lines.push(`  = ${s.title} — ${s.reason}`);
  return lines.join('\n');
}

interface SeedOpts extends GlobalOpts { pack?: string[]; agent?: string[]; list?: boolean; dryRun?: boolean }

export function registerSeed(program: Command, common: (c: Command) => Command): void {
  common(program.command('seed').description('add known good practices and pitfalls as seeded lessons: a markdown file of bullets, a JSON list, or a bundled pack'))
    .argument('[files...]', 'markdown (.md: one lesson per bullet; "## Pitfalls" headings set the kind) or JSON files')
    .option('--pack <id...>', 'seed a bundled pack (see --list): general, node, python, git')
    .option('--agent <agent...>', 'make the lessons apply to these agents only (default: every agent)')
    .option('--list', 'list the bundled packs')
    .option('--dry-run', 'show what would be added without storing anything')
    .action(async (files: string[], opts: SeedOpts) => {
      if (opts.list) {
        const packs = await withCore(opts, 'read', (api) => api.call('seeds.packs'));
        print(opts, packs, () => packs.map((p) => `${p.id.padEnd(10)} ${p.title} — ${p.count} lessons (${p.seeded} already seeded)\n           ${p.description}`).join('\n'));
        return;
      }
      if (!files.length && !opts.pack?.length) throw new UsageError('give a seed file (seed practices.md) or a pack (seed --pack node); `seed --list` shows the packs');
      // Read every file before opening the store: a missing or unreadable file stores nothing.
      const inputs: SeedInput[] = files.map((file) => {
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch (err) {
          throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
        }
        return { text, name: path.basename(file), agents: opts.agent };
      });
      for (const packId of opts.pack ?? []) inputs.push({ packId, agents: opts.agent });
      const method = opts.dryRun ? 'seeds.preview' : 'lessons.seed';
      const results = await withCore(opts, opts.dryRun ? 'read' : 'write', async (api) => {
        // Parse everything first, so a bad file among several stores nothing.
        for (const input of inputs) await api.call('seeds.preview', input);
        const out: SeedResult[] = [];
        for (const input of inputs) out.push(await api.call(method, input));
        return out;
      });
      print(opts, results.length === 1 ? results[0] : results, () => results.map((r) => renderResult(r, !!opts.dryRun)).join('\n'));
    });
}
