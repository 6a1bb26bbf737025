import type { Command } from 'commander';
import type { ImportResult } from '../../../shared/model';
import { log, print, UsageError, withCore, type GlobalOpts } from '../context';

export function renderImport(r: ImportResult): string {
  const lines = [`Imported ${r.sessions} session(s), ${r.events} event(s) from ${r.files} file(s); ${r.skipped} unchanged or skipped.`];
  if (r.errors.length) {
    lines.push(`${r.errors.length} problem(s):`);
    for (const e of r.errors) lines.push(`  ${e.file}${e.line ? `:${e.line}` : ''}${e.record ? ` [${e.record}]` : ''} — ${e.reason}`);
  }
  return lines.join('\n');
}

export function registerImport(program: Command, common: (c: Command) => Command): void {
  common(program.command('import').description('import agent session logs from files or folders (format detected by content)'))
    .argument('[paths...]', 'files or folders, searched recursively')
    .option('--agent <name>', 'name the agent for everything imported in this run')
    .action(async (paths: string[], opts: GlobalOpts & { agent?: string }) => {
      if (!paths.length) throw new UsageError('import needs at least one file or folder (or --discover once it is available)');
      const result = await withCore(opts, 'write', (api) => {
        if (!opts.json) log(`Importing ${paths.join(', ')} …`);
        return api.call('import.paths', { paths, agent: opts.agent });
      });
      print(opts, result, () => renderImport(result));
    });
}
