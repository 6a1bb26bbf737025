// What a Claude dream costs, estimated from the exact request bodies Reverie would send (the same
// planning the preview and the real run use), at the default model's list price: the first full
// dream over a 2,000-session store, an incremental one after 100 new sessions, and a re-run with
// nothing new — with and without prompt caching. Input tokens are the body's estimate (≈3.5
// characters per token, pessimistic); output tokens are the engine's expected figure per batch,
// and the worst case (every answer at max_tokens) is printed beside it. Nothing is sent: the
// dreams run against an in-process sender that answers every batch with "nothing found".
//   npm run bench -- claude
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { Settings, type Lesson } from '../../shared/model';
import { applyChanges } from '../../electron/core/dreaming/changes';
import { DEFAULT_CLAUDE_MODEL, priceOf } from '../../electron/core/dreaming/claude/models';
import { emptyLedger, type ClaudeLedger } from '../../electron/core/dreaming/claude/ledger';
import { costOfPlan, planRefinement, refineWithClaude, type PlanCost } from '../../electron/core/dreaming/claude/refine';
import { computeDream, readSignals } from '../../electron/core/dreaming/compute';
import { INDEX_FILE } from '../../electron/core/dreaming/observations';
import type { DreamInput } from '../../electron/core/dreaming/types';
import { INDEX_FILE as SESSION_INDEX } from '../../electron/core/store/store';
import { generateStore } from './generate-store';

const TARGETS = { full: 2.0, incremental: 0.15, rerun: 0 };

/** Tokens and dollars of the requests a dream would send, from their bodies (the same figures as `claude.estimate`). */
function cost(input: DreamInput, heuristicOut: ReturnType<typeof computeDream>, ledger: ClaudeLedger, promptCaching: boolean): PlanCost {
  return costOfPlan(planRefinement(input, heuristicOut, readSignals(input), promptCaching, { ledger: structuredClone(ledger) }), input.settings.costCapUsd);
}

/** Runs the Claude engine with a sender that finds nothing: what the ledger looks like after a successful dream. */
async function dreamt(input: DreamInput, heuristicOut: ReturnType<typeof computeDream>, ledger: ClaudeLedger): Promise<{ ledger: ClaudeLedger; lessons: Lesson[]; sent: number }> {
  let sent = 0;
  const sender = {
    async send(body: { tools: { name: string }[] }): Promise<Message> {
      sent++;
      const name = body.tools[0].name;
      return {
        id: `msg_${sent}`, type: 'message', role: 'assistant', model: input.settings.claudeModel, stop_reason: 'tool_use', stop_sequence: null,
        content: [{ type: 'tool_use', id: `tu_${sent}`, name, input: name === 'record_patterns' ? { patterns: [] } : { changes: [] } }],
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      } as unknown as Message;
    },
  };
  const r = await refineWithClaude(input, heuristicOut, { apiKey: async () => 'bench', monthSpentUsd: 0, sender: sender as never, ledger: structuredClone(ledger), log: () => {} });
  return { ledger: r.ledger, lessons: applyChanges(input.lessons, r.output.changes), sent };
}

const usd = (n: number) => `$${n.toFixed(3)}`;
const line = (label: string, f: PlanCost, target: number) =>
  `  ${label.padEnd(34)} ${String(f.requests).padStart(4)} req (${f.discoveryBatches} discovery, ${f.sessionsToRead} sessions)  in ${f.inputTokens.toLocaleString('en')} + cache w ${f.cacheWriteTokens.toLocaleString('en')} / r ${f.cacheReadTokens.toLocaleString('en')}  out ≈${f.outputTokens.toLocaleString('en')}  → ${usd(f.expectedCostUsd)} (target ≤ ${usd(target)}; worst ${usd(f.maxCostUsd)})  largest ${f.largestTokens.toLocaleString('en')} tok`;

export default async function bench(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reverie-claude-cost-'));
  try {
    const dir = path.join(work, 'store');
    // 2,100 sessions generated, the first 2,000 identical to a 2,000-session store (same seed, in order).
    generateStore(dir, { sessions: 2_100, lessons: 0, eventsPerSession: 120 });
    const all = Object.keys((JSON.parse(fs.readFileSync(path.join(dir, SESSION_INDEX), 'utf8')) as { locations: Record<string, unknown> }).locations);
    const first = all.slice(0, 2_000);
    const later = all.slice(2_000);
    const settings = Settings.parse({ costCapUsd: { perDream: 1_000, monthly: 1_000 } });
    const base = { storeDir: dir, tombstones: [], settings, agentNames: {}, now: '2026-12-02T12:00:00.000Z' };

    // 1. The first full Claude dream over 2,000 sessions.
    const fullIn: DreamInput = { ...base, full: true, sessionIds: first, allSessionIds: first, lessons: [], indexOut: path.join(work, 'patterns.full.json') };
    const fullOut = computeDream(fullIn);
    const full = { cached: cost(fullIn, fullOut, emptyLedger(), true), plain: cost(fullIn, fullOut, emptyLedger(), false) };
    const afterFull = await dreamt(fullIn, fullOut, emptyLedger());
    fs.renameSync(fullIn.indexOut!, path.join(dir, INDEX_FILE));

    // 2. Incremental after 100 new sessions.
    const incIn: DreamInput = { ...base, full: false, sessionIds: later, allSessionIds: all, lessons: afterFull.lessons, indexOut: path.join(work, 'patterns.inc.json') };
    const incOut = computeDream(incIn);
    const inc = { cached: cost(incIn, incOut, afterFull.ledger, true), plain: cost(incIn, incOut, afterFull.ledger, false) };
    const afterInc = await dreamt(incIn, incOut, afterFull.ledger);
    fs.renameSync(incIn.indexOut!, path.join(dir, INDEX_FILE));

    // 3. A re-run with nothing new.
    const reIn: DreamInput = { ...base, full: false, sessionIds: [], allSessionIds: all, lessons: afterInc.lessons };
    const reOut = computeDream(reIn);
    const re = cost(reIn, reOut, afterInc.ledger, true);

    console.log(`Claude dream cost at ${DEFAULT_CLAUDE_MODEL} list price (input $${priceOf(DEFAULT_CLAUDE_MODEL).input}/M, output $${priceOf(DEFAULT_CLAUDE_MODEL).output}/M, cache write $${priceOf(DEFAULT_CLAUDE_MODEL).cacheWrite}/M, read $${priceOf(DEFAULT_CLAUDE_MODEL).cacheRead}/M), from the exact request bodies:`);
    console.log(`  generated store: ${first.length} + ${later.length} sessions, 120 events each; the full dream's heuristics made ${fullOut.changes.length} change(s); sent (stub) ${afterFull.sent} + ${afterInc.sent} requests`);
    console.log(line('full dream, 2,000 sessions, cached', full.cached, TARGETS.full));
    console.log(line('full dream, uncached', full.plain, TARGETS.full));
    console.log(line('incremental, +100 sessions, cached', inc.cached, TARGETS.incremental));
    console.log(line('incremental, uncached', inc.plain, TARGETS.incremental));
    console.log(line('re-run, nothing new', re, TARGETS.rerun));
    const ok = full.cached.expectedCostUsd <= TARGETS.full && inc.cached.expectedCostUsd <= TARGETS.incremental && re.requests === 0;
    const saves = (c: PlanCost, p: PlanCost) => Math.round((1 - c.expectedCostUsd / p.expectedCostUsd) * 100);
    console.log(`  ${ok ? 'within' : 'OVER'} the targets; caching saves ${saves(full.cached, full.plain)}% (full) and ${saves(inc.cached, inc.plain)}% (incremental)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
