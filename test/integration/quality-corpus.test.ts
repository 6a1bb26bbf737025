// The independent quality corpus (test/bench/quality-corpus.ts) and its scorer, checked on their own:
// the generator is deterministic, every preference is planted with ≥ 5 real phrasings, the files
// import through the real importers without errors, the ground truth's session sets are exactly the
// sessions where each pattern shows in the store, and the scorer gives a perfect lesson set 1.0 and
// puts a bad one in the right failure classes. No engine quality target is asserted here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../shared/contract/client';
import type { Lesson, SessionEvent } from '../../shared/model';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { writeQualityCorpus2, type PlantedPattern, type QualityTruth } from '../bench/quality-corpus';
import { PREFERENCE_PHRASINGS } from '../bench/quality-phrasings';
import { scoreQuality } from '../bench/quality-score';
import { lesson } from '../helpers/lessons';
import { tempDir } from '../helpers/env';

const SESSIONS = 300;
/** Every corpus folder a test writes, removed at the end (a corpus is tens of MB at full size). */
const made: string[] = [];
const corpusDir = (): string => { const d = tempDir('reverie-quality-test-'); made.push(d); return d; };
afterAll(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A phrasing template as a pattern: `{file}` stands for any file name; case and the full stop may vary. */
const phrasingPattern = (t: string): RegExp => new RegExp(escape(t.replace(/[.]$/, '')).replace(/\\\{file2?\\\}/g, '\\S+'), 'i');

describe('quality corpus generator', () => {
  it('writes the same bytes for the same seed, and a different corpus for another seed', async () => {
    const [a, b, c] = [corpusDir(), corpusDir(), corpusDir()];
    const ta = await writeQualityCorpus2(a, { seed: 7, sessions: 120 });
    const tb = await writeQualityCorpus2(b, { seed: 7, sessions: 120 });
    await writeQualityCorpus2(c, { seed: 8, sessions: 120 });
    expect(folderHash(a)).toBe(folderHash(b));
    expect(tb).toEqual(ta);
    expect(folderHash(c)).not.toBe(folderHash(a));
  });

  it('at the default 2,000 sessions plants the one-agent mistake in 100+ sessions of that one agent', async () => {
    const truth = await writeQualityCorpus2(corpusDir(), { seed: 100 });
    expect(truth.sessions).toBe(2000);
    expect(Object.keys(truth.sessionAgents)).toHaveLength(2000);
    const one = truth.patterns.find((p) => p.oneAgent)!;
    expect(one.sessions.length).toBeGreaterThanOrEqual(100);
    expect(new Set(one.sessions.map((s) => truth.sessionAgents[s]))).toEqual(new Set([one.oneAgent]));
  });

  it('refuses a size too small to plant every pattern, naming what is missing', async () => {
    await expect(writeQualityCorpus2(corpusDir(), { seed: 1, sessions: 20 })).rejects.toThrow(/free sessions for .* needed/);
  });
});

describe('quality corpus through the real importers', () => {
  let truth: QualityTruth;
  let events: Map<string, SessionEvent[]>;
  let importErrors: unknown[];
  let stored: { id: string; agentId: string }[];
  const dir = corpusDir();

  beforeAll(async () => {
    truth = await writeQualityCorpus2(path.join(dir, 'logs'), { seed: 100, sessions: SESSIONS });
    const core = await openCore({ storeDir: path.join(dir, 'store'), host: 'cli', worker: sourceWorkerLauncher() });
    try {
      const api = createClient(core.dispatch);
      importErrors = (await api.call('import.paths', { paths: [path.join(dir, 'logs')] })).errors;
      stored = (await api.call('sessions.list', { offset: 0, limit: 20000 })).sessions;
      events = new Map();
      for (const s of stored) events.set(s.id, (await api.call('sessions.get', { id: s.id })).events);
    } finally {
      await core.close();
    }
  });

  it('imports every file without an error, one stored session per planned session, under the planned agents', () => {
    expect(importErrors).toEqual([]);
    expect(stored).toHaveLength(SESSIONS);
    expect(Object.fromEntries(stored.map((s) => [s.id, s.agentId]))).toEqual(truth.sessionAgents);
    expect(new Set(stored.map((s) => s.agentId.split(':')[0]))).toEqual(new Set(['claude-code', 'codex', 'chatgpt']));
  });

  it('plants at least 12 patterns of every kind, a one-agent mistake, and mistakes across projects', () => {
    expect(truth.patterns.length).toBeGreaterThanOrEqual(12);
    expect(new Set(truth.patterns.map((p) => p.kind))).toEqual(new Set(['mistake', 'preference', 'workflow']));
    const oneAgent = truth.patterns.filter((p) => p.oneAgent);
    expect(oneAgent).toHaveLength(1);
    expect(oneAgent[0]!.agents).toEqual([oneAgent[0]!.oneAgent]);
    expect(truth.patterns.filter((p) => p.kind === 'mistake' && p.projects.length > 1).length).toBeGreaterThanOrEqual(3);
  });

  it('uses at least five phrasings for every preference, each seen in the stored user messages', () => {
    const users = new Map([...events].map(([id, evs]) => [id, evs.filter((e) => e.kind === 'user').map((e) => e.text)]));
    for (const p of truth.patterns.filter((x) => x.kind === 'preference')) {
      expect(p.phrasingsUsed!.length, p.id).toBeGreaterThanOrEqual(5);
      const list = PREFERENCE_PHRASINGS[p.id.replace('preference-', '') as keyof typeof PREFERENCE_PHRASINGS].map((x) => x.text);
      for (const t of p.phrasingsUsed!) {
        expect(list).toContain(t);
        expect(p.sessions.some((s) => users.get(s)!.some((u) => phrasingPattern(t).test(u))), `${p.id}: ${t}`).toBe(true);
      }
    }
  });

  it('opens every session with a task request', () => {
    const opener = new RegExp(truth.taskOpener, 'i');
    for (const [id, evs] of events) {
      const first = evs.find((e) => e.kind === 'user' && !e.injected);
      expect(first && opener.test(first.text), id).toBe(true);
    }
  });

  /** The sessions whose stored events show the pattern: the truth's set must be exactly these. */
  function sessionsShowing(p: PlantedPattern): string[] {
    const out: string[] = [];
    for (const [id, evs] of events) {
      let shows: boolean;
      if (p.kind === 'mistake') {
        shows = evs.some((e) => e.kind === 'tool_result' && e.isError === true && p.failingLines!.some((l) => e.text.includes(l)));
      } else if (p.kind === 'workflow') {
        const calls = evs.filter((e) => e.kind === 'tool_call').map((e) => `${e.text}\n${e.tool?.input ?? ''}`).join('\n');
        shows = p.markers.every((g) => calls.includes(g[0]!));
      } else {
        const templates = p.phrasingsUsed!.map(phrasingPattern);
        shows = evs.some((e) => e.kind === 'user' && templates.some((t) => t.test(e.text)));
      }
      if (shows) out.push(id);
    }
    return out.sort();
  }

  it('records, per pattern, exactly the sessions where it shows in the store', () => {
    for (const p of truth.patterns) {
      expect(sessionsShowing(p), p.id).toEqual([...p.sessions].sort());
      const agents = new Set(p.sessions.map((s) => truth.sessionAgents[s]));
      expect([...agents].sort(), p.id).toEqual(p.agents);
    }
  });

  it('keeps the traps in the data: package banners before the failing line, and per-call words in the failing calls', () => {
    const prisma = truth.patterns.find((p) => p.id === 'mistake-prisma-generate')!;
    const first = events.get(prisma.sessions[0]!)!.find((e) => e.kind === 'tool_result' && e.isError && e.text.includes(prisma.failingLines![0]!))!;
    const bannerAt = first.text.search(/^> \S+@\d+\.\d+\.\d+ test$/m);
    expect(bannerAt).toBeGreaterThanOrEqual(0);
    expect(bannerAt).toBeLessThan(first.text.indexOf(prisma.failingLines![0]!));
    expect(prisma.forbidden.some((f) => /^> \S+@\d/.test(f))).toBe(true);
    for (const p of truth.patterns.filter((x) => x.kind === 'mistake')) expect(p.forbidden.length, p.id).toBeGreaterThan(0);
  });

  it('has "never commit" / "don\'t touch" said right after the user refused that action (rejected in Claude Code, aborted in Codex)', () => {
    const refusedBefore = (tool: string): number => truth.patterns.filter((p) => p.id === 'preference-no-commit' || p.id === 'preference-only-requested-files')
      .flatMap((p) => p.sessions.map((s) => [p, s] as const))
      .filter(([, s]) => truth.sessionAgents[s]!.startsWith(`${tool}:`))
      .filter(([p, s]) => {
        const evs = events.get(s)!;
        const k = evs.findIndex((e) => e.rejected === true || e.interrupt === true);
        const said = p.phrasingsUsed!.map(phrasingPattern);
        return k >= 0 && evs.slice(k + 1).some((e) => e.kind === 'user' && said.some((t) => t.test(e.text)));
      }).length;
    expect(refusedBefore('claude-code')).toBeGreaterThan(0);
    expect(refusedBefore('codex')).toBeGreaterThan(0);
  });
});

// ── The scorer ───────────────────────────────────────────────────────────────────────────────
describe('scoreQuality', () => {
  let truth: QualityTruth;
  beforeAll(async () => {
    truth = await writeQualityCorpus2(corpusDir(), { seed: 3, sessions: SESSIONS });
  });

  const evidence = (p: PlantedPattern, from = 0) => p.sessions.slice(from, from + 4).map((s, i) => ({ sessionId: s, eventId: `e${i}`, agent: truth.sessionAgents[s]!, excerpt: p.summary }));
  const kindOf = (p: PlantedPattern): Lesson['kind'] => p.kind;
  function perfect(): Lesson[] {
    return truth.patterns.map((p) => lesson(`l-${p.id}`, `${p.summary} (${p.markers.map((g) => g[0]).join('; ')})`, {
      kind: kindOf(p), title: p.summary, agents: p.oneAgent ? [p.oneAgent] : ['all'], evidence: evidence(p),
    }));
  }
  const pattern = (id: string): PlantedPattern => truth.patterns.find((p) => p.id === id)!;

  it('scores a hand-built perfect lesson set 1.0 with no failure', () => {
    const score = scoreQuality(truth, perfect());
    expect(score.unmatched.map((u) => [u.title, u.notes])).toEqual([]);
    expect(score).toMatchObject({ recall: 1, precision: 1, duplicates: 0, evidenceAccuracy: 1 });
    expect(score.failures).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: { droppedSteps: 0, notFound: 0 }, 8: 0 });
  });

  it('puts a bad lesson set in the right failure classes', () => {
    const prisma = pattern('mistake-prisma-generate');
    const push = pattern('mistake-push-upstream');
    const banner = prisma.forbidden.find((f) => f.startsWith('> '))!;
    const branch = push.forbidden[0]!;
    const noise = Object.keys(truth.sessionAgents).filter((s) => !truth.patterns.some((p) => p.sessions.includes(s))).slice(0, 4);
    const lessons = perfect()
      .filter((l) => l.id !== 'l-workflow-api-route')
      .map((l) => (l.id === 'l-mistake-go-mod-tidy' ? { ...l, status: 'candidate' as const } : l))
      .map((l) => (l.id === 'l-workflow-release' ? { ...l, title: 'Release: bump the version and push the tags', text: 'npm version, then git push --follow-tags.' } : l))
      .map((l) => (l.id === 'l-mistake-push-upstream' ? { ...l, text: `git push -u origin ${branch}` } : l));
    lessons.push(
      lesson('dup-diff', 'Show me the diff after every step.', { kind: 'preference', evidence: evidence(pattern('preference-show-diff'), 4) }),
      lesson('placeholder', '<path> fails: run prisma generate', { kind: 'mistake', title: '<path> fails: Error: @prisma/client did not initialize yet', evidence: evidence(prisma, 4) }),
      lesson('banner', `npm test fails with "${banner}": run prisma generate first.`, { kind: 'mistake', evidence: evidence(prisma, 8) }),
      lesson('task', 'I need you to add pagination to the orders list.', { kind: 'preference', evidence: noise.map((s, i) => ({ sessionId: s, eventId: `u${i}`, agent: truth.sessionAgents[s]!, excerpt: 'I need you to add pagination to the orders list.' })) }),
      lesson('task-body', 'Add pagination to the orders list.', { kind: 'practice', evidence: noise.map((s, i) => ({ sessionId: s, eventId: `u${i}`, agent: truth.sessionAgents[s]!, excerpt: 'Can you add pagination to the orders list?' })) }),
    );
    const score = scoreQuality(truth, lessons);
    expect(score.failures[1]).toBe(1);
    expect(score.failures[2]).toBe(2);
    expect(score.failures[3]).toBe(2);
    expect(score.failures[4]).toBeGreaterThanOrEqual(1);
    expect(score.failures[5]).toBe(1);
    expect(score.failures[6]).toBeGreaterThanOrEqual(1);
    expect(score.failures[7]).toEqual({ droppedSteps: 1, notFound: 1 });
    expect(score.failures[8]).toBe(1);
    expect(score.duplicates).toBe(3);
    expect(score.recall).toBeLessThan(1);
    expect(score.recallWithCandidates).toBeGreaterThan(score.recall);
    expect(score.precision).toBeLessThan(1);
    expect(score.missed.map((m) => m.id).sort()).toEqual(['mistake-go-mod-tidy', 'mistake-push-upstream', 'workflow-api-route', 'workflow-release']);
    expect(score.unmatched.map((u) => u.id).sort()).toEqual(['banner', 'l-mistake-push-upstream', 'l-workflow-release', 'placeholder', 'task', 'task-body']);
  });

  it('counts evidence pointing outside the planted sessions against evidence accuracy', () => {
    const noise = Object.keys(truth.sessionAgents).filter((s) => !truth.patterns.some((p) => p.sessions.includes(s)));
    const lessons = perfect().map((l, k) => (k === 0 ? { ...l, evidence: [...l.evidence, ...noise.slice(0, 2).map((s) => ({ sessionId: s, eventId: 'x', agent: 'a', excerpt: 'x' }))] } : l));
    const total = lessons.reduce((s, l) => s + l.evidence.length, 0);
    expect(scoreQuality(truth, lessons).evidenceAccuracy).toBeCloseTo((total - 2) / total, 6);
  });
});
