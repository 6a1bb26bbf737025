// What leaves the machine: compact, redacted clusters under a cached prefix, in bounded batches.
import { describe, expect, it } from 'vitest';
import { priceOf, costOf } from '../../../electron/core/dreaming/claude/models';
import { BATCH_CLUSTERS, MAX_REQUEST_BYTES, batchesOf, buildRequest, gatherMaterial } from '../../../electron/core/dreaming/claude/prompt';
import { planRefinement } from '../../../electron/core/dreaming/claude/refine';
import { ToolInput, toolDefinition } from '../../../electron/core/dreaming/claude/schema';
import { redact } from '../../../electron/core/redaction';
import { SECRET_VALUES, SECRETS } from './corpus';
import { corpusSignals, heuristic, lesson, makeInput, signal } from './fixtures';

describe('Claude prompt', () => {
  it('sends the heuristic lesson cluster and the sub-threshold user clusters, never known or tombstoned keys', () => {
    const known = lesson('known', { patternKey: 'correction|that created node modules classic way want pnpm' });
    const input = makeInput({ lessons: [known], tombstones: [{ patternKey: 'preference|always answer in english', title: 't', deletedAt: '2026-11-20T00:00:00Z' }] });
    const m = gatherMaterial(input, heuristic(input), corpusSignals());
    expect(m.lessons.map((l) => l.handle)).toEqual(['L1', 'L2']);
    expect(m.clusters[0]).toMatchObject({ handle: 'C1', lesson: 'L2', supportSessions: 3 });
    const keys = m.clusters.filter((c) => c.key).map((c) => c.key);
    expect(keys).toEqual(['correction|installs go through pnpm readme says', 'correction|this repository pnpm workspace leave package lock alone', 'correction|wrong tool again lockfile here belongs pnpm']);
    // Evidence handles are unique across the dream and point back at real events.
    expect([...m.evidence.keys()]).toEqual(m.clusters.flatMap((c) => c.evidence.map((e) => e.handle)));
  });

  it('a sub-threshold cluster that already reaches the minimum is the heuristic engine\'s, not Claude\'s', () => {
    const signals = [1, 2, 3].map((s) => signal('correction', 'correction|same words', 'no, same words', s));
    const input = makeInput({ signals });
    expect(gatherMaterial(input, { changes: [], stats: { sessionsRead: 3, signalsRead: 3, patterns: 1 } }, signals).clusters).toEqual([]);
  });

  it('puts the cache breakpoint on the last system block, sets model and max_tokens, stays within budget', () => {
    const input = makeInput();
    const plan = planRefinement(input, heuristic(input), corpusSignals());
    expect(plan.requests.length).toBe(2);
    for (const body of plan.requests) {
      expect(body.system.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.system[0].cache_control).toBeUndefined();
      expect(body).toMatchObject({ model: 'claude-sonnet-5-5', max_tokens: 4096, output_config: { effort: 'low' } });
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(MAX_REQUEST_BYTES);
    }
    // The prefix is byte-identical across batches, or the cache would never hit.
    expect(JSON.stringify(plan.requests[0].system)).toBe(JSON.stringify(plan.requests[1].system));
    expect(JSON.stringify(plan.requests[0].tools)).toBe(JSON.stringify(plan.requests[1].tools));
    const noCache = planRefinement(input, heuristic(input), corpusSignals(), false).requests[0];
    expect(JSON.stringify(noCache)).not.toMatch(/cache_control/);
    // Older models reject output_config; they do not get it.
    const old = planRefinement(makeInput({ settings: { claudeModel: 'claude-sonnet-4-5' } }), heuristic(input), corpusSignals()).requests[0];
    expect(old.output_config).toBeUndefined();
  });

  it('redacts again whatever reaches it unredacted (defence in depth)', () => {
    // Lessons and signals built by hand, bypassing the importer's redaction.
    const leaky = lesson('leaky', { title: `Use ${SECRETS.github}`, text: `Log in with password=${SECRETS.password} and ${SECRETS.anthropic}` });
    const signals = [...corpusSignals(), signal('correction', 'correction|leak', `no, the key is ${SECRETS.aws}`, 9)];
    const input = makeInput({ lessons: [leaky], signals });
    const plan = planRefinement(input, heuristic(input, signals), signals);
    const sent = JSON.stringify(plan.requests);
    for (const s of SECRET_VALUES) expect(sent).not.toContain(s);
    expect(sent).toContain('«redacted:github-token»');
    expect(sent).toContain('«redacted:aws-access-key»');
    // Nothing secret-looking is left anywhere in the bodies.
    const strings: string[] = [];
    JSON.parse(sent, (_k, v) => (typeof v === 'string' && strings.push(v), v));
    for (const s of strings) expect(redact(s)).toBe(s);
  });

  it('batches by cluster count and keeps lesson clusters apart from sub-threshold ones', () => {
    // Forty unrelated wishes (distinct words: numbers alone would be normalized away and cluster).
    const word = (i: number) => `${'bcdfghjklm'[i % 10]}${'aeiou'[Math.floor(i / 10) % 5]}${'prstvz'[i % 6]}${'aeiou'[i % 5]}x`;
    const signals = Array.from({ length: 40 }, (_, i) => signal('preference', `preference|${word(i)}`, `always reach for ${word(i)} first`, i));
    const input = makeInput({ signals });
    const m = gatherMaterial(input, heuristic(input, signals), signals);
    const batches = batchesOf(m);
    expect(batches.length).toBe(Math.ceil(40 / BATCH_CLUSTERS));
    for (const b of batches) expect(b.clusters.length).toBeLessThanOrEqual(BATCH_CLUSTERS);
    const mixed = makeInput();
    const mb = batchesOf(gatherMaterial(mixed, heuristic(mixed), corpusSignals()));
    expect(mb.map((b) => b.clusters.every((c) => !!c.lesson))).toEqual([true, false]);
    expect(buildRequest(m, batches[0], { model: 'x', minSessions: 3 }).messages[0].content[0].text).toMatch(/^<clusters>\n\{"id":"C1"/);
  });

  it('the tool schema is generated from the zod schema that validates answers', () => {
    const def = toolDefinition();
    expect(def.name).toBe('record_changes');
    expect(JSON.stringify(def.input_schema)).toContain('"const":"sharpen"');
    expect(ToolInput.safeParse({ changes: [{ op: 'sharpen', lesson: 'L1', text: 'Run pnpm, not npm.', reason: 'clearer' }] }).success).toBe(true);
    expect(ToolInput.safeParse({ changes: [{ op: 'sharpen', lesson: 'lesson-1', text: 'Run pnpm, not npm.', reason: 'clearer' }] }).success).toBe(false);
    expect(ToolInput.safeParse({ changes: [{ op: 'sharpen', lesson: 'L1', text: 'Run pnpm, not npm.' }] }).success).toBe(false);
  });
});

describe('Claude prices', () => {
  it('prices known ids and dated snapshots, and counts unknown ids at the dearest rates', () => {
    expect(priceOf('claude-sonnet-5-5')).toMatchObject({ input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1, known: true });
    expect(priceOf('claude-haiku-4-5-20251001')).toMatchObject({ input: 1, known: true });
    expect(priceOf('claude-future-9')).toMatchObject({ output: 50, known: false });
    expect(costOf({ inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 1e6, cacheWriteTokens: 1e6 }, 'claude-sonnet-5-5')).toBeCloseTo(2 + 10 + 0.1 + 2.5, 6);
  });
});
