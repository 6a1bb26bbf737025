// The Claude engine's join points in core: `claude.status|estimate|preview` for the UI, and
// `withEngine`, which dreams.run calls after the heuristic worker returns. The API key is only
// ever read through ctx.apiKey (the host's seam) and never crosses the contract.
import { ContractError } from '../../../shared/contract/define';
import type { Dream } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { readSignals } from '../dreaming/compute';
import { undoneChanges } from '../dreaming/review';
import { DEFAULT_CLAUDE_MODEL, PRICES, priceOf, type Usage } from '../dreaming/claude/models';
import { estimateRequest } from '../dreaming/claude/prompt';
import { planRefinement, refineWithClaude } from '../dreaming/claude/refine';
import { runDreamInWorker } from '../dreaming/runner';
import type { DreamInput, DreamOutput } from '../dreaming/types';

/** What Claude dreams cost in the calendar month (UTC) of `now`. */
export function monthSpentUsd(dreams: Dream[], now: string): number {
  const month = now.slice(0, 7);
  const total = dreams.filter((d) => d.startedAt.slice(0, 7) === month).reduce((n, d) => n + (d.usage?.costUsd ?? 0), 0);
  return Math.round(total * 1e6) / 1e6;
}

/**
 * Applies the dream's engine to the heuristic result. For `heuristic` it is the identity; for
 * `claude` it refines, and on any failure returns the heuristic result with a message saying why.
 */
export async function withEngine(ctx: CoreContext, engine: 'heuristic' | 'claude', input: DreamInput, heuristic: DreamOutput): Promise<{ output: DreamOutput; usage?: Usage; engine: 'heuristic' | 'claude' }> {
  if (engine !== 'claude') return { output: heuristic, engine: 'heuristic' };
  const r = await refineWithClaude(input, heuristic, { ...ctx.claude, apiKey: ctx.apiKey, monthSpentUsd: monthSpentUsd(ctx.store.data.dreams, input.now) });
  // `engine` is what ran: a fallback before any request (no key, a cap) is the heuristic's dream.
  if (r.fellBack && r.requests === 0) return { output: r.output, engine: 'heuristic' };
  return { output: r.output, usage: r.usage, engine: 'claude' };
}

/** The same snapshot dreams.run builds (kept in step with electron/core/handlers/dreams.ts). */
function snapshot(ctx: CoreContext, full: boolean): DreamInput {
  const { store } = ctx;
  return {
    storeDir: store.dir,
    full,
    sessionIds: store.sessions.map((s) => s.id),
    lessons: store.data.lessons,
    tombstones: store.data.tombstones,
    settings: store.data.settings,
    now: new Date().toISOString(),
    agentNames: Object.fromEntries(store.data.agents.map((a) => [a.id, a.name])),
    locations: store.index.data.locations,
    undone: undoneChanges(store.data.dreams),
  };
}

/** What a host without a key store says (browser mode, the CLI); the desktop app answers these itself (electron/main/host-methods.ts). */
export const NO_KEY_STORE = 'Browser mode and the CLI keep no API key: set ANTHROPIC_API_KEY in the environment before starting Reverie (npm start, reverie serve, reverie dream). The desktop app can store a key encrypted by your OS keychain.';

export function claudeHandlers(ctx: CoreContext): DomainHandlers<'claude.status' | 'claude.keyState' | 'claude.setKey' | 'claude.clearKey' | 'claude.estimate' | 'claude.preview'> {
  const status = async () => {
    const settings = ctx.store.data.settings;
    const key = await ctx.apiKey().catch(() => null);
    return {
      keyPresent: !!key?.trim(),
      model: settings.claudeModel,
      defaultModel: DEFAULT_CLAUDE_MODEL,
      priceKnown: priceOf(settings.claudeModel).known,
      models: Object.entries(PRICES).map(([id, p]) => ({ id, input: p.input, output: p.output, cacheWrite: p.cacheWrite, cacheRead: p.cacheRead })),
      caps: { ...settings.costCapUsd },
      monthSpentUsd: monthSpentUsd(ctx.store.data.dreams, new Date().toISOString()),
    };
  };
  const plan = async (full: boolean) => {
    const input = snapshot(ctx, full);
    const heuristic = await runDreamInWorker(ctx.worker, input);
    return { input, ...planRefinement(input, heuristic, readSignals(input)) };
  };
  return {
    'claude.status': status,
    async 'claude.keyState'() {
      const key = await ctx.apiKey().catch(() => null);
      return { keyPresent: !!key?.trim(), source: key?.trim() ? 'environment' : null, canStore: false, reason: NO_KEY_STORE };
    },
    async 'claude.setKey'() {
      throw new ContractError('failed', NO_KEY_STORE);
    },
    async 'claude.clearKey'() {
      throw new ContractError('failed', NO_KEY_STORE);
    },
    async 'claude.estimate'({ full }) {
      const [s, p] = await Promise.all([status(), plan(full)]);
      let inputTokens = 0, cacheWriteTokens = 0, cacheReadTokens = 0, outputTokens = 0, expected = 0, max = 0, within = 0;
      p.requests.forEach((body, i) => {
        const e = estimateRequest(body, p.batches[i].clusters.length, i === 0);
        inputTokens += e.batchTokens;
        if (i === 0) cacheWriteTokens += e.prefixTokens;
        else cacheReadTokens += e.prefixTokens;
        outputTokens += e.expectedOutputTokens;
        expected += e.expectedCostUsd;
        if (max + e.maxCostUsd <= s.caps.perDream && s.monthSpentUsd + max + e.maxCostUsd <= s.caps.monthly) within++;
        max += e.maxCostUsd;
      });
      const round = (n: number) => Math.round(n * 1e6) / 1e6;
      const note = !p.requests.length
        ? 'Nothing new for Claude to refine: a dream now would send nothing.'
        : `${p.requests.length} request(s) to ${s.model}; expected about $${expected.toFixed(3)}, at most $${max.toFixed(3)}${within < p.requests.length ? `; the cost caps allow ${within} of them` : ''}.${s.keyPresent ? '' : ' No API key yet: add one in Settings or set ANTHROPIC_API_KEY.'}`;
      return {
        ...s, batches: p.batches.length, clusters: p.material.clusters.length, lessons: p.material.lessons.length,
        inputTokens, cacheWriteTokens, cacheReadTokens, outputTokens,
        expectedCostUsd: round(expected), maxCostUsd: round(max), batchesWithinCaps: within, note,
      };
    },
    async 'claude.preview'({ full }) {
      const p = await plan(full);
      return {
        model: p.input.settings.claudeModel,
        requests: p.requests as unknown as Record<string, unknown>[],
        note: p.requests.length
          ? `These ${p.requests.length} request bodies are sent as shown (POST /v1/messages). A batch whose answer is invalid is sent once more with one extra line saying what was wrong.`
          : 'Nothing new for Claude to refine: a dream now would send nothing.',
      };
    },
  };
}
