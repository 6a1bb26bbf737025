// Properties of the heuristic engine over random corpora built from a fixed vocabulary of
// recurring mistakes, paraphrased wishes (some reversing others) and workflows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dream, Lesson, Signal } from '../../../shared/model';
import { applyChanges } from '../../../electron/core/dreaming/changes';
import { dreamFromIndex } from '../../../electron/core/dreaming/heuristic';
import { fold, indexOfSignals, emptyIndex, type ObservationIndex } from '../../../electron/core/dreaming/observations';
import { undoDream } from '../../../electron/core/dreaming/review';
import { extractSignals } from '../../../electron/core/dreaming/signals';
import { clusterTexts, cosine, idfOf, vectorOf } from '../../../electron/core/dreaming/similarity';
import type { SessionEvent } from '../../../shared/model';
import { input } from './helpers';

/** Things that can happen in a session: each becomes real events, then real signals. */
const VOCAB: ((n: number) => { user?: string; cmd?: [string, string, boolean] })[] = [
  (n) => ({ cmd: [`git commit -m "wip ${n}"`, `On branch main\nnothing to commit, working tree clean`, true] }),
  (n) => ({ cmd: [`npx vitest run src/a${n}.test.ts`, `Error: Cannot find module '/src/gen/s${n}.ts'`, true] }),
  () => ({ cmd: ['npm run codegen', 'ok', false] }),
  () => ({ user: 'no, use pnpm instead of npm' }),
  () => ({ user: 'we use pnpm in this repo, not npm' }),
  () => ({ user: "don't use npm here, use pnpm" }),
  () => ({ user: 'always use tabs for indentation' }),
  () => ({ user: "don't use tabs for indentation" }),
  () => ({ user: 'never add comments to generated code' }),
  () => ({ cmd: ['pnpm lint', 'ok', false] }),
  () => ({ cmd: ['pnpm test', 'ok', false] }),
  () => ({ cmd: ['git push', 'ok', false] }),
];

function sessionSignals(id: number, agent: string, items: number[]): Signal[] {
  const events: SessionEvent[] = [];
  const t = (k: number) => new Date(Date.parse('2026-10-01T00:00:00Z') + id * 86_400_000 + k * 1000).toISOString();
  const push = (e: Omit<SessionEvent, 'seq' | 'timestamp' | 'source'>) => events.push({ ...e, seq: events.length, timestamp: t(events.length), source: { file: 'x', line: events.length } });
  push({ id: `${id}-start`, kind: 'user', text: 'do the work' });
  items.forEach((v, k) => {
    const item = VOCAB[v](id);
    if (item.user) push({ id: `${id}-u${k}`, kind: 'user', text: item.user });
    if (item.cmd) {
      push({ id: `${id}-c${k}`, kind: 'tool_call', text: `Bash ${item.cmd[0]}`, tool: { name: 'Bash', callId: `${id}-${k}`, input: JSON.stringify({ command: item.cmd[0] }) } });
      push({ id: `${id}-r${k}`, kind: 'tool_result', text: item.cmd[1], isError: item.cmd[2], tool: { name: 'Bash', callId: `${id}-${k}` } });
    }
  });
  return extractSignals({ id: `s${id}`, agentId: agent, events });
}

const corpus = fc.array(fc.record({ agent: fc.constantFrom('claude-code:/shop', 'codex:/api'), items: fc.array(fc.nat(VOCAB.length - 1), { maxLength: 6 }) }), { minLength: 1, maxLength: 14 });

/** What a person sees of a lesson, without ids and dates (which legitimately differ). */
const seen = (ls: Lesson[]) =>
  ls.filter((l) => l.status !== 'retired')
    .map((l) => ({ kind: l.kind, title: l.title, text: l.text, agents: l.agents, status: l.status, support: l.support, evidence: l.evidence.map((e) => e.eventId).sort() }))
    .sort((a, b) => a.text.localeCompare(b.text));

const settings = { maxLessonsPerAgent: 50 };

describe('dream properties', () => {
  it('dream then undo leaves the lessons exactly as they were', () => {
    fc.assert(
      fc.property(corpus, corpus, fc.boolean(), (first, second, pinOne) => {
        const sigs = (c: typeof first, off: number) => c.flatMap((s, i) => sessionSignals(i + off, s.agent, s.items));
        // Lessons from an earlier dream, maybe one pinned or edited by the user.
        let lessons = applyChanges([], dreamFromIndex(input({ settings }), indexOfSignals(sigs(first, 0))).changes);
        if (lessons[0]) lessons = [{ ...lessons[0], pinned: pinOne, userEdited: !pinOne, text: pinOne ? lessons[0].text : 'my words' }, ...lessons.slice(1)];
        const out = dreamFromIndex(input({ lessons, settings }), indexOfSignals([...sigs(first, 0), ...sigs(second, 100)]));
        const after = applyChanges(lessons, out.changes);
        if (!out.changes.length) return;
        const dream: Dream = { id: 'd', startedAt: '', finishedAt: '', engine: 'heuristic', full: false, status: 'applied', changes: out.changes, stats: { sessionsRead: 0, signalsRead: 0, patterns: 0, durationMs: 0 } };
        expect(undoDream(after, dream)).toEqual(lessons);
      }),
      { numRuns: 150 },
    );
  });

  it('clustering joins what single link over every pair joins, its shortcuts (fingerprints, weight bounds) dropping no pair', () => {
    // Documents of at most three distinct words: each one's rare words are all its shared words, so
    // every pair sharing a word is a candidate, and the candidates are every pair with a cosine above 0.
    const doc = fc.array(fc.constantFrom('red', 'green', 'blue', 'cyan', 'gold', 'gray', 'lime', 'navy', 'pink', 'teal'), { minLength: 1, maxLength: 3 })
      .chain((words) => fc.array(fc.constantFrom(...words), { minLength: words.length, maxLength: 6 }).map((more) => [...words, ...more]));
    fc.assert(
      fc.property(fc.array(doc, { minLength: 2, maxLength: 40 }), fc.double({ min: 0.3, max: 0.99, noNaN: true }), (docs, threshold) => {
        const idf = idfOf(docs);
        const vectors = docs.map((d) => vectorOf(d, idf));
        const parent = docs.map((_, i) => i);
        const find = (i: number): number => (parent[i] === i ? i : find(parent[i]!));
        for (let a = 0; a < docs.length; a++)
          for (let b = a + 1; b < docs.length; b++) if (cosine(vectors[a]!, vectors[b]!) >= threshold) parent[find(b)] = find(a);
        const groups = (label: (i: number) => number) => docs.map((_, i) => docs.map((__, j) => label(i) === label(j)).join(''));
        const got = clusterTexts(docs, threshold);
        expect(groups((i) => got[i]!)).toEqual(groups(find));
      }),
      { numRuns: 300 },
    );
  });

  it('the index depends only on the set of sessions folded, not their order or batches', () => {
    fc.assert(
      fc.property(corpus, fc.nat(), (c, seed) => {
        const per = c.map((s, i) => ({ id: `s${i}`, agent: s.agent, sigs: sessionSignals(i, s.agent, s.items) }));
        const shuffled = [...per].sort((a, b) => ((a.id.length * 7919 + seed) % 13) - ((b.id.length * 7919 + seed) % 13) || (seed % 2 ? a.id.localeCompare(b.id) : b.id.localeCompare(a.id)));
        const idx: ObservationIndex = emptyIndex();
        for (const s of shuffled) fold(idx, s.id, s.agent, null, s.sigs);
        for (const s of shuffled.slice(0, 2)) fold(idx, s.id, s.agent, null, s.sigs); // re-folding is idempotent
        const ref = emptyIndex();
        for (const s of per) fold(ref, s.id, s.agent, null, s.sigs);
        const canon = (i: ObservationIndex) => JSON.stringify([[...i.keys.keys()].sort().map((k) => [k, Object.keys(i.keys.get(k)!.per).sort().map((s) => [s, i.keys.get(k)!.per[s]])]), [...i.grams].sort()]);
        expect(canon(idx)).toBe(canon(ref));
      }),
      { numRuns: 100 },
    );
  });

  it('incremental dreams and one full dream end with the same lessons', () => {
    fc.assert(
      fc.property(corpus, fc.nat(14), (c, cut) => {
        const per = c.map((s, i) => ({ id: `s${i}`, agent: s.agent, sigs: sessionSignals(i, s.agent, s.items) }));
        // Incremental: dream over the first sessions, then fold in the rest and dream again.
        const idx = emptyIndex();
        for (const s of per.slice(0, cut)) fold(idx, s.id, s.agent, null, s.sigs);
        let lessons = applyChanges([], dreamFromIndex(input({ settings }), idx).changes);
        for (const s of per.slice(cut)) fold(idx, s.id, s.agent, null, s.sigs);
        lessons = applyChanges(lessons, dreamFromIndex(input({ lessons, settings }), idx).changes);
        // Full: one dream over everything.
        const full = applyChanges([], dreamFromIndex(input({ settings }), indexOfSignals(per.flatMap((s) => s.sigs))).changes);
        expect(seen(lessons)).toEqual(seen(full));
      }),
      { numRuns: 150 },
    );
  });
});
