// The Claude engine end to end: the real CLI (`dream --engine claude`) in a child process reaches
// the fake Messages API through ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY, on a store imported
// from sessions with planted secrets. The preview must equal what is then sent, byte for byte.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import type { Dream, Lesson } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { readSessionFile } from '../../electron/core/store/store';
import { runCli, runCliAsync, tempDir } from '../helpers/env';
import type { RequestBody } from '../../electron/core/dreaming/claude/prompt';
import { PNPM_WISH, recordAnswers } from '../helpers/discovery-answers';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';
import { SECRET_VALUES, writeCorpus } from '../unit/claude/corpus';

const KEY = 'sk-ant-test-integration-000000000000';

async function withCore<T>(store: string, fn: (api: ReturnType<typeof createClient>, core: Awaited<ReturnType<typeof openCore>>) => Promise<T>, readOnly = true): Promise<T> {
  const core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), readOnly, apiKey: async () => KEY });
  try {
    return await fn(createClient(core.dispatch), core);
  } finally {
    await core.close();
  }
}

describe('dream --engine claude, through the CLI and the fake Messages API', () => {
  const work = tempDir();
  const logs = writeCorpus(work);
  const storeA = path.join(work, 'a');
  const storeB = path.join(work, 'b');
  const storeC = path.join(work, 'c');
  /** The same store dreamt by the heuristic engine alone: what Claude starts from, and what a fallback must equal. */
  let heuristicDream: Dream;
  let fake: FakeAnthropic;
  /** Claude's answers to the discovery requests, by request hash (see test/helpers/discovery-answers.ts). */
  const recorded: Record<string, unknown> = {};
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    for (const store of [storeA, storeB, storeC]) expect(runCli(['import', logs, '--store', store, '--json']).code).toBe(0);
    const h = runCli(['dream', '--engine', 'heuristic', '--store', storeC, '--json']);
    expect(h.code, h.stderr).toBe(0);
    heuristicDream = h.json as Dream;
    // The wish in four unrelated wordings is beyond the heuristic engine: that is Claude's to find.
    expect(heuristicDream.changes.some((c) => /pnpm/i.test(c.after?.text ?? ''))).toBe(false);
    fake = await startFakeAnthropic({ secrets: SECRET_VALUES, apiKey: KEY, recorded });
    env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY };
  });
  afterAll(() => fake?.close());

  it('estimates and previews without sending anything', async () => {
    const { estimate, preview } = await withCore(storeA, async (api) => ({ estimate: await api.call('claude.estimate'), preview: await api.call('claude.preview') }));
    expect(fake.requests.length).toBe(0);
    const heuristicLessons = heuristicDream.changes.filter((c) => c.op === 'add').length;
    expect(heuristicLessons).toBeGreaterThan(0);
    // One discovery batch (every session's digest fits) and one refinement batch (the lessons; the
    // sessions' wishes go to discovery).
    expect(estimate).toMatchObject({ keyPresent: true, model: 'claude-sonnet-5-5', batches: 2, discoveryBatches: 1, batchesWithinCaps: 2, lessons: heuristicLessons, pending: [] });
    expect(estimate.sessionsToRead).toBeGreaterThan(0);
    expect(estimate.cacheWriteTokens).toBeGreaterThan(0);
    // Each prefix (discovery's, refinement's) is used once here: written, never read.
    expect(estimate.cacheReadTokens).toBe(0);
    expect(estimate.expectedCostUsd).toBeGreaterThan(0);
    expect(estimate.maxCostUsd).toBeGreaterThan(estimate.expectedCostUsd);
    expect(preview.requests.length).toBe(2);
    expect(preview.batches.map((b) => b.kind)).toEqual(['discovery', 'refine']);
    const text = JSON.stringify(preview.requests);
    for (const s of SECRET_VALUES) expect(text).not.toContain(s);
    expect(text).toContain('«redacted:github-token»');
  });

  it('learns lessons with reasons, records usage, and sends exactly what the preview showed', async () => {
    const preview = await withCore(storeA, (api) => api.call('claude.preview'));
    recordAnswers(recorded, preview.requests.filter((_, i) => preview.batches[i].kind === 'discovery') as unknown as RequestBody[], [PNPM_WISH]);
    const r = await runCliAsync(['dream', '--engine', 'claude', '--store', storeA, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.violations()).toEqual([]);
    expect(fake.requests.map((q) => q.body)).toEqual(preview.requests);

    const dream = r.json as Dream;
    expect(dream).toMatchObject({ engine: 'claude', status: 'applied' });
    expect(dream.message).toMatch(/Claude \(claude-sonnet-5-5\): cost \$0\.\d+\. Discovery read \d+ session\(s\) in 1 of 1 batch\(es\).* Refined 1 of 1 batch\(es\)/);
    expect(dream.usage!.inputTokens).toBe(fake.requests.reduce((n, q) => n + q.usage!.input_tokens, 0));
    expect(dream.usage!.cacheWriteTokens).toBeGreaterThan(0);
    expect(dream.usage!.costUsd).toBeGreaterThan(0);
    for (const c of dream.changes) expect(c.reason.length).toBeGreaterThan(10);

    const human = await runCliAsync(['dreams', '--store', storeA], { env });
    expect(human.stdout).toMatch(/add +Use pnpm for every install — Found by Claude across sessions; Reverie counts 4 sessions/);

    const lessons = runCli(['lessons', '--store', storeA, '--json']).json as Lesson[];
    const pnpm = lessons.find((l) => /pnpm/.test(l.title))!;
    expect(lessons.filter((l) => /pnpm/.test(l.text)).length).toBe(1);
    expect(pnpm).toMatchObject({ kind: 'preference', origin: 'learned', status: 'active', support: { sessions: 4 } });
    // Evidence points at real stored events, and the stored excerpts are the redacted ones.
    for (const e of pnpm.evidence) {
      const doc = readSessionFile(storeA, e.sessionId)!;
      expect(doc.events.some((ev) => ev.id === e.eventId)).toBe(true);
    }
    expect(JSON.stringify(lessons)).not.toMatch(new RegExp(SECRET_VALUES.join('|')));
    // Claude sharpened the heuristics' own lesson (the replayed session's routine; its failed commit
    // had no fix that worked, so it is no lesson of its own).
    const sharpened = lessons.find((l) => l.origin === 'learned' && /^Before repeating it, check why it failed/.test(l.text));
    expect(sharpened, JSON.stringify(lessons.map((l) => l.text))).toBeDefined();
  });

  it('settings.engine = claude applies without --engine; a 401 falls back to the heuristic result, saying so', async () => {
    await withCore(storeB, async (_api, core) => {
      core.store.data.settings.engine = 'claude';
      await core.store.writeMain();
    }, false);
    fake.reset();
    fake.setScript('401');
    const r = await runCliAsync(['dream', '--store', storeB, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.length).toBe(1);
    const dream = r.json as Dream;
    expect(dream.engine).toBe('claude');
    expect(dream.message).toMatch(/Anthropic rejected the API key \(401\).*Kept the heuristic result/);
    expect(dream.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 });
    // Exactly the heuristic dream: its lessons in its own words, nothing from Claude.
    const summary = (d: Dream) => d.changes.map((c) => [c.op, c.after?.title, c.after?.text, c.reason]);
    expect(summary(dream)).toEqual(summary(heuristicDream));
    expect(r.stderr).toMatch(/reverie: claude: .*401/);
    const lessons = runCli(['lessons', '--store', storeB, '--json']).json as Lesson[];
    expect(lessons.map((l) => l.id).sort()).toEqual(dream.changes.map((c) => c.lessonId).sort());
  });

  it('without a key nothing is sent and the dream says how to add one', async () => {
    fake.reset();
    const r = await runCliAsync(['dream', '--engine', 'claude', '--full', '--store', storeB, '--json'], { env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.length).toBe(0);
    expect((r.json as Dream).message).toMatch(/no Anthropic API key \(set ANTHROPIC_API_KEY, or add a key in Settings\)/);
  });
});
