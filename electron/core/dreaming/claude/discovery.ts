// The discovery pass: digests of sessions Claude has not read go in batches to Claude, which
// answers with candidate patterns (mistake + fix, standing preference, workflow), each citing the
// events it rests on as `S<n>#<seq>`. Claude proposes; Reverie decides: a citation that names no
// event of the batch is dropped, and support is recounted elsewhere (support.ts), never taken from
// the answer. The prefix (tool + instructions) is the same for every batch and every dream, so it
// is cached, and a failed batch sent again next time is byte-identical.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { digestBody, type Digest } from './digest';
import type { Cite } from './ledger';
import { priceOf } from './models';
import { redactDeep, type RequestBody } from './prompt';
import { parseToolCalls, toolFor } from './schema';

/** Digests per request: about this many estimated tokens… */
export const DISCOVERY_BATCH_TOKENS = 8_000;
/** …and at most this many sessions, so one lost answer loses little. */
export const DISCOVERY_BATCH_SESSIONS = 30;
export const DISCOVERY_MAX_TOKENS = 2_048;
export const DISCOVERY_TOOL = 'record_patterns';

const Ref = z.string().regex(/^S\d+#\d+$/).describe('an event: the session handle and the line number, e.g. "S2#14"');

export const Found = z.object({
  kind: z.enum(['mistake', 'preference', 'workflow']),
  title: z.string().min(3).max(100),
  text: z.string().min(8).max(400).describe('the lesson: imperative, specific, short'),
  evidence: z.array(Ref).min(1).max(12).describe('every event that shows the pattern, across the sessions of this batch'),
  sessions: z.number().int().min(0).optional().describe('how many sessions you think show it (Reverie recounts it)'),
});
export type Found = z.infer<typeof Found>;

export const DiscoveryInput = z.object({ patterns: z.array(Found).max(30) });
export type DiscoveryInput = z.infer<typeof DiscoveryInput>;

export const discoveryTool = () => toolFor(DISCOVERY_TOOL, 'Record the recurring patterns you found in these sessions. Call it exactly once; an empty list means "nothing recurs".', DiscoveryInput);

export function discoveryInstructions(): string {
  return [
    'You read digests of AI coding agents\' sessions and find what recurs across sessions, so the agents can be told once instead of every time. Each session starts with a header `## S<n> <agent> <date>`; each line starts with the event\'s line number and a tag:',
    '- `task:` the user asked for new work (a one-off request, not a rule);',
    '- `said:` the user said something to the agent after it acted: a correction, a reminder, a standing wish;',
    '- `in code:` an instruction the user wrote into the code as a comment for the AI (aider\'s `AI!` comments);',
    '- `error:` a tool call failed; `next:` the call the agent made right after it;',
    '- `rejected:` / `interrupted:` the user refused or stopped an action;',
    '- `steps:` the tool steps of the session in order, each with its line number (`…` marks steps left out).',
    'Secrets are already replaced by «redacted:…» placeholders.',
    '',
    'Call record_patterns exactly once. Report a pattern only when it shows in at least two sessions of the batch, worded alike or not:',
    '- mistake: the same kind of failure, with what fixed it;',
    '- preference: something the user keeps asking for or keeps correcting (conventions, tools, style, what not to do) — people repeat themselves in meaning, not in strings;',
    '- workflow: the same sequence of steps that ended in success.',
    'Write each as a lesson an agent can act on: imperative, specific, naming the command, file or convention. Cite every event that shows it as `S<n>#<line>`, only from the lines you were given. A one-off task is never a pattern, nor is a pattern made of task requests alone. An empty list is a good answer.',
  ].join('\n');
}

export interface DiscoveryBatch {
  digests: Digest[];
  /** Set when the batch is resumed: why it failed before. */
  resumed?: string;
}

/** Packs digests into batches in order (resumed batches are built by the caller, not re-packed). */
export function packDigests(digests: Digest[], maxSessions = DISCOVERY_BATCH_SESSIONS): DiscoveryBatch[] {
  const out: DiscoveryBatch[] = [];
  let cur: Digest[] = [];
  let tokens = 0;
  for (const d of digests) {
    const t = d.tokens + 12;
    if (cur.length && (tokens + t > DISCOVERY_BATCH_TOKENS || cur.length >= maxSessions)) {
      out.push({ digests: cur });
      cur = [];
      tokens = 0;
    }
    cur.push(d);
    tokens += t;
  }
  if (cur.length) out.push({ digests: cur });
  return out;
}

export function discoveryBatchText(batch: DiscoveryBatch, agentNames: Record<string, string>): string {
  const parts = batch.digests.map((d, i) => `## S${i + 1} ${agentNames[d.agentId] ?? d.agentId} ${d.startedAt?.slice(0, 10) ?? 'undated'}\n${digestBody(d)}`);
  return `<sessions>\n${parts.join('\n\n')}\n</sessions>\nCall ${DISCOVERY_TOOL} once with the patterns that recur across these sessions.`;
}

export function buildDiscoveryRequest(batch: DiscoveryBatch, agentNames: Record<string, string>, opts: { model: string; promptCaching?: boolean }, retryNote?: string): RequestBody {
  const cache = opts.promptCaching === false ? {} : { cache_control: { type: 'ephemeral' as const } };
  const content = [{ type: 'text' as const, text: discoveryBatchText(batch, agentNames) }];
  if (retryNote) content.push({ type: 'text', text: `Your previous answer could not be used: ${retryNote}. Call ${DISCOVERY_TOOL} again with input that matches its schema.` });
  const body: RequestBody = {
    model: opts.model,
    max_tokens: DISCOVERY_MAX_TOKENS,
    system: [{ type: 'text', text: discoveryInstructions(), ...cache }],
    tools: [discoveryTool()],
    tool_choice: { type: 'auto' },
    messages: [{ role: 'user', content }],
    ...(priceOf(opts.model).effort ? { output_config: { effort: 'low' as const } } : {}),
  };
  return redactDeep(body);
}

/** The answer cache's key: the exact body (what is sent is what is answered). */
export const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** Validated `record_patterns` input, or what was wrong with the answer. */
export function parseDiscovery(message: Message): { ok: true; value: DiscoveryInput } | { ok: false; problem: string } {
  const r = parseToolCalls(message, DISCOVERY_TOOL, DiscoveryInput);
  return r.ok ? { ok: true, value: { patterns: r.values.flatMap((v) => v.patterns) } } : r;
}

export interface Resolved { kind: Found['kind']; title: string; text: string; cites: Cite[] }

/**
 * Maps each citation to the event it names, dropping any that names no line Claude was shown
 * (an invented session handle or line number). A pattern left without citations is dropped.
 */
export function resolveCitations(batch: DiscoveryBatch, value: DiscoveryInput): { patterns: Resolved[]; droppedCites: string[] } {
  const droppedCites: string[] = [];
  const lineOf = new Map<string, Cite>();
  batch.digests.forEach((d, i) => {
    for (const l of [...d.lines, ...d.steps]) if (l.seq >= 0) lineOf.set(`S${i + 1}#${l.seq}`, { sessionId: d.sessionId, eventId: l.eventId });
  });
  const patterns: Resolved[] = [];
  for (const p of value.patterns) {
    const cites: Cite[] = [];
    for (const ref of new Set(p.evidence)) {
      const c = lineOf.get(ref);
      if (c) cites.push(c);
      else droppedCites.push(ref);
    }
    if (cites.length) patterns.push({ kind: p.kind, title: p.title, text: p.text, cites });
  }
  return { patterns, droppedCites };
}

/**
 * Expected answer size for a batch: the call's framing plus about one short pattern (≈100 tokens)
 * per eight sessions. A guess for the estimate; the caps use max_tokens, the worst case.
 */
export const discoveryExpectedOutput = (sessions: number) => Math.min(DISCOVERY_MAX_TOKENS, 120 + 12 * sessions);
