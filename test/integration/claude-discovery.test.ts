// The discovery pass end to end: a real store (imported sessions with planted secrets), the real
// core and SDK, the fake Messages API answering discovery requests with tool calls recorded for
// their exact request hashes. Claude proposes; these tests check that Reverie decides: fabricated
// citations dropped, support recounted, failed batches left pending and resumed first, the cap
// checked before each request, nothing secret in any body, nothing sent twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import type { ClaudePreview } from '../../shared/contract/claude';
import { openCore } from '../../electron/core/core';
import { loadLedger } from '../../electron/core/dreaming/claude/ledger';
import { estimateRequest, type RequestBody } from '../../electron/core/dreaming/claude/prompt';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { readSessionFile } from '../../electron/core/store/store';
import type { ClaudeTuning } from '../../electron/core/context';
import { runCli, tempDir } from '../helpers/env';
import { PNPM_WISH, recordAnswers } from '../helpers/discovery-answers';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';
import { SECRET_VALUES, writeBenchCorpus } from '../unit/claude/corpus';

const KEY = 'sk-ant-test-discovery-00000000000000000';
const BATCH = 16;

type Api = ReturnType<typeof createClient>;

describe('the discovery pass, against the fake Messages API', () => {
  const work = tempDir();
  const logs = writeBenchCorpus(work);
  const recorded: Record<string, unknown> = {};
  const messages: string[] = [];
  let fake: FakeAnthropic;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ secrets: SECRET_VALUES, apiKey: KEY, recorded });
  });
  afterEach(() => {
    expect(fake.violations()).toEqual([]);
    fake.reset();
    fake.setScript('good');
  });
  afterAll(() => fake?.close());

  function freshStore(): string {
    const store = path.join(work, `store-${++n}`);
    expect(runCli(['import', logs, '--store', store, '--json']).code).toBe(0);
    return store;
  }

  async function withCore<T>(store: string, fn: (api: Api, core: Awaited<ReturnType<typeof openCore>>) => Promise<T>, tuning: ClaudeTuning = {}): Promise<T> {
    const core = await openCore({
      storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), apiKey: async () => KEY,
      claude: { baseURL: fake.url, maxRetries: 0, sleep: async () => {}, log: (m) => messages.push(m), discoveryBatchSessions: BATCH, ...tuning },
    });
    try {
      return await fn(createClient(core.dispatch), core);
    } finally {
      await core.close();
    }
  }

  const discoveryBodies = (p: ClaudePreview) => p.requests.filter((_, i) => p.batches[i].kind === 'discovery') as unknown as RequestBody[];

  /** Claude's recorded answer to each discovery request: the pnpm wish on every line that shows it, with made-up support and citations. */
  const recordPnpmAnswers = (bodies: RequestBody[]) => recordAnswers(recorded, bodies, [PNPM_WISH], { fabricate: true, claimSessions: 40 });

  it('finds the wish the heuristics miss: fabricated citations dropped, support recounted, evidence from real events', async () => {
    const store = freshStore();
    const preview = await withCore(store, (api) => api.call('claude.preview'));
    const bodies = discoveryBodies(preview);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    expect(preview.batches.slice(0, bodies.length).every((b) => b.kind === 'discovery' && b.items <= BATCH)).toBe(true);
    // Besides the pnpm wish, a naming wish Claude cites in two sessions and claims for 40: the
    // heuristics already learned it ("no, name the helper <name> instead", 24 sessions).
    recordAnswers(recorded, bodies, [PNPM_WISH, { title: 'Name helpers after what they do', text: 'Name each helper after the action it performs, e.g. parseThing, never a vague name.', line: /said: no, name the helper (parseThing0|loadThing2) / }], { fabricate: true, claimSessions: 40 });
    messages.length = 0;
    const dream = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.requests.map((q) => q.body)).toEqual(preview.requests);

    const add = dream.changes.find((c) => c.op === 'add' && c.after?.title === 'Use pnpm for every install')!;
    expect(add, dream.message).toBeDefined();
    // Four sessions really show it; Claude's "40" is not what counts.
    expect(add.after!.support.sessions).toBe(4);
    expect(add.reason).toMatch(/Reverie counts 4 sessions/);
    for (const e of add.after!.evidence) {
      const doc = readSessionFile(store, e.sessionId)!;
      const event = doc.events.find((ev) => ev.id === e.eventId)!;
      expect(event.text).toContain(e.excerpt.replace(/…$/, ''));
      expect(e.excerpt).toMatch(/pnpm/);
    }
    // The estimate is said before anything is sent.
    expect(messages[0]).toMatch(new RegExp(`^about to send ${preview.requests.length} request\\(s\\): ${bodies.length} discovery batch\\(es\\) reading \\d+ session\\(s\\), \\d+ refinement batch\\(es\\); expected about \\$0\\.\\d+, at most \\$0\\.\\d+ \\(caps: \\$0\\.50 per dream`));
    expect(messages.filter((m) => /dropped a citation of an event Claude was not shown: S(99#1|1#9999999)/.test(m)).length).toBeGreaterThanOrEqual(2);
    expect(dream.message).toMatch(/citation\(s\) of events it was not shown dropped/);
    // The refinement pass proposes the same wish from its clusters, and the heuristics filed one of
    // its wordings ("leave package-lock alone") under "only change the files you are asked to":
    // still one meaning, one lesson, and that other lesson is not it.
    expect(dream.changes.filter((c) => c.op === 'add' && /pnpm/i.test(c.after?.text ?? '')).length).toBe(1);
    // The naming wish is recounted through the heuristics' abstraction (24 sessions, neither the 2
    // cited nor the 40 claimed) and is the heuristics' lesson: known, not a second lesson.
    expect(dream.changes.some((c) => /Name helpers/.test(c.after?.title ?? ''))).toBe(false);
    const naming = dream.changes.filter((c) => c.op === 'add' && /name the helper/i.test(c.after?.text ?? ''));
    expect(naming.map((c) => c.after!.support.sessions)).toEqual([24]);
    expect(dream.message).toMatch(/1 already learned \("Name the helper/);
    const ledger = loadLedger(store).ledger;
    expect(ledger.candidates.map((c) => c.title)).toContain('Name helpers after what they do');
    expect(ledger.pending).toEqual([]);

    // A re-run with nothing new sends nothing, incremental or full.
    fake.reset();
    const again = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    const full = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude', full: true }));
    expect(fake.requests.length).toBe(0);
    expect(again.message).toMatch(/nothing was sent/);
    expect(full.changes.filter((c) => c.op === 'add')).toEqual([]);
    expect((await withCore(store, (api) => api.call('claude.estimate'))).batches).toBe(0);

    // Deleted: never learned again, whatever Claude says.
    await withCore(store, (api) => api.call('lessons.delete', { id: add.lessonId }));
    fs.rmSync(path.join(store, 'claude.json'));
    const afterDelete = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude', full: true }));
    expect(afterDelete.changes.some((c) => c.op === 'add' && /pnpm/i.test(c.after?.text ?? ''))).toBe(false);
    expect(afterDelete.message).toMatch(/refused by the lesson rules/);
  });

  it('a 500 in batch 2 of 3 leaves it pending, and the next dream sends exactly batch 2 first', async () => {
    const store = freshStore();
    const preview = await withCore(store, (api) => api.call('claude.preview'));
    const bodies = discoveryBodies(preview);
    expect(bodies.length).toBe(3);
    recordPnpmAnswers(bodies);
    fake.setScript({ steps: ['good', '500'], then: 'good' });
    const first = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.requests.length).toBe(2);
    const failed = fake.requests[1].body;
    expect(failed).toEqual(bodies[1]);
    expect(first.engine).toBe('claude');
    expect(first.message).toMatch(/Claude engine stopped at discovery batch 2 of 3: Anthropic's API failed \(500\)/);
    expect(first.message).toMatch(/Still pending: 2 discovery and \d+ refinement batch\(es\); the next Claude dream resumes them first/);
    const ledger = loadLedger(store).ledger;
    expect(ledger.pending.map((p) => p.kind).slice(0, 2)).toEqual(['discovery', 'discovery']);
    expect(ledger.pending[0].reason).toMatch(/500/);
    // `dreams` says what is pending and why.
    const listed = runCli(['dreams', '--store', store]);
    expect(listed.stdout).toMatch(/Still pending: 2 discovery/);

    // The estimate and the preview show the resumed batch first, with why it is pending.
    const again = await withCore(store, (api) => api.call('claude.preview'));
    expect(again.requests[0]).toEqual(bodies[1]);
    expect(again.batches[0]).toMatchObject({ kind: 'discovery', resumed: expect.stringMatching(/500/) });

    fake.reset();
    fake.setScript('good');
    const second = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.requests[0].body).toEqual(bodies[1]);
    expect(fake.requests[1].body).toEqual(bodies[2]);
    expect(second.message).toMatch(/Resumed \d+ pending batch\(es\)/);
    expect(loadLedger(store).ledger.pending).toEqual([]);
    // However many batches carried it, the wish is one lesson.
    const lessons = await withCore(store, (api) => api.call('lessons.list', { all: true }));
    expect(lessons.filter((l) => /pnpm/i.test(l.text) && l.status !== 'retired').length).toBe(1);
  });

  it('an unusable answer twice leaves that batch pending, the others go on, and the next dream resends it first', async () => {
    const store = freshStore();
    const bodies = discoveryBodies(await withCore(store, (api) => api.call('claude.preview')));
    recordPnpmAnswers(bodies);
    fake.setScript({ steps: ['malformed', 'malformed'], then: 'good' });
    const first = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    // Batch 1 twice (the second time with a note saying what was wrong), then the others.
    expect(fake.requests.slice(0, 2).map((q) => q.answer)).toEqual(['malformed', 'malformed']);
    expect(JSON.stringify(fake.requests[1].body)).toMatch(/Your previous answer could not be used: the record_patterns input does not match its schema/);
    expect(fake.requests.slice(2, 4).map((q) => q.body)).toEqual([bodies[1], bodies[2]]);
    expect(first.message).toMatch(/Discovery batch 1 of 3 dropped after a retry: the record_patterns input does not match its schema/);
    expect(loadLedger(store).ledger.pending.map((p) => p.kind)).toEqual(['discovery']);
    fake.reset();
    fake.setScript('good');
    await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.requests[0].body).toEqual(bodies[0]);
    expect(loadLedger(store).ledger.pending).toEqual([]);
  });

  it('the cap is checked before each request: the dream stops before the one that would pass it', async () => {
    const store = freshStore();
    const preview = await withCore(store, (api) => api.call('claude.preview'));
    const bodies = discoveryBodies(preview);
    recordPnpmAnswers(bodies);
    const worstFirst = estimateRequest(bodies[0], bodies[0].messages.length, true, 0).maxCostUsd;
    await withCore(store, async (_api, core) => {
      core.store.data.settings.costCapUsd = { perDream: worstFirst, monthly: 5 };
      await core.store.writeMain();
    });
    const dream = await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    const sent = fake.requests.length;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(bodies.length);
    expect(dream.usage!.costUsd).toBeLessThanOrEqual(worstFirst);
    const m = new RegExp(`stopped before discovery batch ${sent + 1} of ${bodies.length}: the next request could cost up to \\$(0\\.\\d+), and with \\$(0\\.\\d+) spent that would pass the per-dream cap`).exec(dream.message ?? '');
    expect(m, dream.message).not.toBeNull();
    // The request it did not send would indeed have passed the cap (by the same estimate).
    expect(estimateRequest(bodies[sent], 1, false, 0).maxCostUsd + dream.usage!.costUsd).toBeGreaterThan(worstFirst);
    expect(loadLedger(store).ledger.pending[0]).toMatchObject({ kind: 'discovery', reason: expect.stringMatching(/per-dream cap/) });
  });

  it('nothing secret in any request body, and every body within the size budget', async () => {
    const store = freshStore();
    const preview = await withCore(store, (api) => api.call('claude.preview', { full: true }));
    const text = JSON.stringify(preview.requests);
    for (const s of SECRET_VALUES) expect(text).not.toContain(s);
    expect(text).toMatch(/«redacted:/);
    for (const b of preview.batches) expect(b.bytes).toBeLessThan(120_000);
    await withCore(store, (api) => api.call('dreams.run', { engine: 'claude' }));
    expect(fake.requests.length).toBe(preview.requests.length);
    // afterEach: the fake saw no planted secret and no secret-shaped string.
  });
});
