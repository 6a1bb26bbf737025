import type { Command } from 'commander';
import type { Lesson } from '../../../shared/model';
import { print, UsageError, withCore, type GlobalOpts } from '../context';

export function renderLesson(l: Lesson): string {
  const flags = [l.status, l.origin, l.pinned ? 'pinned' : null].filter(Boolean).join(', ');
  const scope = l.agents.join(', ') || '—';
  return [
    `${l.id}  [${l.kind}] ${l.title}  (${flags})`,
    `    ${l.text}`,
    `    scope: ${scope} · support: ${l.support.sessions} sessions, ${l.support.agents} agents, ${l.support.occurrences}× · confidence ${Math.round(l.confidence * 100)}%`,
    ...l.evidence.slice(0, 3).map((e) => `    evidence: ${e.agent} ${e.sessionId} ${e.eventId}: ${e.excerpt.split('\n')[0].slice(0, 100)}`),
  ].join('\n');
}

export function registerLessons(program: Command, common: (c: Command) => Command): void {
  common(program.command('lessons').description('list lessons (active and candidates; --all adds retired ones)'))
    .option('--all', 'include retired lessons')
    .action(async (opts: GlobalOpts & { all?: boolean }) => {
      const lessons = await withCore(opts, 'read', (api) => api.call('lessons.list', { all: !!opts.all }));
      print(opts, lessons, () => (lessons.length ? lessons.map(renderLesson).join('\n\n') : 'No lessons yet. Import sessions and run `reverie dream`.'));
    });

  const lesson = program.command('lesson').description('change one lesson: pin, unpin, delete');
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
}
