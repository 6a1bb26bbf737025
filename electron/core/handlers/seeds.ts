import type { SeedResult } from '../../../shared/contract/seeds';
import type { CoreContext, DomainHandlers } from '../context';
import { parseSeed } from '../seeding/parse';
import { findPack, listPacks, seedsDir } from '../seeding/packs';
import { seedLessons, seedPatternKey } from '../seeding/seed';

type Input = { text?: string; name: string; format?: 'md' | 'json'; packId?: string; agents?: string[] };

export function seedHandlers(ctx: CoreContext): DomainHandlers<'seeds.packs' | 'seeds.preview' | 'lessons.seed'> {
  const plan = (input: Input): SeedResult => {
    const pack = input.packId ? findPack(seedsDir(ctx.demoDir), input.packId) : null;
    const source = pack ? `pack:${pack.id}` : input.name;
    const doc = parseSeed(pack ? pack.source : input.text!, pack ? pack.file : input.name, pack ? undefined : input.format);
    const { added, skipped } = seedLessons(doc, {
      existing: ctx.store.data.lessons,
      tombstones: ctx.store.data.tombstones,
      agents: ctx.store.data.agents,
      scope: input.agents,
      now: new Date().toISOString(),
      source,
    });
    return { source, added, skipped };
  };
  return {
    async 'seeds.packs'() {
      const keys = new Set(ctx.store.data.lessons.map((l) => l.patternKey));
      return listPacks(seedsDir(ctx.demoDir)).map((p) => {
        const items = parseSeed(p.source, p.file).items;
        return { id: p.id, title: p.title, description: p.description, count: items.length, seeded: items.filter((i) => keys.has(seedPatternKey(i.text))).length };
      });
    },
    async 'seeds.preview'(input) {
      return plan(input);
    },
    async 'lessons.seed'(input) {
      const result = await ctx.exclusive(async () => {
        // Planned inside the queue so two seeds in a row see each other's lessons (idempotence).
        const r = plan(input);
        if (r.added.length) {
          ctx.store.data.lessons.push(...r.added);
          await ctx.store.writeMain();
        }
        return r;
      });
      if (result.added.length) ctx.notify('lessons');
      return result;
    },
  };
}
