// Applying and reverting a changeset. Every change records the full before/after of each lesson it
// touches, so undo is exact: restore the `before` of every delta, in reverse order.
import type { Change, Lesson, LessonDelta } from '../../../shared/model';

const deltasOf = (c: Change): LessonDelta[] => [{ lessonId: c.lessonId, before: c.before, after: c.after }, ...c.related];

function put(lessons: Lesson[], id: string, value: Lesson | null): Lesson[] {
  const rest = lessons.filter((l) => l.id !== id);
  if (!value) return rest;
  const at = lessons.findIndex((l) => l.id === id);
  if (at < 0) return [...rest, value];
  rest.splice(at, 0, value);
  return rest;
}

export function applyChanges(lessons: Lesson[], changes: Change[]): Lesson[] {
  let out = lessons;
  for (const c of changes) for (const d of deltasOf(c)) out = put(out, d.lessonId, d.after);
  return out;
}

export function revertChanges(lessons: Lesson[], changes: Change[]): Lesson[] {
  let out = lessons;
  for (const c of [...changes].reverse()) for (const d of [...deltasOf(c)].reverse()) out = put(out, d.lessonId, d.before);
  return out;
}
