import { z } from 'zod';
import { Dream } from '../model';
import { NoInput, mutation, query } from './define';

const Id = z.object({ id: z.string().min(1) });

export const dreams = {
  'dreams.run': mutation(z.object({ engine: z.enum(['heuristic', 'claude']).optional(), full: z.boolean().default(false) }).default({ full: false }), Dream),
  'dreams.list': query(NoInput, z.array(Dream)),
  'dreams.get': query(Id, Dream),
  /**
   * Reverts a dream exactly: every lesson it touched goes back to its `before`. Refused (conflict)
   * when a lesson changed since (an edit, a pin, a later dream): undo those first.
   */
  'dreams.undo': mutation(Id, Dream),
  /**
   * Review mode: decide a pending dream's changes. Accepted ones are applied together (all or
   * none); the dream stays pending until every change is decided.
   */
  'dreams.review': mutation(
    z.object({ id: z.string().min(1), accept: z.array(z.string()).default([]), reject: z.array(z.string()).default([]) }).refine((v) => v.accept.length + v.reject.length > 0, 'name at least one change to accept or reject'),
    Dream,
  ),
};
