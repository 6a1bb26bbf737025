// The Claude engine: runs after the heuristic engine. First the discovery pass (sessions Claude has
// not read, as digests, in batches: resumed ones first), then the refinement of the lessons, as
// before. Every request is checked against the cost caps before it is sent; each validated answer
// becomes ordinary Changes, through Reverie's own rules. A batch that fails is recorded as pending
// in the ledger and resumed first by the next Claude dream; what already succeeded is kept, and a
// failure before the first answer leaves exactly the heuristic result, with the message saying why.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Signal } from '../../../../shared/model';
import fs from 'node:fs';
import { readSignals } from '../compute';
import { fingerprint } from '../heuristic';
import { indexOfSignals, type ObservationIndex } from '../observations';
import { loadIndex, readIndexFile } from '../observations-file';
import type { DreamInput, DreamOutput } from '../types';
import { Curation } from './apply';
import { ClaudeFailure, createSender, type Sender } from './client';
import { buildDiscoveryRequest, discoveryExpectedOutput, DiscoveryInput, parseDiscovery, requestHash, resolveCitations } from './discovery';
import { planDiscovery, sessionReader, type PlannedDiscovery, type SessionReader } from './discovery-plan';
import { loadLedger, type ClaudeLedger, type PendingBatch } from './ledger';
import { mergeFound } from './candidates';
import { addUsage, CONTEXT_TOKENS, costOf, priceOf, zeroUsage, type Usage } from './models';
import { batchesOf, buildRequest, estimateRequest, gatherMaterial, type Material, type Batch, type RequestBody } from './prompt';
import { recount } from './recount';
import { parseToolCalls, TOOL_NAME, ToolInput } from './schema';

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
  /** At most this many sessions per discovery batch (tests use small batches on small stores). */
  discoveryBatchSessions?: number;
  /** The ledger to start from; read from the store when not given. */
  ledger?: ClaudeLedger;
  /** The observation index support is recounted on; the dream's new one (or the store's) when not given. */
  index?: ObservationIndex;
}

export interface RefineResult {
  output: DreamOutput;
  usage: Usage;
  /** Requests actually sent (retries included). */
  requests: number;
  /** Set when Claude contributed nothing and the result is the heuristic one. */
  fellBack: boolean;
  /** The ledger after this dream (sessions read, answers, candidates, pending batches): the owner saves it. */
  ledger: ClaudeLedger;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

const envNumber = (name: string) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

export interface Plan {
  material: Material;
  /** Refinement batches and their bodies. */
  batches: Batch[];
  requests: RequestBody[];
  /** Refinement bodies answered before (by request hash): not sent again. */
  refineCached: (unknown | undefined)[];
  discovery: PlannedDiscovery[];
  /** Sessions with nothing worth sending: marked read without a request. */
  emptySessions: Record<string, string>;
  ledger: ClaudeLedger;
  ledgerNote?: string;
}

export interface PlanContext { ledger?: ClaudeLedger; read?: SessionReader; discoveryBatchSessions?: number }

/** What a dream would send, without sending it: the preview and the estimate use this. */
export function planRefinement(input: DreamInput, heuristic: DreamOutput, signals: Signal[], promptCaching = true, ctx: PlanContext = {}): Plan {
  const loaded = ctx.ledger ? { ledger: ctx.ledger } : loadLedger(input.storeDir);
  const ledger = loaded.ledger;
  const disc = planDiscovery(input, ledger, ctx.read ?? sessionReader(input.storeDir), promptCaching, ctx.discoveryBatchSessions);
  // The sub-threshold wishes of a session Claude reads in this dream's discovery pass, or has read
  // before, are not sent a second time as clusters: discovery sees them in context, and one
  // meaning must not come back as two proposals (nor cost twice).
  const discovered = new Set([...Object.keys(ledger.read), ...disc.batches.flatMap((d) => d.batch.digests.map((x) => x.sessionId))]);
  const unread = signals.filter((x) => !discovered.has(x.sessionId));
  const material = gatherMaterial(input, heuristic, unread, ledger.refined);
  const batches = batchesOf(material);
  const opts = { model: input.settings.claudeModel, minSessions: input.settings.minSessions, promptCaching };
  const requests = batches.map((b) => buildRequest(material, b, opts));
  return {
    material, batches, requests, refineCached: requests.map((r) => ledger.answers[requestHash(r)]),
    discovery: disc.batches, emptySessions: disc.empty, ledger, ...(loaded.note ? { ledgerNote: loaded.note } : {}),
  };
}

/** The requests a dream would actually send, in order (cached answers are not sent). */
export function outgoing(plan: Plan): { kind: 'discovery' | 'refine'; body: RequestBody; items: number; expectedOutput?: number; resumed?: string }[] {
  return [
    ...plan.discovery.filter((d) => d.cached === undefined).map((d) => ({
      kind: 'discovery' as const, body: d.body, items: d.batch.digests.length, expectedOutput: discoveryExpectedOutput(d.batch.digests.length), ...(d.batch.resumed ? { resumed: d.batch.resumed } : {}),
    })),
    ...plan.requests.map((body, i) => ({ kind: 'refine' as const, body, items: plan.batches[i].clusters.length, cached: plan.refineCached[i] }))
      .filter((r) => r.cached === undefined).map(({ cached: _, ...r }) => r),
  ];
}

export interface PlanCost {
  requests: number; discoveryBatches: number; sessionsToRead: number; resumed: number; cachedAnswers: number;
  /** Estimated tokens: uncached input, cache writes and reads of the prefixes, expected output. */
  inputTokens: number; cacheWriteTokens: number; cacheReadTokens: number; outputTokens: number;
  expectedCostUsd: number;
  /** Every request at max_tokens with no cache hit: what the caps are checked against. */
  maxCostUsd: number;
  /** Requests that fit under both caps, in order. */
  withinCaps: number;
  /** The largest request, input and max_tokens together. */
  largestTokens: number;
}

/** What the requests of a plan would cost, from their exact bodies (each prefix written to the cache once, then read). */
export function costOfPlan(plan: Plan, caps: { perDream: number; monthly: number }, monthSpentUsd = 0): PlanCost {
  const sends = outgoing(plan);
  const prefixes = new Set<string>();
  const c: PlanCost = { requests: sends.length, discoveryBatches: 0, sessionsToRead: 0, resumed: 0, cachedAnswers: 0, inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, expectedCostUsd: 0, maxCostUsd: 0, withinCaps: 0, largestTokens: 0 };
  for (const s of sends) {
    const prefix = JSON.stringify(s.body.system);
    const cached = s.body.system.some((b) => b.cache_control);
    const e = estimateRequest(s.body, s.items, !prefixes.has(prefix), s.expectedOutput);
    if (!cached) c.inputTokens += e.prefixTokens;
    else if (prefixes.has(prefix)) c.cacheReadTokens += e.prefixTokens;
    else c.cacheWriteTokens += e.prefixTokens;
    prefixes.add(prefix);
    if (s.kind === 'discovery') { c.discoveryBatches++; c.sessionsToRead += s.items; if (s.resumed) c.resumed++; }
    c.inputTokens += e.batchTokens;
    c.outputTokens += e.expectedOutputTokens;
    c.expectedCostUsd += e.expectedCostUsd;
    if (c.maxCostUsd + e.maxCostUsd <= caps.perDream && monthSpentUsd + c.maxCostUsd + e.maxCostUsd <= caps.monthly) c.withinCaps++;
    c.maxCostUsd += e.maxCostUsd;
    c.largestTokens = Math.max(c.largestTokens, e.prefixTokens + e.batchTokens + s.body.max_tokens);
  }
  c.cachedAnswers = plan.discovery.length - c.discoveryBatches + plan.refineCached.filter((x) => x !== undefined).length;
  return c;
}

/** What the dream is about to send and may cost, said before the first request (stderr on the CLI). */
export function estimateLine(plan: Plan, caps: { perDream: number; monthly: number }): string {
  const c = costOfPlan(plan, caps);
  return `about to send ${c.requests} request(s): ${c.discoveryBatches} discovery batch(es) reading ${c.sessionsToRead} session(s)${c.resumed ? ` (${c.resumed} resumed)` : ''}, ${c.requests - c.discoveryBatches} refinement batch(es)${c.cachedAnswers ? `; ${c.cachedAnswers} answered from the cache` : ''}; expected about $${c.expectedCostUsd.toFixed(3)}, at most $${c.maxCostUsd.toFixed(3)} (caps: $${caps.perDream.toFixed(2)} per dream, $${caps.monthly.toFixed(2)} a month, checked before each request).`;
}

/** The dream's fresh observation index (written by the worker), else the store's, else one built from the signals given. */
function indexFor(input: DreamInput, signals: Signal[]): ObservationIndex {
  if (input.indexOut && fs.existsSync(input.indexOut)) return readIndexFile(input.indexOut);
  if (fs.existsSync(input.storeDir)) return loadIndex(input.storeDir);
  return indexOfSignals(signals);
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
  const r = parseToolCalls(message, TOOL_NAME, ToolInput);
  return r.ok ? { ok: true, value: { changes: r.values.flatMap((v) => v.changes) } } : r;
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 3 : 2)}`;
/** Capitalised, with exactly one full stop. */
const sentence = (s: string) => `${s[0].toUpperCase()}${s.slice(1).replace(/[.\s]+$/, '')}.`;

type Exchange<T> = { ok: true; value: T } | { ok: false; fatal: boolean; why: string };

export async function refineWithClaude(input: DreamInput, heuristic: DreamOutput, opts: RefineOptions): Promise<RefineResult> {
  const model = input.settings.claudeModel;
  const log = opts.log ?? ((m: string) => process.stderr.write(`reverie: claude: ${m}\n`));
  const caps = input.settings.costCapUsd;
  let usage = zeroUsage();
  let requests = 0;
  const startLedger = opts.ledger ?? loadLedger(input.storeDir).ledger;
  const fallback = (why: string, ledger: ClaudeLedger = startLedger): RefineResult => {
    log(why);
    const note = `${why} Kept the heuristic result.`;
    return { output: { ...heuristic, message: heuristic.message ? `${note} ${heuristic.message}` : note }, usage, requests, fellBack: true, ledger };
  };

  const key = (await opts.apiKey().catch(() => null))?.trim();
  if (!key) return fallback('Claude engine not used: no Anthropic API key (set ANTHROPIC_API_KEY, or add a key in Settings).');

  const signals = opts.signals ?? readSignals(input);
  const read = sessionReader(input.storeDir);
  const caching = opts.promptCaching ?? true;
  const plan = planRefinement(input, heuristic, signals, caching, { ledger: structuredClone(startLedger), read, discoveryBatchSessions: opts.discoveryBatchSessions });
  const ledger = plan.ledger;
  Object.assign(ledger.read, plan.emptySessions);
  const previouslyPending = ledger.pending;
  ledger.pending = [];
  if (!plan.batches.length && !plan.discovery.length) {
    if (plan.ledgerNote) log(plan.ledgerNote);
    return { output: { ...heuristic, message: [heuristic.message, plan.ledgerNote, 'Claude engine: no session it has not read and nothing new to refine, so nothing was sent.'].filter(Boolean).join(' ') }, usage, requests, fellBack: false, ledger };
  }

  log(estimateLine(plan, caps));

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
  const buildOpts = { model, minSessions: input.settings.minSessions, promptCaching: caching };
  let stop: string | undefined;
  const pendingNotes: string[] = [];

  /** Null when the request may be sent; otherwise why the cap stops the dream here. */
  const overCap = (body: RequestBody, items: number, expectedOutput?: number): string | null => {
    const e = estimateRequest(body, items, requests === 0, expectedOutput);
    // Estimated pessimistically (≈3.5 characters per token), so a request that passes fits for real.
    if (e.prefixTokens + e.batchTokens + body.max_tokens > CONTEXT_TOKENS) return `the next request would take about ${(e.prefixTokens + e.batchTokens + body.max_tokens).toLocaleString('en')} tokens, more than the model's context of ${CONTEXT_TOKENS.toLocaleString('en')}`;
    const worst = e.maxCostUsd;
    if (usage.costUsd + worst > caps.perDream) return `the next request could cost up to ${usd(worst)}, and with ${usd(usage.costUsd)} spent that would pass the per-dream cap of ${usd(caps.perDream)}`;
    if (opts.monthSpentUsd + usage.costUsd + worst > caps.monthly) return `the next request could cost up to ${usd(worst)}, and with ${usd(opts.monthSpentUsd + usage.costUsd)} spent this month that would pass the monthly cap of ${usd(caps.monthly)}`;
    return null;
  };

  /** One batch: the cap check before each request, the send, and one retry of an unusable answer. */
  async function exchange<T>(label: string, first: RequestBody, rebuild: (note: string) => RequestBody, parse: (m: Message) => { ok: true; value: T } | { ok: false; problem: string }, items: number, expectedOutput?: number): Promise<Exchange<T>> {
    let body = first;
    for (let attempt = 0; ; attempt++) {
      const capped = overCap(body, items, expectedOutput);
      if (capped) return { ok: false, fatal: true, why: `stopped before ${label}: ${capped}` };
      let message: Message;
      try {
        requests++;
        message = await sender.send(body);
      } catch (err) {
        const failure = err instanceof ClaudeFailure ? err : new ClaudeFailure('other', String(err));
        return { ok: false, fatal: true, why: `stopped at ${label}: ${failure.message}` };
      }
      usage = addUsage(usage, usageOf(message, model));
      const answer = parse(message);
      if (answer.ok) return answer;
      if (attempt > 0) return { ok: false, fatal: false, why: `${label} dropped after a retry: ${answer.problem}` };
      log(`${label}: ${answer.problem}; asking once more.`);
      body = rebuild(answer.problem);
    }
  }

  const pend = (kind: PendingBatch['kind'], ids: string[], reason: string) => ledger.pending.push({ kind, ids, reason, at: input.now });

  // 1. Discovery: resumed batches first, then sessions Claude has not read.
  let discAnswered = 0, discCached = 0, proposed = 0, sessionsRead = 0;
  const droppedCites: string[] = [];
  const nDisc = plan.discovery.length;
  for (const [i, d] of plan.discovery.entries()) {
    const ids = d.batch.digests.map((x) => x.sessionId);
    const label = `discovery batch ${i + 1} of ${nDisc}${d.batch.resumed ? ' (resumed)' : ''}`;
    if (stop) { pend('discovery', ids, stop); continue; }
    let value: DiscoveryInput | undefined;
    const cached = d.cached === undefined ? undefined : DiscoveryInput.safeParse(d.cached);
    if (cached?.success) {
      value = cached.data;
      discCached++;
    } else {
      const r = await exchange(label, d.body, (note) => buildDiscoveryRequest(d.batch, input.agentNames, { model, promptCaching: caching }, note), parseDiscovery, ids.length, discoveryExpectedOutput(ids.length));
      if (!r.ok) {
        log(r.why);
        pend('discovery', ids, r.why);
        if (r.fatal) stop = r.why;
        else pendingNotes.push(r.why);
        continue;
      }
      value = r.value;
      ledger.answers[d.hash] = value;
      discAnswered++;
    }
    for (const x of d.batch.digests) ledger.read[x.sessionId] = x.hash;
    sessionsRead += ids.length;
    const resolved = resolveCitations(d.batch, value);
    proposed += resolved.patterns.length;
    droppedCites.push(...resolved.droppedCites);
    mergeFound(ledger, resolved.patterns, input.now);
  }
  for (const ref of droppedCites) log(`dropped a citation of an event Claude was not shown: ${ref}`);

  // 2. Reverie decides: every candidate recounted across the store, then merged, added or kept waiting.
  const index = opts.index ?? indexFor(input, signals);
  const found = curation.discovered(ledger.candidates.map((c) => recount(c, { index, read, agentNames: input.agentNames })));

  // 3. Refinement of the lessons, as before.
  let refAnswered = 0, refCached = 0;
  const refinedLessons: string[] = [];
  const lessonIdsOf = (b: Batch) => b.clusters.flatMap((c) => (c.lesson ? [plan.material.lessons.find((l) => l.handle === c.lesson)!.lesson.id] : []));
  for (const [i, batch] of plan.batches.entries()) {
    const label = `refinement batch ${i + 1} of ${plan.batches.length}`;
    if (stop) { pend('refine', lessonIdsOf(batch), stop); continue; }
    let value: ToolInput | undefined;
    const cached = plan.refineCached[i] === undefined ? undefined : ToolInput.safeParse(plan.refineCached[i]);
    if (cached?.success) {
      value = cached.data;
      refCached++;
    } else {
      const r = await exchange(label, plan.requests[i], (note) => buildRequest(plan.material, batch, buildOpts, note), parseAnswer, batch.clusters.length);
      if (!r.ok) {
        log(r.why);
        pend('refine', lessonIdsOf(batch), r.why);
        if (r.fatal) stop = r.why;
        else pendingNotes.push(r.why);
        continue;
      }
      value = r.value;
      ledger.answers[requestHash(plan.requests[i])] = value;
      refAnswered++;
    }
    curation.apply(value.changes);
    refinedLessons.push(...lessonIdsOf(batch));
  }
  // A lesson Claude wrote in this dream is in its words already: not sent to be refined again.
  for (const id of [...refinedLessons, ...curation.claudeAdded]) {
    const l = curation.current(id);
    if (l) ledger.refined[id] = fingerprint(l);
  }

  for (const d of curation.dropped) log(`refused a proposed change: ${d}`);
  const pendingLine = ledger.pending.length
    ? `Still pending: ${ledger.pending.filter((p) => p.kind === 'discovery').length} discovery and ${ledger.pending.filter((p) => p.kind === 'refine').length} refinement batch(es); the next Claude dream resumes them first.`
    : previouslyPending.length ? `Resumed ${previouslyPending.length} pending batch(es).` : '';
  if (!discAnswered && !refAnswered && !discCached && !refCached) {
    return fallback([sentence(`Claude engine ${stop ?? `gave no usable answer: ${pendingNotes.join('; ')}`}`), pendingLine].filter(Boolean).join(' '), ledger);
  }

  const changes = curation.result();
  const priced = priceOf(model).known ? '' : ', unknown price: costed at the highest known rates';
  const parts = [
    `Claude (${model}${priced}): cost ${usd(usage.costUsd)}.`,
    nDisc ? `Discovery read ${sessionsRead} session(s) in ${discAnswered + discCached} of ${nDisc} batch(es)${discCached ? ` (${discCached} answered from the cache)` : ''}: ${proposed} pattern(s) proposed${droppedCites.length ? `, ${droppedCites.length} citation(s) of events it was not shown dropped` : ''}; ${found.added} new lesson(s), ${found.reinforced} lesson(s) reinforced, ${found.known.length ? `${found.known.length} already learned (${found.known.map((t) => `"${t}"`).join(', ')}), ` : ''}${found.waiting.length} candidate(s) below ${input.settings.minSessions} sessions kept for later.` : '',
    plan.batches.length ? `Refined ${refAnswered + refCached} of ${plan.batches.length} batch(es): ${curation.applied} change(s) applied${curation.dropped.length ? `, ${curation.dropped.length} refused by the lesson rules (e.g. ${curation.dropped[0]})` : ''}.` : '',
    ...pendingNotes.map(sentence),
    stop ? sentence(`Claude engine ${stop}`) : '',
    pendingLine,
    plan.ledgerNote ?? '',
    changes.length ? '' : heuristic.message ?? '',
  ].filter(Boolean);
  return { output: { ...heuristic, changes, message: parts.join(' ') }, usage, requests, fellBack: false, ledger };
}
