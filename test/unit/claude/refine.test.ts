// The Claude engine against the fake Messages API, through the real SDK and real HTTP: every
// scripted answer (good, malformed, no tool call, rule-breaking, 429, 500, 401, 403, slow) and
// the cost caps. The server checks every request (key, model, max_tokens, cache_control, size,
// no secret); each test ends by asserting it saw no violation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { revertChanges, applyChanges } from '../../../electron/core/dreaming/changes';
import { estimateRequest } from '../../../electron/core/dreaming/claude/prompt';
import { planRefinement, refineWithClaude, type RefineOptions } from '../../../electron/core/dreaming/claude/refine';
import type { DreamInput } from '../../../electron/core/dreaming/types';
import type { Signal } from '../../../shared/model';
import { startFakeAnthropic, type FakeAnthropic } from '../../helpers/fake-anthropic';
import { corpusSignals, heuristic, lesson, makeInput, signal } from './fixtures';

const KEY = 'sk-ant-test-0000000000000000000000';
let fake: FakeAnthropic;
const logs: string[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY, retryAfterSeconds: 0.05, slowMs: 3_000 });
});
afterEach(() => {
  expect(fake.violations()).toEqual([]);
  fake.reset();
  fake.setScript('good');
  logs.length = 0;
});
afterAll(() => fake.close());

function run(script: string, input: DreamInput = makeInput(), over: Partial<RefineOptions> = {}, signals: Signal[] = corpusSignals()) {
  fake.setScript(script);
  return refineWithClaude(input, heuristic(input, signals), {
    apiKey: async () => KEY, monthSpentUsd: 0, baseURL: fake.url, timeoutMs: 5_000, signals,
    sleep: async () => {}, log: (m) => logs.push(m), ...over,
  });
}

describe('refineWithClaude', () => {
  it('good answers: sharpens the heuristic lesson and adds the preference it missed, with reasons and usage', async () => {
    const input = makeInput();
    const base = heuristic(input);
    expect(base.changes.map((c) => c.op)).toEqual(['add']);
    const r = await run('good', input);
    expect(r.fellBack).toBe(false);
    expect(fake.requests.length).toBe(2); // one batch of lesson clusters, one of sub-threshold clusters
    const [mistake, pnpm] = r.output.changes;
    expect(mistake.op).toBe('add');
    expect(mistake.after!.text).toMatch(/^Before repeating it, check why it failed:/);
    expect(mistake.reason).toMatch(/^Made actionable from .*\(Seen in 3 sessions/);
    expect(pnpm).toMatchObject({ op: 'add', before: null, reason: expect.stringMatching(/pnpm/) });
    const added = pnpm.after!;
    expect(added).toMatchObject({ kind: 'preference', origin: 'learned', status: 'active', pinned: false });
    // Four wordings in four sessions, two agents: a team lesson, with support from its clusters only.
    expect(added.support).toMatchObject({ sessions: 4, agents: 2, occurrences: 4 });
    expect(added.agents).toEqual(['all']);
    // Evidence is exactly the events the signals pointed at: nothing Claude could have invented.
    const real = new Set(corpusSignals().map((s) => `${s.sessionId}/${s.eventIds.at(-1)}`));
    expect(added.evidence.length).toBeGreaterThan(0);
    for (const e of added.evidence) expect(real.has(`${e.sessionId}/${e.eventId}`)).toBe(true);
    // The one-off ("always answer in English") is not a lesson.
    expect(r.output.changes.some((c) => /english/i.test(c.after?.text ?? ''))).toBe(false);
    // Usage is the sum of what the server reported, with the second request reading the cache.
    const u = fake.requests.map((q) => q.usage!);
    expect(r.usage.inputTokens).toBe(u[0].input_tokens + u[1].input_tokens);
    expect(r.usage.cacheWriteTokens).toBe(u[0].cache_creation_input_tokens);
    expect(r.usage.cacheReadTokens).toBe(u[1].cache_read_input_tokens);
    expect(u[1].cache_read_input_tokens).toBeGreaterThan(0);
    expect(r.usage.costUsd).toBeGreaterThan(0);
    expect(r.output.message).toMatch(/Claude \(claude-sonnet-5-5\): cost \$0\.\d+\. Refined 2 of 2 batch/);
    // Every request: the configured model, max_tokens, and the cached prefix.
    for (const q of fake.requests) expect(q.body).toMatchObject({ model: 'claude-sonnet-5-5', max_tokens: 4096, tool_choice: { type: 'auto' } });
  });

  it('retries a malformed answer once, telling Claude what was wrong, then uses the good one', async () => {
    const r = await run('malformed-once');
    expect(fake.requests.map((q) => q.answer)).toEqual(['malformed', 'good', 'good']);
    const retry = JSON.stringify(fake.requests[1].body);
    expect(retry).toMatch(/Your previous answer could not be used: the record_changes input does not match its schema/);
    expect(r.output.changes.some((c) => c.op === 'add' && /pnpm/.test(c.reason))).toBe(true);
    expect(logs.some((l) => /asking once more/.test(l))).toBe(true);
  });

  it('treats an answer without the tool call as invalid and retries it', async () => {
    const r = await run('no-tool-once');
    expect(fake.requests.length).toBe(3);
    expect(JSON.stringify(fake.requests[1].body)).toMatch(/no record_changes call in the answer/);
    expect(r.fellBack).toBe(false);
  });

  it('drops output that is malformed twice, logs why, and keeps the heuristic result', async () => {
    const input = makeInput();
    const r = await run('malformed', input);
    expect(fake.requests.length).toBe(4); // two batches × (answer + one retry)
    expect(r.fellBack).toBe(true);
    expect(r.output.changes).toEqual(heuristic(input).changes);
    expect(r.output.message).toMatch(/gave no usable answer: refinement batch 1 of 2 dropped after a retry.*Still pending: 0 discovery and 2 refinement batch\(es\).*Kept the heuristic result/);
    expect(logs.filter((l) => /^refinement batch \d of 2 dropped after a retry/.test(l)).length).toBe(2);
    // Tokens were spent all the same, and are recorded.
    expect(r.usage.outputTokens).toBeGreaterThan(0);
  });

  it('refuses rule-breaking proposals: unknown handles, locked lessons, invented evidence, one-offs', async () => {
    const pinned = lesson('pinned', { pinned: true, patternKey: 'key-pinned', text: 'Pinned wording stays.' });
    const input = makeInput({ lessons: [pinned] });
    const r = await run('bogus', input);
    const after = applyChanges(input.lessons, r.output.changes);
    expect(after.find((l) => l.id === 'pinned')).toEqual(pinned);
    expect(r.output.changes.map((c) => c.op)).toEqual(['add']); // the heuristic's only
    const refused = logs.filter((l) => /^refused a proposed change/.test(l)).join('\n');
    expect(refused).toMatch(/unknown lesson handle/);
    expect(refused).toMatch(/locked/);
    expect(refused).toMatch(/unknown evidence handle E9999/);
    expect(refused).toMatch(/span 1 session\(s\), fewer than the minimum of 3/);
    expect(r.output.message).toMatch(/refused by the lesson rules/);
  });

  it('never re-adds a tombstoned pattern, even as a variant inside a Claude lesson', async () => {
    // The user deleted the pnpm lesson Claude made earlier: its key lists the variants it covered.
    const first = await run('good');
    const made = first.output.changes.find((c) => /pnpm/.test(c.reason))!.after!;
    fake.reset();
    const input = makeInput({ tombstones: [{ patternKey: made.patternKey, title: made.title, deletedAt: '2026-11-24T00:00:00Z' }] });
    const r = await run('good', input);
    expect(r.output.changes.some((c) => /pnpm/.test(c.reason))).toBe(false);
    // The deleted variants are not even sent again.
    expect(fake.requests.map((q) => JSON.stringify(q.body)).join()).not.toMatch(/pnpm/);
  });

  it('waits out a 429 with retry-after, then succeeds', async () => {
    const waits: number[] = [];
    const r = await run('429-once', makeInput(), { sleep: async (ms) => { waits.push(ms); } });
    expect(fake.requests[0].answer).toBe('429');
    expect(waits).toEqual([50]); // retry-after: 0.05 s
    expect(r.fellBack).toBe(false);
    expect(logs.some((l) => /rate limit was hit \(429\).*Retrying/.test(l))).toBe(true);
  });

  it('gives up on a 429 whose retry-after is longer than it waits, and falls back', async () => {
    const r = await run('429', makeInput(), { maxRetryWaitMs: 10 });
    expect(fake.requests.length).toBe(1);
    expect(r.fellBack).toBe(true);
    expect(r.output.message).toMatch(/rate limit was hit \(429\); it asks to retry after 1 s\. Still pending: .* Kept the heuristic result/);
  });

  it('retries a 500 a bounded number of times, then falls back with the heuristic result', async () => {
    const input = makeInput();
    const r = await run('500', input, { maxRetries: 2 });
    expect(fake.requests.length).toBe(3);
    expect(r).toMatchObject({ fellBack: true, requests: 1 });
    expect(r.output.changes).toEqual(heuristic(input).changes);
    expect(r.output.message).toMatch(/Claude engine stopped at refinement batch 1 of 2: Anthropic's API failed \(500\): Internal server error\. Still pending: 0 discovery and 2 refinement batch\(es\); the next Claude dream resumes them first\. Kept the heuristic result/);
  });

  it('recovers from one 500', async () => {
    const r = await run('500-once');
    expect(fake.requests.map((q) => q.answer)).toEqual(['500', 'good', 'good']);
    expect(r.fellBack).toBe(false);
  });

  it.each([
    ['401', /Anthropic rejected the API key \(401\)/],
    ['403', /may not use claude-sonnet-5-5 \(403\)/],
  ])('explains a %s and falls back without retrying', async (script, message) => {
    const r = await run(script);
    expect(fake.requests.length).toBe(1);
    expect(r.fellBack).toBe(true);
    expect(r.output.message).toMatch(message);
  });

  it('times out a slow answer with a clear message', async () => {
    const started = Date.now();
    const r = await run('slow', makeInput(), { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(r.fellBack).toBe(true);
    expect(r.output.message).toMatch(/Claude engine stopped at refinement batch 1 of 2: Anthropic did not answer within 0\.3 s\. Still pending: .* Kept the heuristic result/);
  });

  it('says the network is down when nothing listens', async () => {
    const r = await run('good', makeInput(), { baseURL: 'http://127.0.0.1:9' });
    expect(r.fellBack).toBe(true);
    expect(r.output.message).toMatch(/Could not reach Anthropic's API.*network down/);
  });

  it('sends nothing without a key', async () => {
    const r = await run('good', makeInput(), { apiKey: async () => null });
    expect(fake.requests.length).toBe(0);
    expect(r.output.message).toMatch(/no Anthropic API key \(set ANTHROPIC_API_KEY, or add a key in Settings\)\. Kept the heuristic result/);
  });

  it('sends nothing when there is nothing new to refine', async () => {
    const signals = [signal('tool_error', 'k', 'one-off failure', 1)];
    const r = await run('good', makeInput({ signals }), {}, signals);
    expect(fake.requests.length).toBe(0);
    expect(r.output.message).toMatch(/nothing new to refine, so nothing was sent/);
  });

  it('stops before a batch that could pass the per-dream cap, keeping what was done', async () => {
    // A cap just above the first request's worst case (every output token used, no cache hit).
    const probe = makeInput();
    const plan = planRefinement(probe, heuristic(probe), corpusSignals());
    const worst = estimateRequest(plan.requests[0], plan.batches[0].clusters.length, true).maxCostUsd;
    const cap = Math.round((worst + 0.001) * 1000) / 1000;
    const r = await run('good', makeInput({ settings: { costCapUsd: { perDream: cap, monthly: 5 } } }));
    expect(fake.requests.length).toBe(1);
    expect(r.fellBack).toBe(false);
    expect(r.output.message).toMatch(/Claude engine stopped before refinement batch 2 of 2: the next request could cost up to \$0\.0\d\d, .* per-dream cap of \$0\.0\d\d\. Still pending: 0 discovery and 1 refinement batch/);
    expect(r.usage.costUsd).toBeLessThanOrEqual(cap);
  });

  it('honours the monthly cap, counting what earlier dreams spent', async () => {
    const r = await run('good', makeInput({ settings: { costCapUsd: { perDream: 0.5, monthly: 5 } } }), { monthSpentUsd: 4.99 });
    expect(fake.requests.length).toBe(0);
    expect(r.fellBack).toBe(true);
    expect(r.output.message).toMatch(/Claude engine stopped before refinement batch 1 of 2: .*\$4\.99 spent this month .* monthly cap of \$5\.00/);
  });

  it('undo of a Claude dream restores the lessons exactly', async () => {
    const old = lesson('old', { text: 'Vague old wording.', patternKey: 'bash|nothing to commit, working tree clean', support: { sessions: 2, agents: 1, occurrences: 2, firstSeen: null, lastSeen: null } });
    const input = makeInput({ lessons: [old] });
    const r = await run('good', input);
    const ops = r.output.changes.map((c) => c.op);
    expect(ops).toContain('reinforce');
    expect(ops).toContain('sharpen');
    const sharpen = r.output.changes.find((c) => c.op === 'sharpen')!;
    expect(sharpen.before!.text).toBe('Vague old wording.');
    expect(sharpen.after!.text).toMatch(/Vague old wording/);
    const applied = applyChanges(input.lessons, r.output.changes);
    expect(revertChanges(applied, r.output.changes)).toEqual(input.lessons);
  });

  it('never sends a request larger than the model\'s context: it stops before it, and the batch is pending', async () => {
    // 3,000 learned lessons make a refinement prefix of about 300,000 estimated tokens.
    const many = Array.from({ length: 3_000 }, (_, i) => lesson(`big${i}`, { text: `Keep the configuration of service ${i} in sync with its deployment manifest, its documentation page and the dashboards that read it; check all three before a release, and after any rename of its environment variables.` }));
    const r = await run('good', makeInput({ lessons: many }));
    expect(fake.requests.length).toBe(0);
    expect(r.output.message).toMatch(/stopped before refinement batch 1 of \d+: the next request would take about [\d,]+ tokens, more than the model's context of 200,000/);
    expect(r.ledger.pending[0]).toMatchObject({ kind: 'refine', reason: expect.stringMatching(/context/) });
  });
});
