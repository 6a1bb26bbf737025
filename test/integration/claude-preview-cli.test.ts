// `reverie dream --engine claude --preview`: the exact requests a Claude dream would send, printed
// by the real CLI in a child process with the fake Messages API reachable (ANTHROPIC_BASE_URL) and
// a key set, so a request *could* go out: none may. Secrets planted in the sessions must not be in
// the preview, and the preview must be byte for byte what a real dream then sends.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync, tempDir } from '../helpers/env';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';
import { SECRET_VALUES, writeCorpus } from '../unit/claude/corpus';

const KEY = 'sk-ant-test-preview-0000000000000000';

interface PreviewJson { model: string; note: string; requests: { model: string; system: { text: string }[]; messages: unknown[] }[]; tokens: { perRequest: number[]; total: number } }

describe('dream --engine claude --preview', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  let fake: FakeAnthropic;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    expect(runCli(['import', writeCorpus(work), '--store', store, '--json']).code).toBe(0);
    fake = await startFakeAnthropic({ secrets: SECRET_VALUES, apiKey: KEY });
    env = { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY };
  });
  afterAll(() => fake?.close());

  it('prints the system text and messages in full for a person, still sending nothing', async () => {
        const r = await runCliAsync(['dream', '--engine', 'claude', '--preview', '--store', store], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.length).toBe(0);
    expect(r.stdout).toMatch(/^Claude preview \(claude-sonnet-5-5\): \d+ request\(s\)\. Nothing was sent\./);
    expect(r.stdout).toMatch(/── Request 1 of \d+ · discovery: \d+ session digest\(s\) · claude-sonnet-5-5 · max_tokens \d+ · ≈[\d,]+ input tokens/);
    expect(r.stdout).toMatch(/── Request \d+ of \d+ · refinement: \d+ cluster\(s\) · claude-sonnet-5-5/);
    expect(r.stdout).toContain('[system]');
    expect(r.stdout).toContain('[user]');
    expect(r.stdout).toContain('[tools] record_changes');
    expect(r.stdout).toContain('«redacted:');
    for (const s of SECRET_VALUES) expect(r.stdout).not.toContain(s);
  });

  it('prints the redacted requests as JSON, sends nothing, and a real dream then sends exactly those', async () => {
    const r = await runCliAsync(['dream', '--engine', 'claude', '--preview', '--store', store, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests).toHaveLength(0);
    const preview = JSON.parse(r.stdout) as PreviewJson;
    expect(preview.model).toBe('claude-sonnet-5-5');
    expect(preview.requests.length).toBeGreaterThan(0);
    for (const body of preview.requests) {
      expect(body.model).toBe(preview.model);
      expect(body.system.length).toBeGreaterThan(0);
      expect(body.messages.length).toBeGreaterThan(0);
    }
    expect(preview.tokens.perRequest).toHaveLength(preview.requests.length);
    expect(preview.tokens.total).toBe(preview.tokens.perRequest.reduce((a, b) => a + b, 0));
    expect(preview.tokens.total).toBeGreaterThan(100);
    const text = JSON.stringify(preview);
    for (const s of SECRET_VALUES) expect(text).not.toContain(s);
    expect(text).toContain('«redacted:github-token»');
    // Nothing was stored either: a preview is not a dream.
    expect(runCli(['dreams', '--store', store, '--json']).json).toEqual([]);

    const dream = await runCliAsync(['dream', '--engine', 'claude', '--store', store, '--json'], { env });
    expect(dream.code, dream.stderr).toBe(0);
    expect(fake.requests.map((q) => q.body)).toEqual(preview.requests);
  });

  it('refuses --preview with the heuristic engine (exit 2, says why)', () => {
    const r = runCli(['dream', '--engine', 'heuristic', '--preview', '--store', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--preview shows what the Claude engine would send/);
  });
});
