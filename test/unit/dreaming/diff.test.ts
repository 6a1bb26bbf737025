import { describe, expect, it } from 'vitest';
import type { Change, Lesson } from '../../../shared/model';
import { renderChange, wordDiff } from '../../../electron/cli/commands/dreams';

const lesson = (over: Partial<Lesson> = {}): Lesson => ({
  id: 'l-1', kind: 'mistake', title: 'npm test hangs', text: 'Run `npm test`.', agents: ['all'],
  support: { sessions: 3, agents: 2, occurrences: 3, firstSeen: null, lastSeen: null }, confidence: 0.61, evidence: [],
  origin: 'learned', status: 'active', pinned: false, patternKey: 'k', userEdited: false, createdAt: '', updatedAt: '', activatedAt: null, ...over,
});

describe('dream diff', () => {
  it('diffs sharpened wording word by word', () => {
    expect(wordDiff('Run `npm test` before committing.', 'Run `npm test -- --run` before committing.')).toBe('Run `npm test {+-- --run+}` before committing.');
    expect(wordDiff('Use npm.', 'Use pnpm.')).toBe('Use [-npm-]{+pnpm+}.');
  });
  it('shows what a change did to each field, and a merge\'s absorbed lessons', () => {
    const before = lesson();
    const after = lesson({ text: 'Run `npm test -- --run`: plain `npm test` starts watch mode.', support: { ...before.support, sessions: 5 }, confidence: 0.8 });
    const c: Change = { id: 'c2', op: 'sharpen', lessonId: 'l-1', before, after, related: [{ lessonId: 'l-2', before: lesson({ id: 'l-2', title: 'dupe' }), after: lesson({ id: 'l-2', title: 'dupe', status: 'retired' }) }], reason: 'Reworded.', decision: 'applied' };
    const out = renderChange(c);
    expect(out).toMatch(/c2 +sharpen +\[mistake\] npm test hangs/);
    expect(out).toContain('text:  Run `npm test {+-- --run+}`{+: plain `npm test` starts watch mode+}.');
    expect(out).toMatch(/support: 3 sessions.* → 5 sessions/);
    expect(out).toMatch(/also: "dupe" active → retired/);
  });
});
