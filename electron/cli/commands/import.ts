import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { DiscoveredSource, ImportProgress } from '../../../shared/contract/imports';
import type { ImportResult } from '../../../shared/model';
import { describeFsError } from '../../core/importers/files';
import { log, print, UsageError, withCore, type GlobalOpts } from '../context';

/**
 * When not one path given can be read, nothing was imported and nothing can be: a failure (exit 1),
 * said plainly, rather than exit 0 with a problem list. Problems of single files inside a readable
 * folder (or one missing path among good ones) stay per-file reports.
 */
export function unreadablePaths(paths: string[]): string | null {
  const problems: string[] = [];
  for (const p of paths) {
    try {
      fs.accessSync(p, fs.constants.R_OK);
      return null;
    } catch (err) {
      problems.push(`${path.resolve(p)}: ${describeFsError(err)}`);
    }
  }
  return problems.length ? `Nothing to import: ${problems.length === 1 ? 'the path given cannot be read' : `none of the ${problems.length} paths given can be read`} (${problems.join('; ')}).` : null;
}

export function renderImport(r: ImportResult): string {
  const lines = [`Imported ${r.sessions} new or changed session(s), ${r.events} new event(s) from ${r.files} file(s); ${r.skipped} unchanged or skipped.`];
  if (r.errors.length) {
    lines.push(`${r.errors.length} problem(s):`);
    for (const e of r.errors) lines.push(`  ${e.file}${e.line ? `:${e.line}` : ''}${e.record ? ` [${e.record}]` : ''} — ${e.reason}`);
  }
  return lines.join('\n');
}

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;

export function renderSources(sources: DiscoveredSource[]): string {
  if (!sources.length) return 'No known agent log locations found in this home folder.';
  const rows = sources.map((s) => {
    const count = s.unit === 'database' ? `${String(s.sessions ?? '?').padStart(6)} chat(s) in ${s.files} database(s)` : `${String(s.files).padStart(6)} file(s)`;
    return `  ${s.label.padEnd(44)} ${count} ${mb(s.bytes).padStart(9)}  ${s.path}`;
  });
  return ['Found:', ...rows, '', 'Import one with `reverie import <path>`, or all of them with `reverie import --discover --all`.'].join('\n');
}

/** One line redrawn in place on stderr (a TTY only): files, bytes, sessions. */
function progressBar(): { update(p: ImportProgress): void; end(): void } {
  let drawn = false;
  return {
    update(p) {
      if (!p.filesTotal) return;
      const frac = p.bytesTotal ? p.bytesDone / p.bytesTotal : p.filesDone / p.filesTotal;
      const width = 24;
      const fill = Math.round(Math.min(1, frac) * width);
      const line = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${Math.floor(frac * 100)}%  ${p.filesDone}/${p.filesTotal} files  ${mb(p.bytesDone)}/${mb(p.bytesTotal)}  ${p.sessions} sessions`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 120) - 1)}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

export function registerImport(program: Command, common: (c: Command) => Command): void {
  common(program.command('import').description('import agent session logs from files or folders (format detected by content)'))
    .argument('[paths...]', 'files or folders, searched recursively')
    .option('--agent <name>', 'name the agent for everything imported in this run')
    .option('--discover', 'list the usual log locations found on this machine (~/.claude/projects, ~/.codex/sessions, …) with counts')
    .option('--all', 'with --discover: import every location found (and follow it: see `reverie follow`)')
    .option('--follow', 'also follow the paths: the app, `serve` and `reverie follow` import their new sessions by themselves')
    .action(async (paths: string[], opts: GlobalOpts & { agent?: string; discover?: boolean; all?: boolean; follow?: boolean }) => {
      if (opts.all && !opts.discover) throw new UsageError('--all goes with --discover');
      if (opts.discover && !opts.all) {
        if (paths.length) throw new UsageError('--discover lists locations; give paths without it, or add --all to import what it finds');
        const found = await withCore(opts, 'read', (api) => api.call('import.discover', {}));
        return print(opts, found, () => renderSources(found.sources));
      }
      if (!paths.length && !opts.discover) throw new UsageError('import needs at least one file or folder (or --discover to find the usual locations)');
      const unreadable = opts.discover ? null : unreadablePaths(paths);
      if (unreadable) throw new Error(unreadable);
      const result = await withCore(opts, 'write', async (api, core) => {
        if (opts.discover) {
          const found = (await api.call('import.discover', {})).sources;
          paths = found.map((s) => s.path);
          if (!paths.length) return { files: 0, sessions: 0, events: 0, skipped: 0, errors: [] } satisfies ImportResult;
          // Accepting what discovery found means following it (GUIDE §5): new sessions then flow in by themselves.
          // Not Aider's: its histories live in project folders (even ~ itself), too wide to watch.
          for (const s of found) if (s.tool !== 'aider') await api.call('follow.add', { paths: [s.path], tool: s.tool, label: s.label });
        } else if (opts.follow) await api.call('follow.add', { paths: paths.map((p) => path.resolve(p)) });
        // --json keeps stderr quiet too; a bar only where a person watches (a TTY).
        const bar = !opts.json && process.stderr.isTTY ? progressBar() : null;
        if (!opts.json) log(`Importing ${paths.join(', ')} …`);
        const onChange = (topic: string) => {
          if (topic === 'import.progress' && bar) void api.call('import.progress', {}).then((p) => bar.update(p), () => undefined);
        };
        core.events.on('change', onChange);
        try {
          return await api.call('import.paths', { paths, agent: opts.agent });
        } finally {
          core.events.off('change', onChange);
          bar?.end();
        }
      });
      print(opts, result, () => renderImport(result));
    });
}
