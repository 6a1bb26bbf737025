import type { Command } from 'commander';
import type { ClaudePreview } from '../../../shared/contract/claude';
import type { Dream } from '../../../shared/model';
import { estimateTokens } from '../../core/dreaming/claude/prompt';
import { log, print, UsageError, withCore, type GlobalOpts } from '../context';

export function renderDream(d: Dream): string {
  const counts = new Map<string, number>();
  for (const c of d.changes) counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
  const ops = [...counts].map(([op, n]) => `${n} ${op}`).join(', ') || 'no changes';
  const lines = [`Dream ${d.id} (${d.engine}${d.full ? ', full' : ''}): ${d.status} — ${ops}. Read ${d.stats.sessionsRead} sessions, ${d.stats.signalsRead} signals in ${Math.round(d.stats.durationMs)} ms.`];
  if (d.message) lines.push(d.message);
  for (const c of d.changes) lines.push(`  ${c.op.padEnd(9)} ${(c.after ?? c.before)?.title ?? c.lessonId} — ${c.reason}`);
  return lines.join('\n');
}

/** Token estimate of one request body, split as the cache splits it (system + tools are the cached prefix). */
export function requestTokens(body: Record<string, unknown>): { prefix: number; messages: number } {
  return { prefix: estimateTokens(JSON.stringify(body.tools ?? []) + JSON.stringify(body.system ?? [])), messages: estimateTokens(JSON.stringify(body.messages ?? [])) };
}

/** Text of a system or message content: a string, or the text of its text blocks. */
function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((b) => (b && typeof b === 'object' && 'text' in b ? String((b as { text: unknown }).text) : JSON.stringify(b))).join('\n');
  return JSON.stringify(c);
}

/** The preview as a person reads it: every request's model, system and messages in full (nothing elided: this is the privacy check). */
export function renderPreview(p: ClaudePreview): string {
  const lines = [`Claude preview (${p.model}): ${p.requests.length} request(s). Nothing was sent.`, p.note];
  p.requests.forEach((body, i) => {
    const t = requestTokens(body);
    const b = p.batches[i];
    const what = b ? ` · ${b.kind === 'discovery' ? `discovery: ${b.items} session digest(s)` : `refinement: ${b.items} cluster(s)`}${b.resumed ? ' · resumed (pending)' : ''}` : '';
    lines.push('', `── Request ${i + 1} of ${p.requests.length}${what} · ${String(body.model)} · max_tokens ${String(body.max_tokens)} · ≈${(t.prefix + t.messages).toLocaleString('en')} input tokens (${t.prefix.toLocaleString('en')} cacheable) ──`);
    lines.push('[system]', contentText(body.system));
    for (const m of (body.messages as { role: string; content: unknown }[] | undefined) ?? []) lines.push(`[${m.role}]`, contentText(m.content));
    const tools = (body.tools as { name?: string }[] | undefined) ?? [];
    if (tools.length) lines.push(`[tools] ${tools.map((t) => t.name ?? '?').join(', ')} (the answer's schema; --json prints it in full)`);
  });
  return lines.join('\n');
}

export function registerDream(program: Command, common: (c: Command) => Command): void {
  const dreamCmd = common(program.command('dream').description('run one consolidation: learn, reinforce, sharpen, merge and retire lessons'))
    .option('--engine <engine>', 'heuristic (offline, default) or claude')
    .option('--full', 're-dream every session, not only the new ones')
    .option('--preview', 'with --engine claude: print the exact (redacted) requests a dream would send, and send nothing')
    .action(async (opts: GlobalOpts & { engine?: string; full?: boolean; preview?: boolean }) => {
      if (opts.engine && opts.engine !== 'heuristic' && opts.engine !== 'claude') throw new UsageError(`--engine must be "heuristic" or "claude", not "${opts.engine}"`);
      if (opts.preview) {
        if (opts.engine !== 'claude') throw new UsageError('--preview shows what the Claude engine would send: use it with --engine claude');
        // A query on a read-only store: the heuristic dream runs on a snapshot, nothing is stored or sent.
        const preview = await withCore(opts, 'read', (api) => api.call('claude.preview', { full: !!opts.full }));
        const tokens = preview.requests.map(requestTokens);
        print(opts, { ...preview, tokens: { perRequest: tokens.map((t) => t.prefix + t.messages), total: tokens.reduce((n, t) => n + t.prefix + t.messages, 0) } }, () => renderPreview(preview));
        return;
      }
      // An incremental dream's longest read (the observation index) starts with the process, beside the store's opening.
      const dream = await withCore(opts, 'write', (api) => {
        if (!opts.json) log('Dreaming …');
        return api.call('dreams.run', { engine: opts.engine as 'heuristic' | 'claude' | undefined, full: !!opts.full });
      }, { dreamAhead: !opts.full });
      print(opts, dream, () => renderDream(dream));
    });

  common(dreamCmd.command('review').description('review mode: accept or reject the changes of a pending dream'))
    .argument('<dreamId>', 'the pending dream (see `reverie dreams`)')
    .option('--accept <changeIds...>', 'change ids to apply (e.g. c1 c3), or "all"')
    .option('--reject <changeIds...>', 'change ids to drop, or "all"')
    .action(async (id: string, own: GlobalOpts & { accept?: string[]; reject?: string[] }, cmd: Command) => {
      // `dream` itself takes --store/--json too; whichever level they were given at counts.
      const opts = { ...cmd.optsWithGlobals(), ...own } as GlobalOpts & { accept?: string[]; reject?: string[] };
      if (!opts.accept?.length && !opts.reject?.length) throw new UsageError(`say which changes to --accept or --reject (ids as in \`reverie diff ${id}\`, or "all")`);
      const dream = await withCore(opts, 'write', async (api) => {
        const pending = (await api.call('dreams.get', { id })).changes.filter((c) => c.decision === 'pending').map((c) => c.id);
        const ids = (v?: string[]) => (v?.includes('all') ? pending : (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean));
        const accept = ids(opts.accept);
        const reject = ids(opts.reject).filter((x) => !(opts.reject?.includes('all') && accept.includes(x)));
        if (!accept.length && !reject.length) {
          if (!pending.length) throw new UsageError(`dream ${id} has no pending changes`);
          throw new UsageError(`say which changes to --accept or --reject (pending: ${pending.join(' ')}; see \`reverie diff ${id}\`)`);
        }
        return api.call('dreams.review', { id, accept, reject });
      });
      print(opts, dream, () => renderDream(dream));
    });

  common(program.command('dreams').description('list past dreams')).action(async (opts: GlobalOpts) => {
    const dreams = await withCore(opts, 'read', (api) => api.call('dreams.list'));
    print(opts, dreams, () => (dreams.length ? dreams.map(renderDream).join('\n\n') : 'No dreams yet. Run `reverie dream`.'));
  });
}
