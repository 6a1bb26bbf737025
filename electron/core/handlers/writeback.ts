import path from 'node:path';
import { ContractError } from '../../../shared/contract/define';
import type { Handlers } from '../../../shared/contract';
import type { Agent } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { resolveAgents } from '../seeding/seed';
import { runWriteback } from '../writeback';
import { adoptBlock } from '../writeback/adopt';
import { readState, writeState } from '../writeback/state';

function selectAgents(ctx: CoreContext, refs: string[] | undefined): Agent[] {
  const all = ctx.store.data.agents;
  if (!refs?.length) return all;
  const ids = new Set(resolveAgents(refs, all));
  return all.filter((a) => ids.has(a.id));
}

export function writebackHandlers(ctx: CoreContext): DomainHandlers<'writeback.status' | 'writeback.preview' | 'writeback.apply' | 'writeback.adopt'> {
  const run = (agents: string[] | undefined, dryRun: boolean, force = false) =>
    runWriteback({ storeDir: ctx.store.dir, lessons: ctx.store.data.lessons, agents: selectAgents(ctx, agents), settings: ctx.store.data.settings, dryRun, force });
  return {
    async 'writeback.status'() {
      const state = readState(ctx.store.dir);
      return {
        files: Object.values(state.files).map((f) => ({ file: f.file, agentIds: f.agentIds, writtenAt: f.writtenAt, lessonIds: f.lines.map((l) => l.lessonId) })),
        lessons: Object.fromEntries(Object.entries(state.lessons).map(([id, l]) => [id, { firstWrittenAt: l.firstWrittenAt, lastWrittenAt: l.lastWrittenAt, files: l.files }])),
      };
    },
    async 'writeback.preview'({ agents }) {
      return run(agents, true);
    },
    async 'writeback.apply'({ agents, force }) {
      // Project files are not the store, but the writer lock still makes write-backs one at a time.
      if (ctx.store.readOnly) throw new ContractError('locked', 'Write-back records what it wrote in the store, which is open read-only here.');
      const result = await ctx.exclusive(() => run(agents, false, force));
      ctx.notify('writeback');
      return result;
    },
    async 'writeback.adopt'({ file }) {
      const out = await ctx.exclusive(async () => {
        const state = readState(ctx.store.dir);
        const abs = path.resolve(file);
        const r = adoptBlock(abs, ctx.store.data.lessons, state, new Date().toISOString());
        await ctx.store.writeMain();
        await writeState(ctx.store.dir, state);
        return { file: abs, ...r };
      });
      ctx.notify('lessons');
      return out;
    },
  };
}

/**
 * Optional automatic write-back after each applied dream (settings.writeback.auto), composed
 * around the dream handler instead of written into it. A failing write-back never fails the dream:
 * the dream is already stored; the targets' problems show in the next preview.
 */
export function withAutoWriteback(ctx: CoreContext, handlers: Handlers): Handlers {
  const dream = handlers['dreams.run'];
  return {
    ...handlers,
    async 'dreams.run'(input) {
      const result = await dream(input);
      if (result.status === 'applied' && ctx.store.data.settings.writeback.auto) {
        await handlers['writeback.apply']({ force: false }).catch((err: unknown) => process.stderr.write(`auto write-back failed: ${(err as Error).message}\n`));
      }
      return result;
    },
  };
}
