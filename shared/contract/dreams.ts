import { z } from 'zod';
import { Dream } from '../model';
import { NoInput, mutation, query } from './define';

export const dreams = {
  'dreams.run': mutation(z.object({ engine: z.enum(['heuristic', 'claude']).optional(), full: z.boolean().default(false) }).default({ full: false }), Dream),
  'dreams.list': query(NoInput, z.array(Dream)),
  'dreams.get': query(z.object({ id: z.string().min(1) }), Dream),
};
