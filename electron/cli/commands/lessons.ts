import type { Command } from 'commander';
import type { AppInfo } from '../../../shared/contract';
import type { Lesson } from '../../../shared/model';
import { print, UsageError, withCore, type GlobalOpts } from '../context';

export function renderLesson(l: Lesson): string {
  const flags = [l.status, l.origin, l.pinned ? 'pinned' : null].filter(Boolean).join(', ');
  const scope = l.agents.join(', ') || '—';
  return [
    `${l.id}  [${l.kind}] ${l.title}  (${flags})`,
    `    ${l.text}`,
    `    scope: ${scope} · support: ${l.support.sessions} sessions, ${l.support.agents} agents, ${l.support.occurrences}× · confidence ${Math.round(l.confidence * 100)}%`,
    ...(l.contradiction ? [`    ⚠ contradicted: ${l.contradiction.reason}`] : []),
    ...l.evidence.slice(0, 3).map((e) => `    evidence: ${e.agent} ${e.sessionId} ${e.eventId}: ${e.excerpt.split('\n')[0].slice(0, 100)}`),
  ].join('\n');
}

/** Why the list is empty, as the Lessons screen says it: nothing imported, not dreamt yet, held back by the user, or nothing recurs. */
export function whyNoLessons(counts: AppInfo['counts']): string {
  const sessions = `${counts.sessions} session${counts.sessions === 1 ? '' : 's'}`;
  if (counts.sessions === 0) return 'No lessons yet. Import sessions and run `reverie dream`.';
  if (counts.heldBack > 0)
    return `No lessons: ${counts.heldBack} learned from the ${sessions} ${counts.heldBack === 1 ? 'stays' : 'stay'} away because you deleted, rejected or undid ${counts.heldBack === 1 ? 'it' : 'them'} (deleted and rejected ones for good, undone ones until their pattern recurs in more sessions).`;
  if (counts.dreams === 0) return `No lessons yet: run \`reverie dream\` to learn from the ${sessions} imported.`;
  return `No lessons yet: no mistake, correction or workflow recurs across enough of the ${sessions}. Dream again after importing more work.`;
}

export function registerLessons(program: Command, common: (c: Command) => Command): void {
  common(program.command('lessons').description('list lessons (active and candidates; --all adds retired ones)'))
    .option('--all', 'include retired lessons')
    .action(async (opts: GlobalOpts & { all?: boolean }) => {
      const { lessons, counts } = await withCore(opts, 'read', async (api) => {
        const list = await api.call('lessons.list', { all: !!opts.all });
        // An empty list says why (the store's counts): asked for only then, and never for --json.
        return { lessons: list, counts: list.length || opts.json ? null : (await api.call('app.info', {})).counts };
      });
      print(opts, lessons, () => (lessons.length ? lessons.map(renderLesson).join('\n\n') : whyNoLessons(counts!)));
    });

  const lesson = program.command('lesson').description('change one lesson: pin, unpin, delete, edit; what-if');
  const actions: Record<string, (api: Parameters<Parameters<typeof withCore>[2]>[0], id: string) => Promise<unknown>> = {
    pin: (api, id) => api.call('lessons.pin', { id, pinned: true }),
    unpin: (api, id) => api.call('lessons.pin', { id, pinned: false }),
    delete: (api, id) => api.call('lessons.delete', { id }),
  };
  for (const [name, run] of Object.entries(actions)) {
    common(lesson.command(name).description(`${name} a lesson`))
      .argument('<id>', 'lesson id (see `reverie lessons`)')
      .action(async (id: string, opts: GlobalOpts) => {
        if (!id.trim()) throw new UsageError('a lesson id is required');
        const result = await withCore(opts, 'write', (api) => run(api, id));
        print(opts, result, () => `${name}: ${id} done.`);
      });
  }

  common(lesson.command('edit').description('reword a lesson; your wording wins over any later dream'))
    .argument('<id>', 'lesson id (see `reverie lessons`)')
    .option('--text <text>', 'the new lesson text')
    .option('--title <title>', 'the new title')
    .action(async (id: string, opts: GlobalOpts & { text?: string; title?: string }) => {
      if (opts.text === undefined && opts.title === undefined) throw new UsageError('give --text and/or --title');
      if ((opts.text !== undefined && !opts.text.trim()) || (opts.title !== undefined && !opts.title.trim())) throw new UsageError('--text and --title cannot be empty');
      const edited = await withCore(opts, 'write', (api) => api.call('lessons.edit', { id, ...(opts.text !== undefined ? { text: opts.text } : {}), ...(opts.title !== undefined ? { title: opts.title } : {}) }));
      print(opts, edited, () => renderLesson(edited));
    });

  common(lesson.command('what-if').description('in how many past sessions a lesson (or a wording) would have applied'))
    .argument('[id]', 'lesson id; or use --text')
    .option('--text <text>', 'a lesson wording not saved yet')
    .action(async (id: string | undefined, opts: GlobalOpts & { text?: string }) => {
      if (!id && !opts.text?.trim()) throw new UsageError('give a lesson id or --text');
      const r = await withCore(opts, 'read', (api) => api.call('lessons.whatIf', id ? { id } : { text: opts.text! }));
      print(opts, r, () => [`Would have applied in ${r.sessions} of ${r.of} sessions dreamt so far (${r.agents} agent(s)).`, ...r.examples.map((e) => `  ${e.agent} ${e.sessionId} ${e.eventId}: ${e.excerpt.split('\n')[0].slice(0, 100)}`)].join('\n'));
    });
}
