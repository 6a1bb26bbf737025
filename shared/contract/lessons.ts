import { z } from 'zod';
import { Lesson } from '../model';
import { mutation, query } from './define';

const Id = z.object({ id: z.string().min(1) });

export const lessons = {
  'lessons.list': query(z.object({ all: z.boolean().default(false) }).default({ all: false }), z.array(Lesson)),
  'lessons.pin': mutation(z.object({ id: z.string().min(1), pinned: z.boolean() }), Lesson),
  /** Deleting leaves a tombstone so no later dream re-learns the pattern. */
  'lessons.delete': mutation(Id, z.object({ deleted: Lesson })),
  /** Restores a deleted lesson and lifts its tombstone (the UI's undo toast). */
  'lessons.restore': mutation(z.object({ lesson: Lesson }), Lesson),
};
