import { ContractError } from '../../../shared/contract/define';
import type { Lesson } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { loadIndex } from '../dreaming/observations-file';
import { tombstonesFor, withTombstones, withoutTombstonesOf } from '../dreaming/tombstones';
import { whatIf } from '../dreaming/whatif';
import { lessonMutation } from './mutate';

export function findLesson(ctx: CoreContext, id: string): Lesson {
  const lesson = ctx.store.data.lessons.find((l) => l.id === id);
  if (!lesson) throw new ContractError('not-found', `No lesson with id ${id}`);
  return lesson;
}

/** Ranks lessons for display: pinned, then active before candidates, then by confidence and support. */
export function rankLessons(lessons: Lesson[]): Lesson[] {
  const statusRank = { active: 0, candidate: 1, retired: 2 } as const;
  return [...lessons].sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || statusRank[a.status] - statusRank[b.status] || b.confidence - a.confidence || b.support.sessions - a.support.sessions || a.id.localeCompare(b.id),
  );
}

export function lessonHandlers(ctx: CoreContext): DomainHandlers<'lessons.list' | 'lessons.pin' | 'lessons.delete' | 'lessons.restore' | 'lessons.edit' | 'lessons.whatIf'> {
  const mutate = lessonMutation(ctx);
  return {
    async 'lessons.list'({ all }) {
      return rankLessons(ctx.store.data.lessons.filter((l) => all || l.status !== 'retired'));
    },
    async 'lessons.pin'({ id, pinned }) {
      return mutate(() => {
        const lesson: Lesson = { ...findLesson(ctx, id), pinned, updatedAt: new Date().toISOString() };
        ctx.store.data.lessons = ctx.store.data.lessons.map((l) => (l.id === id ? lesson : l));
        return lesson;
      });
    },
    async 'lessons.delete'({ id }) {
      return mutate(() => {
        const lesson = findLesson(ctx, id);
        const data = ctx.store.data;
        data.lessons = data.lessons.filter((l) => l.id !== id);
        // The tombstones keep a later dream from re-learning what the user threw away: one for every
        // key the lesson owns (a seeded lesson's are the signal keys it absorbed), and a seeded or
        // user-written lesson's text, since those match patterns by wording.
        data.tombstones = withTombstones(data.tombstones, tombstonesFor(lesson, 'deleted', new Date().toISOString()));
        return { deleted: lesson };
      });
    },
    async 'lessons.restore'({ lesson }) {
      return mutate(() => {
        const data = ctx.store.data;
        if (data.lessons.some((l) => l.id === lesson.id)) throw new ContractError('conflict', `Lesson ${lesson.id} already exists`);
        data.tombstones = withoutTombstonesOf(data.tombstones, lesson);
        data.lessons.push(lesson);
        return lesson;
      });
    },
    async 'lessons.edit'({ id, title, text }) {
      return mutate(() => {
        const cur = findLesson(ctx, id);
        // A new object, not a mutation: dreams recorded `cur` as their after-state, and undo compares against it.
        const edited: Lesson = { ...cur, ...(title !== undefined ? { title } : {}), ...(text !== undefined ? { text } : {}), userEdited: true, updatedAt: new Date().toISOString() };
        ctx.store.data.lessons = ctx.store.data.lessons.map((l) => (l.id === id ? edited : l));
        return edited;
      });
    },
    async 'lessons.whatIf'(input) {
      const agentNames = Object.fromEntries(ctx.store.data.agents.map((a) => [a.id, a.name]));
      const index = loadIndex(ctx.store.dir);
      return 'id' in input ? whatIf(index, { lesson: findLesson(ctx, input.id) }, agentNames) : whatIf(index, { text: input.text }, agentNames);
    },
  };
}
