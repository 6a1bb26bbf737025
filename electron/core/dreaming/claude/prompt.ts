// Builds exactly what the Claude engine sends: a stable, cached prefix (tool, instructions, the
// current lessons) and batches of compact pattern clusters with a few redacted evidence excerpts.
// The same function feeds the real run, the preview and the estimate, so the preview is exact.
import type { Evidence, Lesson, Signal } from '../../../../shared/model';
import { redact } from '../../redaction';
import { applyChanges } from '../changes';
import type { DreamInput, DreamOutput } from '../types';
import { fingerprint } from '../heuristic';
import { coveredKeys } from './keys';
import { priceOf } from './models';
import { TOOL_NAME, toolDefinition } from './schema';

/** Per request: a batch stays under this many (estimated) input tokens beyond the prefix… */
export const BATCH_TOKENS = 6_000;
/** …and this many clusters, so one answer stays short and one bad answer loses little. */
export const BATCH_CLUSTERS = 16;
export const MAX_TOKENS = 4_096;
/** Hard ceiling per request body: the fake server asserts it, a real run never approaches it. */
export const MAX_REQUEST_BYTES = 120_000;
const MAX_SUBTLE_CLUSTERS = 40;
const EXCERPTS_PER_LESSON = 3;
const EXCERPTS_PER_CLUSTER = 2;
const EXCERPT_CHARS = 280;

/** User-side signals: where preferences hide. Tool errors are the heuristic engine's strength. */
const SUBTLE_KINDS = new Set<Signal['kind']>(['correction', 'preference', 'rejection', 'interrupt']);

/** Rough and deliberately pessimistic (≈3.5 characters per token) so caps err on the safe side. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 3.5);

export interface LessonRef { handle: string; lesson: Lesson; locked: boolean }
export interface EvidenceRef { handle: string; cluster: string; evidence: Evidence }
export interface Cluster {
  handle: string;
  /** Set when the cluster is the pattern of a lesson (new or reinforced in this dream). */
  lesson?: string;
  kind: string;
  /** The signal key(s) of a cluster mined from sub-threshold signals: what an `add` is keyed on. */
  key?: string;
  /** Session and agent ids behind the cluster (for a lesson's cluster: those of its evidence). */
  sessions: Set<string>;
  agents: Set<string>;
  /** Support as sent: a lesson's full counts (its evidence is capped), else the sets' sizes. */
  supportSessions: number;
  supportAgents: number;
  occurrences: number;
  firstSeen: string | null;
  lastSeen: string | null;
  evidence: EvidenceRef[];
}

export interface Material {
  /** Lessons after the heuristic changes (what Claude refines), retired ones left out. */
  lessons: LessonRef[];
  clusters: Cluster[];
  evidence: Map<string, EvidenceRef>;
  /** Every lesson after the heuristic changes, retired ones included: keys Claude must not re-add. */
  knownKeys: Set<string>;
}

export interface Batch { clusters: Cluster[] }

export interface RequestBody {
  model: string;
  max_tokens: number;
  system: { type: 'text'; text: string; cache_control?: { type: 'ephemeral' } }[];
  tools: { name: string; description: string; input_schema: Record<string, unknown> & { type: 'object' } }[];
  tool_choice: { type: 'auto' };
  messages: { role: 'user'; content: { type: 'text'; text: string }[] }[];
  output_config?: { effort: 'low' };
}

const clean = (text: string, max = EXCERPT_CHARS) => {
  const one = redactOutbound(text).replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
};

const opOf = (h: DreamOutput, id: string) => h.changes.find((c) => c.after?.id === id)?.op;

/** Locked lessons are shown (so Claude can merge into them or see conflicts) but never reworded. */
export const isLocked = (l: Lesson) => l.pinned || l.userEdited || l.origin !== 'learned';

function distinctBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && !!seen.add(key(t)));
}

/**
 * `refined`: lesson id → fingerprint of the wording Claude last saw (the ledger). A lesson whose
 * wording Claude has seen is not sent again for a mere reinforcement; one it has never seen (a
 * dream that fell back, a store older than the engine) is, even when this dream did not touch it.
 */
export function gatherMaterial(input: DreamInput, heuristic: DreamOutput, signals: Signal[], refined: Record<string, string> = {}): Material {
  const all = applyChanges(input.lessons, heuristic.changes);
  const knownKeys = new Set([...all, ...input.tombstones].flatMap((x) => coveredKeys(x.patternKey)));
  const lessons: LessonRef[] = all.filter((l) => l.status !== 'retired').map((lesson, i) => ({ handle: `L${i + 1}`, lesson, locked: isLocked(lesson) }));
  const handleOf = new Map(lessons.map((r) => [r.lesson.id, r.handle]));
  const clusters: Cluster[] = [];
  const evidence = new Map<string, EvidenceRef>();
  const addEvidence = (cluster: string, e: Evidence): EvidenceRef => {
    const ref = { handle: `E${evidence.size + 1}`, cluster, evidence: e };
    evidence.set(ref.handle, ref);
    return ref;
  };

  // 1. The patterns behind this dream's new and reinforced lessons, and lessons Claude has not seen
  // in their current wording: what sharpening works from.
  const changed = new Set(heuristic.changes.map((c) => c.after?.id));
  const unseen = (l: Lesson) => refined[l.id] !== fingerprint(l);
  const toRefine = [
    ...heuristic.changes.map((c) => c.after).filter((l): l is Lesson => !!l && (opOf(heuristic, l.id) === 'add' || unseen(l))),
    ...all.filter((l) => !changed.has(l.id) && !isLocked(l) && l.status !== 'retired' && unseen(l)),
  ];
  for (const l of distinctBy(toRefine, (x) => x.id)) {
    if (l.status === 'retired' || !handleOf.has(l.id)) continue;
    const handle = `C${clusters.length + 1}`;
    clusters.push({
      handle, lesson: handleOf.get(l.id), kind: l.kind, sessions: new Set(l.evidence.map((e) => e.sessionId)), agents: new Set(),
      supportSessions: l.support.sessions, supportAgents: l.support.agents, occurrences: l.support.occurrences, firstSeen: l.support.firstSeen, lastSeen: l.support.lastSeen,
      // Identical excerpts (the same mistake, word for word) say nothing new: send each text once.
      evidence: distinctBy(l.evidence, (e) => clean(e.excerpt)).slice(0, EXCERPTS_PER_LESSON).map((e) => addEvidence(handle, e)),
    });
  }

  // 2. User corrections and preferences below the support threshold: the same wish worded
  // differently lands under different keys, which is exactly what the heuristics miss.
  const byKey = new Map<string, Signal[]>();
  for (const s of signals) {
    if (!SUBTLE_KINDS.has(s.kind) || knownKeys.has(s.key)) continue;
    (byKey.get(s.key) ?? byKey.set(s.key, []).get(s.key)!).push(s);
  }
  const subtle = [...byKey.entries()]
    .map(([key, list]) => ({ key, list, sessions: new Set(list.map((s) => s.sessionId)) }))
    .filter((g) => g.sessions.size < input.settings.minSessions)
    .sort((a, b) => b.sessions.size - a.sessions.size || a.key.localeCompare(b.key))
    .slice(0, MAX_SUBTLE_CLUSTERS)
    // Keep similar keys next to each other so one batch sees the variants of one wish together.
    .sort((a, b) => a.key.localeCompare(b.key));
  for (const g of subtle) {
    const handle = `C${clusters.length + 1}`;
    const stamps = g.list.map((s) => s.timestamp).filter((t): t is string => !!t).sort();
    const picked = distinctBy(distinctBy(g.list, (s) => s.sessionId), (s) => clean(s.excerpt)).slice(0, EXCERPTS_PER_CLUSTER);
    const agents = new Set(g.list.map((s) => s.agentId));
    clusters.push({
      handle, kind: g.list[0].kind, key: g.key, sessions: g.sessions, agents, supportSessions: g.sessions.size, supportAgents: agents.size,
      occurrences: g.list.length, firstSeen: stamps[0] ?? null, lastSeen: stamps[stamps.length - 1] ?? null,
      evidence: picked.map((s) => addEvidence(handle, {
        sessionId: s.sessionId, eventId: s.eventIds[s.eventIds.length - 1], agent: input.agentNames[s.agentId] ?? s.agentId, excerpt: s.excerpt, timestamp: s.timestamp,
      })),
    });
  }
  return { lessons, clusters, evidence, knownKeys };
}

function clusterLine(c: Cluster): string {
  return JSON.stringify({
    id: c.handle,
    ...(c.lesson ? { lesson: c.lesson } : {}),
    kind: c.kind,
    sessions: c.supportSessions,
    agents: c.supportAgents,
    occurrences: c.occurrences,
    evidence: c.evidence.map((e) => ({ id: e.handle, text: clean(e.evidence.excerpt) })),
  });
}

export function batchesOf(material: Material): Batch[] {
  const batches: Batch[] = [];
  let current: Cluster[] = [];
  let tokens = 0;
  let lastWasLesson = true;
  for (const c of material.clusters) {
    const t = estimateTokens(clusterLine(c));
    // Lesson clusters and sub-threshold clusters go to separate batches, so the variants of one
    // preference share a request instead of being diluted among unrelated lessons.
    const switching = current.length > 0 && lastWasLesson && !c.lesson;
    if (current.length && (switching || tokens + t > BATCH_TOKENS || current.length >= BATCH_CLUSTERS)) {
      batches.push({ clusters: current });
      current = [];
      tokens = 0;
    }
    current.push(c);
    tokens += t;
    lastWasLesson = !!c.lesson;
  }
  if (current.length) batches.push({ clusters: current });
  return batches;
}

export function instructions(minSessions: number): string {
  return [
    'You curate "lessons" that AI coding agents will read before they work: recurring mistakes with their fixes, the user\'s standing preferences, and workflows that converged.',
    'An offline heuristic engine has already mined patterns from the agents\' session logs. You refine its result. You see the current lessons in <lessons> and, in the user turn, pattern clusters in <clusters>, each with a few evidence excerpts (secrets are already replaced by «redacted:…» placeholders).',
    '',
    'Propose changes by calling the record_changes tool exactly once:',
    '- sharpen: reword a lesson so an agent can act on it: imperative, specific, one or two sentences, naming the command or file pattern involved. Keep the meaning the evidence supports; invent nothing.',
    '- merge: lessons that say the same thing; keep the best one as `into`, retire the others.',
    '- retire: a lesson contradicted by another lesson or by the evidence (say which in `conflictsWith`).',
    `- add: a lesson the heuristics missed, typically one preference or correction the user worded differently in several clusters. Cite those clusters and at least one evidence id from them. Together the cited clusters must span at least ${minSessions} sessions; a one-off is never a lesson.`,
    '',
    'Rules: lessons marked "locked" were pinned or written by the user: never sharpen, retire or absorb them (you may merge others into them, keeping their wording). Use only the L/C/E handles you were given. Give every change a one-line reason a person can check against the evidence. Propose nothing when nothing is worth changing: an empty list is a good answer.',
  ].join('\n');
}

export function lessonsBlock(material: Material): string {
  const lines = material.lessons.map(({ handle, lesson: l, locked }) => JSON.stringify({
    id: handle, kind: l.kind, title: clean(l.title, 120), text: clean(l.text, 500),
    scope: l.agents.includes('all') ? 'team' : 'agent', sessions: l.support.sessions, status: l.status,
    ...(locked ? { locked: true } : {}),
  }));
  return `<lessons>\n${lines.join('\n') || '(no lessons yet)'}\n</lessons>`;
}

export function batchText(batch: Batch): string {
  return `<clusters>\n${batch.clusters.map(clusterLine).join('\n')}\n</clusters>\nCall ${TOOL_NAME} once with your changes for these clusters (and any merges or conflicts among the lessons).`;
}

/**
 * Outbound only, stricter than import: `redact` keys on upper-case names (`DB_PASSWORD=…`), but a
 * user typing "password: hunter2" or "my token is …" in a chat message is just as secret.
 */
const OUTBOUND = /(\b(?:password|passwd|passphrase|secret|token|api[_ -]?key|access[_ -]?key|private[_ -]?key)\b["']?\s*(?:[=:]|\bis\b)\s*["']?)(?!«redacted)([^\s"'`,;)]{6,})/gi;

export const redactOutbound = (text: string) => redact(text).replace(OUTBOUND, (_m, head: string) => `${head}«redacted:secret»`);

/** Defence in depth: every string that leaves the machine goes through the redactors once more. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactOutbound(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  return value;
}

export interface BuildOptions {
  model: string;
  minSessions: number;
  /** Off only to measure what caching saves. */
  promptCaching?: boolean;
}

export function buildRequest(material: Material, batch: Batch, opts: BuildOptions, retryNote?: string): RequestBody {
  const cache = opts.promptCaching === false ? {} : { cache_control: { type: 'ephemeral' as const } };
  const content = [{ type: 'text' as const, text: batchText(batch) }];
  if (retryNote) content.push({ type: 'text', text: `Your previous answer could not be used: ${retryNote}. Call ${TOOL_NAME} again with input that matches its schema.` });
  const body: RequestBody = {
    model: opts.model,
    max_tokens: MAX_TOKENS,
    // Cache order is tools → system → messages: a breakpoint on the last system block caches the
    // tool, the instructions and the lessons, identical for every batch of this dream.
    system: [{ type: 'text', text: instructions(opts.minSessions) }, { type: 'text', text: lessonsBlock(material), ...cache }],
    tools: [toolDefinition()],
    // Forced tool choice is rejected by the current models (Sonnet/Opus 5.5); the instructions ask
    // for the call and an answer without it counts as invalid (retried once).
    tool_choice: { type: 'auto' },
    messages: [{ role: 'user', content }],
    ...(priceOf(opts.model).effort ? { output_config: { effort: 'low' as const } } : {}),
  };
  return redactDeep(body);
}

export interface Estimate { prefixTokens: number; batchTokens: number; maxCostUsd: number; expectedCostUsd: number; expectedOutputTokens: number }

/** Input tokens of the cached prefix and of the batch part, and what the request may cost. */
export function estimateRequest(body: RequestBody, clusters: number, firstOfDream: boolean, expectedOutput?: number): Estimate {
  const prefixTokens = estimateTokens(JSON.stringify(body.tools) + JSON.stringify(body.system));
  const batchTokens = estimateTokens(JSON.stringify(body.messages));
  const price = priceOf(body.model);
  const cached = body.system.some((b) => b.cache_control);
  const prefixWorst = prefixTokens * (cached ? price.cacheWrite : price.input);
  const prefixExpected = prefixTokens * (!cached ? price.input : firstOfDream ? price.cacheWrite : price.cacheRead);
  // About 80 tokens per proposed change plus the call's framing; thinking at low effort is extra
  // and unpredictable, which is what the worst case (max_tokens) covers.
  const expectedOutputTokens = Math.min(body.max_tokens, expectedOutput ?? 150 + 80 * clusters);
  return {
    prefixTokens,
    batchTokens,
    maxCostUsd: (prefixWorst + batchTokens * price.input + body.max_tokens * price.output) / 1e6,
    expectedCostUsd: (prefixExpected + batchTokens * price.input + expectedOutputTokens * price.output) / 1e6,
    expectedOutputTokens,
  };
}
