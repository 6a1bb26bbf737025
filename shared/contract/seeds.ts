// Seeding: the bundled packs of known good practices and pitfalls, and the user's own markdown or
// JSON lists. Seeded lessons are marked (origin 'seeded'), active at once, and never deleted by a dream.
import { z } from 'zod';
import { Lesson } from '../model';
import { NoInput, mutation, query } from './define';

export const SeedPack = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** How many practices and pitfalls the pack holds. */
  count: z.number().int().nonnegative(),
  /** How many of them are already lessons in this store. */
  seeded: z.number().int().nonnegative(),
});
export type SeedPack = z.infer<typeof SeedPack>;

/** What to seed: pasted text (markdown bullets or JSON), or one of the bundled packs. */
export const SeedInput = z
  .object({
    text: z.string().min(1).max(1_000_000).optional(),
    /** File name or label for messages; its extension picks the format when `format` is absent. */
    name: z.string().min(1).max(300).default('pasted text'),
    format: z.enum(['md', 'json']).optional(),
    packId: z.string().min(1).max(60).optional(),
    /** Agent ids or names the lessons apply to; absent = every agent (team lessons). */
    agents: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.packId === undefined), { message: 'give either text or packId, not both and not neither' });
export type SeedInput = z.input<typeof SeedInput>;

export const SeedResult = z.object({
  source: z.string(),
  added: z.array(Lesson),
  skipped: z.array(z.object({ title: z.string(), text: z.string(), reason: z.string() })),
});
export type SeedResult = z.infer<typeof SeedResult>;

export const seeds = {
  'seeds.packs': query(NoInput, z.array(SeedPack)),
  /** What seeding would add and skip, without storing anything (the seed dialog's preview). */
  'seeds.preview': query(SeedInput, SeedResult),
  /** Named in the lessons namespace because that is what it produces (the Lessons screen's seed dialog calls it). */
  'lessons.seed': mutation(SeedInput, SeedResult),
};
