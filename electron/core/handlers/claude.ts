// The Claude engine's join points in core: `claude.status|estimate|preview` for the UI, and
// `withEngine`, which dreams.run calls after the heuristic worker returns. The API key is only
// ever read through ctx.apiKey (the host's seam) and never crosses the contract.
import { ContractError } from '../../../shared/contract/define';
import type { Dream } from '../../../shared/model';
import type { CoreContext, DomainHandlers } from '../context';
import { readSignals } from '../dreaming/compute';
import { DEFAULT_CLAUDE_MODEL, PRICES, priceOf, type Usage } from '../dreaming/claude/models';
import { saveLedger } from '../dreaming/claude/ledger';
import { estimateTokens } from '../dreaming/claude/prompt';
import { costOfPlan, outgoing, planRefinement, refineWithClaude } from '../dreaming/claude/refine';
import { runDreamInWorker } from '../dreaming/runner';
import type { DreamInput, DreamOutput } from '../dreaming/types';
import { dreamInput } from './dream-input';

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
export async function withEngine(ctx: CoreContext, engine: 'heuristic' | 'claude', input: DreamInput, heuristic: DreamOutput): Promise<{ output: DreamOutput; usage?: Usage; engine: 'heuristic' | 'claude'; commit: () => void }> {
  if (engine !== 'claude') return { output: heuristic, engine: 'heuristic', commit: () => {} };
  const r = await refineWithClaude(input, heuristic, { ...ctx.claude, apiKey: ctx.apiKey, monthSpentUsd: monthSpentUsd(ctx.store.data.dreams, input.now) });
  // The caller commits the ledger once the dream is recorded, so it never claims lessons were
  // refined that the store does not hold. What Claude read, answered and left pending is kept even
  // when the dream falls back: paid-for answers are never asked for twice, failed batches resume first.
  const commit = () => saveLedger(input.storeDir, r.ledger);
  // `engine` is what ran: a fallback before any request (no key, a cap) is the heuristic's dream.
  if (r.fellBack && r.requests === 0) return { output: r.output, engine: 'heuristic', commit };
  return { output: r.output, usage: r.usage, engine: 'claude', commit };
}

/** The same snapshot dreams.run builds. */
const snapshot = (ctx: CoreContext, full: boolean): DreamInput => dreamInput(ctx.store, full, new Date().toISOString());

const nothingToSend = 'Claude has read every session and refined every lesson in its current wording: a dream now would send nothing.';

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
    return { input, ...planRefinement(input, heuristic, readSignals(input), ctx.claude.promptCaching ?? true, { discoveryBatchSessions: ctx.claude.discoveryBatchSessions }) };
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
      const c = costOfPlan(p, s.caps, s.monthSpentUsd);
      const round = (n: number) => Math.round(n * 1e6) / 1e6;
      const note = !c.requests
        ? nothingToSend
        : `${c.requests} request(s) to ${s.model}${c.discoveryBatches ? ` (${c.discoveryBatches} discovery batch(es) reading ${c.sessionsToRead} session(s))` : ''}; expected about $${c.expectedCostUsd.toFixed(3)}, at most $${c.maxCostUsd.toFixed(3)}${c.withinCaps < c.requests ? `; the cost caps allow ${c.withinCaps} of them` : ''}.${s.keyPresent ? '' : ' No API key yet: add one in Settings or set ANTHROPIC_API_KEY.'}`;
      return {
        ...s, batches: c.requests, clusters: p.material.clusters.length, lessons: p.material.lessons.length,
        discoveryBatches: c.discoveryBatches, sessionsToRead: c.sessionsToRead,
        pending: p.ledger.pending.map((x) => ({ kind: x.kind, items: x.ids.length, reason: x.reason, at: x.at })),
        inputTokens: c.inputTokens, cacheWriteTokens: c.cacheWriteTokens, cacheReadTokens: c.cacheReadTokens, outputTokens: c.outputTokens,
        expectedCostUsd: round(c.expectedCostUsd), maxCostUsd: round(c.maxCostUsd), batchesWithinCaps: c.withinCaps, note,
      };
    },
    async 'claude.preview'({ full }) {
      const p = await plan(full);
      const sends = outgoing(p);
      return {
        model: p.input.settings.claudeModel,
        requests: sends.map((x) => x.body) as unknown as Record<string, unknown>[],
        batches: sends.map((x) => ({ kind: x.kind, items: x.items, bytes: Buffer.byteLength(JSON.stringify(x.body)), tokens: estimateTokens(JSON.stringify(x.body)), ...(x.resumed ? { resumed: x.resumed } : {}) })),
        note: sends.length
          ? `These ${sends.length} request bodies are sent as shown (POST /v1/messages), in this order: discovery batches (session digests; pending ones first), then refinement of the lessons. Refinement is built before discovery answers, so a lesson discovery adds is not in it. A batch whose answer is invalid is sent once more with one extra line saying what was wrong.`
          : nothingToSend,
      };
    },
  };
}
