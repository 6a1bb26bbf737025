// The closing figures of the Claude engine: tokens per dream on a store with recurring patterns,
// with and without prompt caching, as billed by the fake server (≈4 characters per token, 5-minute
// prefix cache, 512-token minimum). Printed for the docs; asserted only where caching must win.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import type { Dream } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { costOf } from '../../electron/core/dreaming/claude/models';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { runCli, tempDir } from '../helpers/env';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';
import { SECRET_VALUES, writeBenchCorpus } from '../unit/claude/corpus';

const KEY = 'sk-ant-test-tokens-0000000000000000000';

describe('tokens per Claude dream, with and without caching', () => {
  const work = tempDir();
  const logs = writeBenchCorpus(work);
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ secrets: SECRET_VALUES, apiKey: KEY, requireCache: false });
  });
  afterAll(() => fake?.close());

  async function dream(name: string, promptCaching: boolean): Promise<Dream> {
    const store = path.join(work, name);
    expect(runCli(['import', logs, '--store', store, '--json']).code).toBe(0);
    const core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), apiKey: async () => KEY, claude: { baseURL: fake.url, promptCaching, log: () => {}, discoveryBatchSessions: 8 } });
    try {
      return await createClient(core.dispatch).call('dreams.run', { engine: 'claude' });
    } finally {
      await core.close();
    }
  }

  it('caching bills the stable prefix once per dream', async () => {
    const cached = await dream('cached', true);
    const requests = fake.requests.length;
    // Discovery and refinement each have their own stable prefix: each is written once, then read.
    const prefixes = new Map<string, number[]>();
    for (const q of fake.requests) {
      const key = JSON.stringify(q.body!.system);
      prefixes.set(key, [...(prefixes.get(key) ?? []), q.usage!.cache_creation_input_tokens + q.usage!.cache_read_input_tokens]);
    }
    expect(prefixes.size).toBe(2);
    expect([...prefixes.values()].some((sizes) => sizes.length > 1)).toBe(true);
    const expectedReads = [...prefixes.values()].reduce((n, sizes) => n + sizes[0] * (sizes.length - 1), 0);
    fake.reset();
    const plain = await dream('plain', false);
    expect(fake.violations()).toEqual([]);
    expect(fake.requests.length).toBe(requests);
    const c = cached.usage!;
    const p = plain.usage!;
    // Same dream, same prompt (give or take the cache_control markers themselves); caching moves
    // the prefix from full-price input to one cache write and cheap reads.
    expect(Math.abs(c.inputTokens + c.cacheReadTokens + c.cacheWriteTokens - p.inputTokens) / p.inputTokens).toBeLessThan(0.01);
    expect(c.cacheReadTokens).toBe(expectedReads);
    expect(c.cacheWriteTokens).toBe([...prefixes.values()].reduce((n, sizes) => n + sizes[0], 0));
    expect(c.costUsd).toBeLessThan(p.costUsd);
    const billed = (u: typeof c) => costOf({ ...u, outputTokens: 0 }, 'claude-sonnet-5-5');
    const line = (label: string, u: typeof c) =>
      `${label}: ${requests} requests; input ${u.inputTokens}, cache write ${u.cacheWriteTokens}, cache read ${u.cacheReadTokens}, output ${u.outputTokens} tokens; input cost $${billed(u).toFixed(4)}, total $${u.costUsd.toFixed(4)}`;
    console.log(cached.message, cached.changes.map((ch) => `${ch.op} ${ch.after?.title}`), fake.requests.map((q) => q.answer));
    console.log(`[claude tokens] ${cached.stats.sessionsRead} sessions, ${cached.changes.length} changes\n  ${line('cached  ', c)}\n  ${line('uncached', p)}`);
  });
});
