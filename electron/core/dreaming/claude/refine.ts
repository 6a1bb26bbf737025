// The Claude engine: runs after the heuristic engine and refines its result. Batches of clusters
// are sent one by one under the cost caps; each validated answer becomes ordinary Changes. Any
// failure keeps what already succeeded, and a failure before the first answer leaves exactly the
// heuristic result, with the dream's message saying why.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Signal } from '../../../../shared/model';
import { readSignals } from '../compute';
import type { DreamInput, DreamOutput } from '../types';
import { Curation } from './apply';
import { ClaudeFailure, createSender, type Sender } from './client';
import { addUsage, costOf, priceOf, zeroUsage, type Usage } from './models';
import { batchesOf, buildRequest, estimateRequest, gatherMaterial, type Material, type Batch, type RequestBody } from './prompt';
import { TOOL_NAME, ToolInput } from './schema';

export interface RefineOptions {
  /** The user's key: from the host (safeStorage in Electron) or ANTHROPIC_API_KEY. */
  apiKey: () => Promise<string | null>;
  /** What this calendar month's earlier dreams already cost (the monthly cap counts it). */
  monthSpentUsd: number;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
  /** Signals of the dream's sessions; read from the store when not given. */
  signals?: Signal[];
  /** Off only to measure what prompt caching saves. */
  promptCaching?: boolean;
  /** Tests inject a sender; normally one is made from the options above. */
  sender?: Sender;
}

export interface RefineResult {
  output: DreamOutput;
  usage: Usage;
  /** Requests actually sent (retries included). */
  requests: number;
  /** Set when Claude contributed nothing and the result is the heuristic one. */
  fellBack: boolean;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

const envNumber = (name: string) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

export interface Plan { material: Material; batches: Batch[]; requests: RequestBody[] }

/** What a dream would send, without sending it: the preview and the estimate use this. */
export function planRefinement(input: DreamInput, heuristic: DreamOutput, signals: Signal[], promptCaching = true): Plan {
  const material = gatherMaterial(input, heuristic, signals);
  const batches = batchesOf(material);
  const opts = { model: input.settings.claudeModel, minSessions: input.settings.minSessions, promptCaching };
  return { material, batches, requests: batches.map((b) => buildRequest(material, b, opts)) };
}

function usageOf(message: Message, model: string): Usage {
  const u = message.usage;
  const tokens = {
    inputTokens: u?.input_tokens ?? 0,
    outputTokens: u?.output_tokens ?? 0,
    cacheReadTokens: u?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u?.cache_creation_input_tokens ?? 0,
  };
  return { ...tokens, costUsd: costOf(tokens, model) };
}

/** The tool call's input, validated; or a short description of what was wrong with the answer. */
export function parseAnswer(message: Message): { ok: true; value: ToolInput } | { ok: false; problem: string } {
  const calls = (message.content ?? []).filter((b): b is Extract<typeof b, { type: 'tool_use' }> => b.type === 'tool_use' && b.name === TOOL_NAME);
  if (!calls.length) {
    const why = message.stop_reason === 'max_tokens' ? 'the answer was cut off at max_tokens' : `no ${TOOL_NAME} call in the answer (stop reason: ${message.stop_reason ?? 'none'})`;
    return { ok: false, problem: why };
  }
  const changes: ToolInput['changes'] = [];
  for (const call of calls) {
    const parsed = ToolInput.safeParse(call.input);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return { ok: false, problem: `the ${TOOL_NAME} input does not match its schema (${issues})` };
    }
    changes.push(...parsed.data.changes);
  }
  return { ok: true, value: { changes } };
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 3 : 2)}`;

export async function refineWithClaude(input: DreamInput, heuristic: DreamOutput, opts: RefineOptions): Promise<RefineResult> {
  const model = input.settings.claudeModel;
  const log = opts.log ?? ((m: string) => process.stderr.write(`reverie: claude: ${m}\n`));
  const caps = input.settings.costCapUsd;
  let usage = zeroUsage();
  let requests = 0;
  const fallback = (why: string): RefineResult => {
    log(why);
    const note = `${why} Kept the heuristic result.`;
    return { output: { ...heuristic, message: heuristic.message ? `${note} ${heuristic.message}` : note }, usage, requests, fellBack: true };
  };

  const key = (await opts.apiKey().catch(() => null))?.trim();
  if (!key) return fallback('Claude engine not used: no Anthropic API key (set ANTHROPIC_API_KEY, or add a key in Settings).');

  const signals = opts.signals ?? readSignals(input);
  const plan = planRefinement(input, heuristic, signals, opts.promptCaching ?? true);
  if (!plan.batches.length) {
    return { output: { ...heuristic, message: [heuristic.message, 'Claude engine: nothing new to refine, so nothing was sent.'].filter(Boolean).join(' ') }, usage, requests, fellBack: false };
  }

  const sender = opts.sender ?? createSender({
    apiKey: key,
    baseURL: opts.baseURL,
    timeoutMs: opts.timeoutMs ?? envNumber('REVERIE_CLAUDE_TIMEOUT_MS') ?? DEFAULT_TIMEOUT_MS,
    maxRetries: opts.maxRetries ?? 2,
    maxRetryWaitMs: opts.maxRetryWaitMs ?? 30_000,
    sleep: opts.sleep,
    log,
  });
  const curation = new Curation(input, heuristic, plan.material);
  const buildOpts = { model, minSessions: input.settings.minSessions, promptCaching: opts.promptCaching ?? true };
  let answered = 0;
  let stop: string | undefined;
  const droppedBatches: string[] = [];

  /** Null when the request may be sent; otherwise why the cap stops the dream here. */
  const overCap = (body: RequestBody, clusters: number): string | null => {
    const worst = estimateRequest(body, clusters, requests === 0).maxCostUsd;
    if (usage.costUsd + worst > caps.perDream) return `the next request could cost up to ${usd(worst)}, and with ${usd(usage.costUsd)} spent that would pass the per-dream cap of ${usd(caps.perDream)}`;
    if (opts.monthSpentUsd + usage.costUsd + worst > caps.monthly) return `the next request could cost up to ${usd(worst)}, and with ${usd(opts.monthSpentUsd + usage.costUsd)} spent this month that would pass the monthly cap of ${usd(caps.monthly)}`;
    return null;
  };

  batches: for (const [i, batch] of plan.batches.entries()) {
    let retryNote: string | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const body = retryNote ? buildRequest(plan.material, batch, buildOpts, retryNote) : plan.requests[i];
      const capped = overCap(body, batch.clusters.length);
      if (capped) {
        stop = `Stopped before batch ${i + 1} of ${plan.batches.length}: ${capped}.`;
        break batches;
      }
      let message: Message;
      try {
        requests++;
        message = await sender.send(body);
      } catch (err) {
        const failure = err instanceof ClaudeFailure ? err : new ClaudeFailure('other', String(err));
        stop = `Claude engine stopped at batch ${i + 1} of ${plan.batches.length}: ${failure.message}`;
        break batches;
      }
      usage = addUsage(usage, usageOf(message, model));
      const answer = parseAnswer(message);
      if (answer.ok) {
        answered++;
        curation.apply(answer.value.changes);
        continue batches;
      }
      if (attempt === 0) {
        log(`batch ${i + 1}: ${answer.problem}; asking once more.`);
        retryNote = answer.problem;
      } else {
        const why = `batch ${i + 1} dropped after a retry: ${answer.problem}`;
        log(why);
        droppedBatches.push(why);
      }
    }
  }

  for (const d of curation.dropped) log(`refused a proposed change: ${d}`);
  if (!answered) return fallback(stop ?? `Claude engine gave no usable answer (${droppedBatches.join('; ')}).`);

  const changes = curation.result();
  const parts = [
    `Claude (${model}${priceOf(model).known ? '' : ', unknown price: costed at the highest known rates'}) refined ${answered} of ${plan.batches.length} batch(es): ${curation.applied} change(s) applied${curation.dropped.length ? `, ${curation.dropped.length} refused by the lesson rules (e.g. ${curation.dropped[0]})` : ''}; cost ${usd(usage.costUsd)}.`,
    ...droppedBatches.map((d) => `${d[0].toUpperCase()}${d.slice(1)}.`),
    ...(stop ? [`${stop} The remaining clusters keep the heuristic result.`] : []),
    ...(changes.length ? [] : heuristic.message ? [heuristic.message] : []),
  ];
  return { output: { ...heuristic, changes, message: parts.join(' ') }, usage, requests, fellBack: false };
}
