import { z } from 'zod';
import { ImportResult } from '../model';
import { mutation } from './define';

export const imports = {
  'import.paths': mutation(z.object({ paths: z.array(z.string().min(1)).min(1), agent: z.string().optional() }), ImportResult),
};
