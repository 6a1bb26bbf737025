// The Claude engine through the UI, in browser mode: `reverie serve` reaches the fake Messages API
// (test/helpers/fake-anthropic.ts) through ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY set. On a store
// with recurring patterns and planted secrets, the user picks the Claude engine, dreams, and reads
// the dream's diff: lessons with Claude's one-line reasons, and the tokens and cost it took. The
// fake server checks every request it gets (no planted secret, cache_control, model, max_tokens).
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dream } from '../../shared/model';
import { runCli, tempDir } from '../helpers/env';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic';
import { SECRET_VALUES, writeCorpus } from '../unit/claude/corpus';
import type { ClaudePreview } from '../../shared/contract/claude';
import type { RequestBody } from '../../electron/core/dreaming/claude/prompt';
import { PNPM_WISH, recordAnswers } from '../helpers/discovery-answers';
import { launch, screenshot, serve, type Served } from './harness';

const KEY = 'sk-ant-e2e-fake-key-000000000000000000';

describe('browser mode: a dream with the Claude engine', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  let fake: FakeAnthropic;
  /** Claude's answers to the discovery requests, by request hash (test/helpers/discovery-answers.ts). */
  const recorded: Record<string, unknown> = {};
  let served: Served;
  let browser: Browser;
  let page: Page;
  /** Asks the server what the page would ask it (the store is the server's while it runs). */
  const api = async <T>(method: string, input: unknown = {}): Promise<T> => {
    const res = await fetch(`${served.origin}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Reverie-Token': served.token }, body: JSON.stringify(input) });
    const env = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!env.ok) throw new Error(`${method}: ${env.error?.message}`);
    return env.result as T;
  };
  const storedEngine = async () => (await api<{ engine: string }>('settings.get')).engine;

  beforeAll(async () => {
    expect(runCli(['import', writeCorpus(work), '--store', store, '--json']).code).toBe(0);
    fake = await startFakeAnthropic({ secrets: SECRET_VALUES, apiKey: KEY, recorded });
    served = await serve(store, { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: KEY });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    // The shell is up before any test clicks in it; if it never comes, say what the page shows
    // instead (once, in CI, both tests timed out on the first click with nothing to go on).
    try {
      await page.getByRole('navigation', { name: 'Screens' }).waitFor({ timeout: 45_000 });
    } catch (err) {
      await screenshot(page, 'claude-shell-missing').catch(() => undefined);
      const text = await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText).catch((e: unknown) => `(unreadable: ${String(e)})`);
      throw new Error(`The app shell did not appear at ${page.url()}: ${(err as Error).message}\nPage text: ${text.slice(0, 800)}\nPage errors: ${errors.join(' | ') || 'none'}`);
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await fake?.close();
  });

  it('previews, from Settings, exactly what a Claude dream would send: redacted, and nothing sent', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /Settings/ }).click();
    await page.getByRole('button', { name: 'Preview what would be sent' }).click();
    const dialog = page.getByRole('dialog', { name: 'What a Claude dream would send' });
    await dialog.getByRole('region', { name: 'Request 1' }).waitFor({ timeout: 60_000 });
    const preview = await api<{ model: string; requests: unknown[] }>('claude.preview');
    // One section per request body, each with its model, system text and messages.
    await expect(dialog.getByRole('region', { name: /^Request \d+$/ }).count()).resolves.toBe(preview.requests.length);
    await dialog.getByText(`model ${preview.model}`).first().waitFor();
    await expect(dialog.getByText(/^System/).count()).resolves.toBeGreaterThan(0);
    await expect(dialog.getByText('Message · user').count()).resolves.toBe(preview.requests.length);
    expect(await dialog.getByLabel('Preview totals').innerText()).toMatch(new RegExp(`^${preview.requests.length} requests? to ${preview.model} · ≈[\\d,]+ input tokens · 1 discovery batch reading \\d+ sessions$`));
    const shown = await dialog.innerText();
    expect(shown).toContain('«redacted:github-token»');
    for (const secret of SECRET_VALUES) expect(shown).not.toContain(secret);
    // Each request says what it carries: the discovery batch of session digests comes first.
    expect(await dialog.getByLabel('What it carries').first().innerText()).toMatch(/^discovery · \d+ session digests$/);
    expect(await dialog.getByLabel('What it carries').last().innerText()).toMatch(/^refinement · \d+ clusters?$/);
    await screenshot(page, 'claude-preview-dialog');
    expect(fake.requests).toHaveLength(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('chooses the Claude engine in Settings, dreams, and shows the lessons with their reasons in the diff', async () => {
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('button', { name: /Settings/ }).click();
    // Browser mode reads the key from ANTHROPIC_API_KEY, and says so.
    await page.getByText('Key from ANTHROPIC_API_KEY').waitFor();
    await page.getByRole('combobox', { name: 'Engine', exact: true }).selectOption('claude');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('All changes saved').waitFor();
    // The choice is stored (settings.set), not just shown.
    await expect.poll(storedEngine, { timeout: 10_000 }).toBe('claude');
    expect(fake.requests).toHaveLength(0);

    // Dream from the Dreams screen with the Claude engine (offered once the page knows a key is there).
    await nav.getByRole('button', { name: /Dreams/ }).click();
    const main = page.getByRole('main', { name: 'Dreams' });
    // The header's engine choice and its button (an empty Dreams screen offers the same pair again).
    const engine = main.getByRole('combobox', { name: 'Dream engine' }).first();
    await engine.locator('option[value="claude"]:not([disabled])').waitFor({ state: 'attached' });
    await engine.selectOption('claude');
    // The same privacy check sits beside the engine choice once Claude is picked.
    await main.getByRole('button', { name: 'Preview what would be sent' }).first().waitFor();
    // What Claude will answer to the discovery request the dream sends (the pnpm wish, cited on every line).
    const preview = await api<ClaudePreview>('claude.preview');
    recordAnswers(recorded, preview.requests.filter((_, i) => preview.batches[i].kind === 'discovery') as unknown as RequestBody[], [PNPM_WISH]);
    await main.getByRole('button', { name: 'Dream now' }).first().click();
    const details = page.getByLabel('Dream details');
    await details.getByText('Claude engine').waitFor({ timeout: 60_000 });
    // Claude's reasons, one line per change; the support is Reverie's own count.
    await details.getByText(/Found by Claude across sessions; Reverie counts 4 sessions/).first().waitFor();
    await expect(details.getByRole('article').count()).resolves.toBeGreaterThan(0);
    const added = details.getByRole('article', { name: /Use pnpm for every install/ });
    await expect(added.count()).resolves.toBeGreaterThan(0);
    // What the dream cost is on screen, from the usage the API reported.
    const figures = details.getByRole('group', { name: 'Dream figures' });
    await figures.getByText('cost').waitFor();
    await figures.getByText(/cached\)/).waitFor();
    await screenshot(page, 'claude-dream-diff');

    // The server saw only well-formed, redacted, cache-marked requests.
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.violations()).toEqual([]);
    // And the store holds the same dream, with its usage and reasons.
    const dreams = await api<Dream[]>('dreams.list');
    const claude = dreams.find((d) => d.engine === 'claude');
    expect(claude?.usage?.inputTokens).toBeGreaterThan(0);
    expect(claude?.changes.some((c) => /Reverie counts 4 sessions/.test(c.reason ?? ''))).toBe(true);
    expect(claude?.changes.some((c) => /^Made actionable from/.test(c.reason ?? ''))).toBe(true);
  });
});
