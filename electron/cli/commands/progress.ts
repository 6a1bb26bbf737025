import type { Command } from 'commander';
import type { ProgressReport } from '../../../shared/contract/progress';
import { print, withCore, type GlobalOpts } from '../context';

const MARK = { improving: '↓ improving', stalled: '! stalled', 'too-early': '… too early', 'no-signal': '· no signal' } as const;

export function renderProgress(r: ProgressReport): string {
  const out: string[] = [];
  out.push(`Overall: ${r.overall.sessions} sessions, ${r.overall.recurrences} recurrences of known patterns — ${MARK[r.overall.trend]}`);
  if (r.overall.buckets.length) out.push(`  per ${r.bucket}: ${r.overall.buckets.map((b) => `${b.start.slice(0, 10)} ${b.rate.toFixed(2)}`).join(' · ')}`);
  if (r.store.noisy) out.push(`  The store is noisy: ${r.store.candidates} candidates for ${r.store.active} active lessons.`);
  out.push('', 'Agents:');
  for (const a of r.agents) out.push(`  ${a.name}: ${a.sessions} sessions, repetition ${Math.round(a.repetition * 100)}% — ${MARK[a.trend]}. ${a.explanation}`);
  const measured = r.lessons.filter((l) => l.trend !== 'no-signal');
  out.push('', `Lessons (${measured.length} with something to measure, ${r.lessons.length - measured.length} without):`);
  for (const l of measured) out.push(`  ${MARK[l.trend].padEnd(12)} ${l.lessonId} ${l.title}\n      ${l.explanation}`);
  if (r.rules.length) {
    out.push('', 'Hand-written rules:');
    for (const x of r.rules) {
      out.push(`  ${x.file}:${x.line} "${x.text.slice(0, 80)}" — broken in ${x.broken.sessions} sessions${x.broken.lastAt ? `, last ${x.broken.lastAt.slice(0, 10)}` : ''}`);
      if (x.suggestion) out.push(`      suggestion (${x.suggestion.kind}): ${x.suggestion.text}`);
    }
  }
  if (r.contradictions.length) {
    out.push('', 'Contradictions:');
    for (const c of r.contradictions) out.push(`  ${c.a.source} ${c.a.ref} "${c.a.text.slice(0, 60)}" vs ${c.b.source} ${c.b.ref} "${c.b.text.slice(0, 60)}": ${c.reason}`);
  }
  return out.join('\n');
}

export function registerProgress(program: Command, common: (c: Command) => Command): void {
  common(program.command('progress').description('whether agents stop repeating the mistakes their lessons name: per lesson, per agent, over time; stalled flags and hand-written rules'))
    .option('--agent <agent...>', 'only these agents (ids or names)')
    .action(async (opts: GlobalOpts & { agent?: string[] }) => {
      const report = await withCore(opts, 'read', (api) => api.call('progress.get', { agents: opts.agent }));
      print(opts, report, () => renderProgress(report));
    });
}
