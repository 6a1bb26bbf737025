// Discovery on a real developer's aider history (test/fixtures/real-multi/Aquaticat__Monochromatic,
// 19 sessions of one afternoon, Apache-2.0, see SOURCES.md there): the heuristic engine learns one
// thing from it (aider's provider failing at start-up, one signature for every provider error), the
// discovery pass sends one batch of session digests, and the fake Messages API answers with the tool
// call recorded for that exact request (test/fixtures/claude-discovery/). Reverie keeps only what it
// can verify: citations of lines Claude was not shown are dropped, support is recounted from the
// store (not the "11 sessions" the answer claims), the provider failure Claude finds again is the
// heuristics' lesson (one meaning, one lesson), two-session wishes wait as candidates, and the
// evidence shown is Reverie's own copy of the real events. The lesson discovery adds is invisible to
// the heuristics: a wish ("no await in loops") the user only ever wrote as `AI!` comments in the code.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import type { Dream } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { requestHash } from '../../electron/core/dreaming/claude/discovery';
import { loadLedger } from '../../electron/core/dreaming/claude/ledger';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { readSessionFile } from '../../electron/core/store/store';
import { PROJECT_ROOT, runCli, tempDir } from '../helpers/env';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';

const KEY = 'sk-ant-test-real-log-000000000000000000';
const LOG = path.join(PROJECT_ROOT, 'test', 'fixtures', 'real-multi', 'Aquaticat__Monochromatic', '.aider.chat.history.md');
const ANSWERS = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'claude-discovery', 'aquaticat.answers.json'), 'utf8')) as { answers: Record<string, unknown> };

describe('discovery on a vendored real multi-session aider log', () => {
  const store = path.join(tempDir(), 'store');
  const messages: string[] = [];
  let fake: FakeAnthropic;

  beforeAll(async () => {
    expect(runCli(['import', LOG, '--store', store, '--json']).code).toBe(0);
    fake = await startFakeAnthropic({ apiKey: KEY, recorded: ANSWERS.answers });
  });
  afterAll(() => fake?.close());

  const withCore = async <T>(fn: (api: ReturnType<typeof createClient>) => Promise<T>): Promise<T> => {
    const core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), apiKey: async () => KEY, claude: { baseURL: fake.url, log: (m) => messages.push(m) } });
    try {
      return await fn(createClient(core.dispatch));
    } finally {
      await core.close();
    }
  };

  it('previews one discovery batch of compact digests, then learns only what the store supports', async () => {
    const heuristic = runCli(['dream', '--engine', 'heuristic', '--store', store, '--json']).json as Dream;
    expect(heuristic.status).toBe('applied');
    expect(heuristic.changes.map((c) => [c.op, c.after!.title, c.after!.status, c.after!.support.sessions])).toEqual([['add', "Check aider's model and provider setup before a session", 'active', 5]]);
    const [providerLesson] = heuristic.changes;

    const preview = await withCore((api) => api.call('claude.preview'));
    const discovery = preview.batches.filter((b) => b.kind === 'discovery');
    expect(discovery).toHaveLength(1);
    expect(preview.batches.map((b) => b.kind)).toEqual(['discovery', 'refine']);
    const [batch] = discovery;
    // 16 sessions with something said or failed (3 of the 19 are bare start-ups and ^C), in about 2k tokens.
    expect(batch.items).toBe(16);
    expect(batch.tokens).toBeLessThan(16 * 300 + 1_500);
    const text = JSON.stringify(preview.requests[0]);
    expect(text).toMatch(/litellm\.RateLimitError/);
    expect(text).toMatch(/task: What is this repo doing\?/);
    expect(text).toMatch(/said: Comment on my CONVENTIONS\.md/);
    expect(text).toMatch(/in code: We don't wanna have await in loop\./);
    console.log(`[real log] ${batch.items} session digests, ${batch.bytes} bytes, ≈${batch.tokens} tokens (prefix included); request hash ${requestHash(preview.requests[0])}`);
    const hash = requestHash(preview.requests[0]);
    expect(hash in ANSWERS.answers, `no recorded answer for request ${hash}: the prompt or the digest changed; see test/fixtures/claude-discovery/aquaticat.answers.json`).toBe(true);

    const dream = await withCore((api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.violations()).toEqual([]);
    expect(fake.requests.map((q) => q.body)).toEqual(preview.requests);
    expect(dream.engine).toBe('claude');

    // The provider failure is already the heuristics' lesson (the dream before this one learned it);
    // Claude's own wording of it is that lesson, not a second one.
    const adds = dream.changes.filter((c) => c.op === 'add');
    expect(adds.map((c) => c.after!.title), dream.message).toEqual(['No await inside loops']);
    const [awaitInLoop] = adds;
    const lessons = await withCore((api) => api.call('lessons.list', { all: true }));
    expect(lessons.map((l) => l.title).sort()).toEqual(["Check aider's model and provider setup before a session", 'No await inside loops']);
    const provider = lessons.find((l) => l.id === providerLesson.lessonId)!;
    // Still what the heuristics made it.
    expect(provider).toMatchObject({ kind: 'mistake', origin: 'learned', status: providerLesson.after!.status });
    // Five sessions really show the provider failure (Claude cited four of them); the answer said eleven.
    expect(provider.support.sessions).toBe(5);
    for (const e of provider.evidence) {
      const event = readSessionFile(store, e.sessionId)!.events.find((ev) => ev.id === e.eventId)!;
      expect(event.isError).toBe(true);
      expect(event.text).toContain(e.excerpt.replace(/…$/, ''));
      expect(e.excerpt).toMatch(/^litellm\./);
    }
    // The user wrote this one only as `AI!` comments in the code, in three sessions, each worded differently.
    expect(awaitInLoop.after).toMatchObject({ kind: 'preference', origin: 'learned', support: { sessions: 3 } });
    expect(awaitInLoop.after!.evidence.map((e) => e.excerpt).join('\n')).toMatch(/await in loop[\s\S]*no-await-in-loop|no-await-in-loop[\s\S]*await in loop/);
    expect(messages).toContain('dropped a citation of an event Claude was not shown: S17#2');
    expect(messages).toContain('dropped a citation of an event Claude was not shown: S5#99');
    // The Markdown and list-order wishes show in two sessions each: candidates, not lessons.
    const ledger = loadLedger(store).ledger;
    expect(ledger.candidates.map((c) => [c.title, c.cites.length])).toEqual([
      ['Fix the model provider setup instead of retrying', 4],
      ['No await inside loops', 3],
      ['One sentence per line in Markdown', 2],
      ['Reorder lists without changing their items', 2],
    ]);
    expect(dream.message).toMatch(/Discovery read 16 session\(s\) in 1 of 1 batch\(es\): 4 pattern\(s\) proposed, 2 citation\(s\) of events it was not shown dropped; 1 new lesson\(s\), 0 lesson\(s\) reinforced, 1 already learned \("Check aider's model and provider setup before a session"\), 2 candidate\(s\) below 3 sessions kept for later\./);
  });
});
