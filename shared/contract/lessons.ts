import { z } from 'zod';
import { Evidence, Lesson } from '../model';
import { mutation, query } from './define';

const Id = z.object({ id: z.string().min(1) });

export const WhatIf = z.object({
  /** Past sessions the lesson would have applied to (its pattern, or wording like it, occurred). */
  sessions: z.number().int().nonnegative(),
  agents: z.number().int().nonnegative(),
  /** Sessions dreamt over so far: the denominator. */
  of: z.number().int().nonnegative(),
  examples: z.array(Evidence),
});
export type WhatIf = z.infer<typeof WhatIf>;

export const lessons = {
  'lessons.list': query(z.object({ all: z.boolean().default(false) }).default({ all: false }), z.array(Lesson)),
  'lessons.pin': mutation(z.object({ id: z.string().min(1), pinned: z.boolean() }), Lesson),
  /** Deleting leaves a tombstone so no later dream re-learns the pattern. */
  'lessons.delete': mutation(Id, z.object({ deleted: Lesson })),
  /** Restores a deleted lesson and lifts its tombstone (the UI's undo toast). */
  'lessons.restore': mutation(z.object({ lesson: Lesson }), Lesson),
  /** The user's wording: marks the lesson edited, and dreams never reword it again. */
  'lessons.edit': mutation(
    z.object({ id: z.string().min(1), title: z.string().trim().min(1).max(200).optional(), text: z.string().trim().min(1).max(2000).optional() }).refine((v) => v.title !== undefined || v.text !== undefined, 'give a new title or text'),
    Lesson,
  ),
  /** In how many past sessions a lesson (by id, or a wording not saved yet) would have applied. */
  'lessons.whatIf': query(z.union([Id, z.object({ text: z.string().trim().min(3) })]), WhatIf),
};
