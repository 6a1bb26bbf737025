// Tombstones: what keeps a dream from re-learning what the user threw away. A lesson owns every
// key it absorbed (its patternKey and signalKeys), so deleting it tombstones all of them; seeded
// and user-written lessons also match patterns by wording, so their text is kept too. An 'undone'
// tombstone (its dream was undone) is soft: it lifts once the pattern recurs in more sessions.
import type { Lesson, Tombstone } from '../../../shared/model';
import { coveredKeys } from './claude/keys';

/** Every key a lesson stands for: its own pattern key (or a Claude lesson's variants) and the signal keys it absorbed. */
export const lessonKeys = (l: Lesson): string[] => [...new Set([...coveredKeys(l.patternKey), ...(l.signalKeys ?? [])])];

const hard = (t: Tombstone) => t.reason !== 'undone';

/** One tombstone per key the lesson owns; the first (its patternKey) carries a non-learned lesson's text. */
export function tombstonesFor(lesson: Lesson, reason: NonNullable<Tombstone['reason']>, at: string): Tombstone[] {
  return lessonKeys(lesson).map((patternKey, i) => ({
    patternKey, title: lesson.title, deletedAt: at, reason,
    ...(reason === 'undone' ? { sessions: lesson.support.sessions } : {}),
    ...(i === 0 && lesson.origin !== 'learned' ? { text: lesson.text } : {}),
  }));
}

/** Adds tombstones without duplicates; a hard one (deleted, rejected) replaces a soft 'undone' one for the same key, a later undo raises its bar. */
export function withTombstones(existing: Tombstone[], fresh: Tombstone[]): Tombstone[] {
  const out = [...existing];
  for (const t of fresh) {
    const i = out.findIndex((x) => x.patternKey === t.patternKey);
    if (i < 0) out.push(t);
    else if (hard(t) && !hard(out[i])) out[i] = t;
    // Undone again after it came back with more support: the new, higher bar counts.
    else if (!hard(t) && !hard(out[i]) && (t.sessions ?? 0) > (out[i].sessions ?? 0)) out[i] = t;
  }
  return out;
}

/** The tombstones left once a lesson is restored: none for any key it owns. */
export function withoutTombstonesOf(existing: Tombstone[], lesson: Lesson): Tombstone[] {
  const keys = new Set(lessonKeys(lesson));
  return existing.filter((t) => !keys.has(t.patternKey));
}

/**
 * Whether a pattern with these keys and this support is tombstoned: any key under a hard tombstone,
 * or under an 'undone' one while the pattern has no more sessions than when its dream was undone.
 */
export function tombstoneCheck(tombstones: Tombstone[]): (keys: string[], sessions: number) => boolean {
  const forever = new Set(tombstones.filter(hard).flatMap((t) => coveredKeys(t.patternKey)));
  const until = new Map<string, number>();
  for (const t of tombstones.filter((x) => !hard(x)))
    for (const k of coveredKeys(t.patternKey)) until.set(k, Math.max(until.get(k) ?? 0, t.sessions ?? Number.MAX_SAFE_INTEGER));
  return (keys, sessions) => keys.some((k) => forever.has(k) || (until.has(k) && sessions <= until.get(k)!));
}
