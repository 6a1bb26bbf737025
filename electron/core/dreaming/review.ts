// Undo and review of a recorded dream, as pure functions over the lesson list. Both check that
// every lesson a change touches is still exactly as the change left it (or found it), so neither
// ever overwrites an edit, a pin or a later dream's work silently.
import { ContractError } from '../../../shared/contract/define';
import type { Change, Dream, Lesson, LessonDelta } from '../../../shared/model';
import type { UndoneChange } from './types';
import { applyChanges, revertChanges } from './changes';

const deltasOf = (c: Change): LessonDelta[] => [{ lessonId: c.lessonId, before: c.before, after: c.after }, ...c.related];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function expectState(lessons: Lesson[], changes: Change[], side: 'before' | 'after', doing: string): void {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  // Walk the chain: a lesson touched twice must match the first `before` / the last `after`.
  const want = new Map<string, Lesson | null>();
  const ordered = side === 'after' ? changes : [...changes].reverse();
  for (const c of ordered) for (const d of deltasOf(c)) want.set(d.lessonId, d[side]);
  for (const [id, expected] of want) {
    const cur = byId.get(id) ?? null;
    if (!same(cur, expected)) {
      const name = (expected ?? cur)?.title ?? id;
      throw new ContractError('conflict', `Cannot ${doing}: the lesson "${name}" (${id}) changed since the dream${cur ? '' : ' (it was deleted)'}. Undo or revert that change first.`);
    }
  }
}

/** The lessons with the dream reverted; throws `conflict` when a touched lesson changed since. */
export function undoDream(lessons: Lesson[], dream: Dream): Lesson[] {
  if (dream.status === 'undone') throw new ContractError('conflict', `Dream ${dream.id} was already undone.`);
  const applied = dream.changes.filter((c) => c.decision === 'applied' || c.decision === 'accepted');
  if (!applied.length) throw new ContractError('conflict', `Dream ${dream.id} changed nothing, so there is nothing to undo.`);
  expectState(lessons, applied, 'after', `undo dream ${dream.id}`);
  return revertChanges(lessons, applied);
}

/** Applies the accepted changes of a pending dream together; marks the rejected ones. */
export function reviewDream(lessons: Lesson[], dream: Dream, accept: string[], reject: string[]): { lessons: Lesson[]; dream: Dream } {
  if (dream.status !== 'pending') throw new ContractError('conflict', `Dream ${dream.id} is ${dream.status}, not pending review.`);
  const byId = new Map(dream.changes.map((c) => [c.id, c]));
  for (const id of [...accept, ...reject]) {
    const c = byId.get(id);
    if (!c) throw new ContractError('not-found', `Dream ${dream.id} has no change ${id} (its changes: ${dream.changes.map((x) => x.id).join(', ')}).`);
    if (c.decision !== 'pending') throw new ContractError('conflict', `Change ${id} was already ${c.decision}.`);
  }
  const both = accept.filter((id) => reject.includes(id));
  if (both.length) throw new ContractError('invalid-input', `Change ${both[0]} cannot be both accepted and rejected.`);
  // Accepted changes apply in the dream's order, so a lesson touched twice ends as the dream meant.
  const accepted = dream.changes.filter((c) => accept.includes(c.id));
  expectState(lessons, accepted, 'before', 'apply the accepted changes');
  const next = applyChanges(lessons, accepted);
  const changes = dream.changes.map((c) => (accept.includes(c.id) ? { ...c, decision: 'accepted' as const } : reject.includes(c.id) ? { ...c, decision: 'rejected' as const } : c));
  const done = changes.every((c) => c.decision !== 'pending');
  const status = !done ? 'pending' : changes.some((c) => c.decision === 'accepted') ? 'applied' : 'empty';
  const count = (d: string) => changes.filter((c) => c.decision === d).length;
  const message = done ? `Reviewed: ${count('accepted')} change(s) accepted, ${count('rejected')} rejected.` : `Review mode: ${count('pending')} change(s) still pending.`;
  return { lessons: next, dream: { ...dream, changes, status, message } };
}

/** The retirements and merges of undone dreams, which the next dreams must not silently redo. */
export function undoneChanges(dreams: Dream[]): UndoneChange[] {
  return dreams
    .filter((d) => d.status === 'undone')
    .flatMap((d) => d.changes.filter((c) => c.decision === 'applied' || c.decision === 'accepted'))
    .flatMap((c) => (c.op === 'retire' || c.op === 'merge' ? [{ op: c.op, lessonId: c.lessonId, sessions: (c.op === 'retire' ? c.before : c.after)?.support.sessions ?? 0 }] : []));
}
