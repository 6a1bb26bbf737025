// Patterns kept with the observation index for the next dream (dreaming/pattern-memo.ts, pattern-walk.ts):
// a group nothing touched is read back, a group that only gained new sessions is extended by them. Either
// must give exactly what mining every session afresh gives: checked over dreams of new sessions, sessions
// folded again, new keys joining old groups, and forks.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../../shared/model';
import { lastMining, minePatterns, type Pattern } from '../../../electron/core/dreaming/mine';
import { INDEX_FILE, fold, indexOfSignals, type ObservationIndex } from '../../../electron/core/dreaming/observations';
import { loadIndex, writeIndexFile } from '../../../electron/core/dreaming/observations-file';
import { setMemoStamp } from '../../../electron/core/dreaming/pattern-memo';
import { wordingOf } from '../../../electron/core/dreaming/wording';
import { tempDir } from '../../helpers/env';
import { prng } from '../../helpers/prng';

const ERRORS = ['cannot find module', 'permission denied', 'connection refused', 'lockfile is out of date', 'port already in use', 'test timed out'];
const PLACES = ['src/app.ts', 'src/db.ts', 'lib/cache.ts', 'api/routes.ts'];
const WISHES = ['Use pnpm, not npm', 'Never commit to main directly', 'Indent with tabs', 'Run the tests before you commit'];

/** One session's signals: a few errors (near-identical wordings cluster) and wishes, from a seeded generator. */
function sessionSignals(rnd: () => number, sid: string, day: number): Signal[] {
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const agentId = `agent-${Math.floor(rnd() * 4)}`;
  const at = (h: number) => `2026-02-${String(1 + (day % 27)).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`;
  const out: Signal[] = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const text = `${pick(ERRORS)} in ${pick(PLACES)}${rnd() < 0.3 ? ` (${pick(['again', 'twice', 'now'])})` : ''}`;
    out.push({ id: `${sid}-e${i}`, sessionId: sid, agentId, kind: 'tool_error', key: `bash|${text}`, text, eventIds: [`${sid}-ev${i}`], excerpt: `$ make\n→ ${text}`, timestamp: at(i), tool: 'Bash', ...(rnd() < 0.4 ? { fix: `pnpm install ${pick(['--force', ''])}`.trim() } : {}) });
  }
  if (rnd() < 0.5) {
    const text = pick(WISHES);
    out.push({ id: `${sid}-w`, sessionId: sid, agentId, kind: rnd() < 0.5 ? 'preference' : 'correction', key: `${rnd() < 0.5 ? 'preference' : 'correction'}|${text.toLowerCase()}`, text, eventIds: [`${sid}-evw`], excerpt: text, timestamp: at(9) });
  }
  return out;
}

/** What a pattern says, every field (sets as sorted lists: their order is not part of it). */
const summary = (patterns: Pattern[]) =>
  patterns.map((p) => ({ key: p.key, keys: p.keys, family: p.family, kind: p.kind, sessions: [...p.sessions].sort(), agents: [...p.agents].sort(), agentSessions: [...p.agentSessions].sort(), occurrences: p.occurrences, firstSeen: p.firstSeen, lastSeen: p.lastSeen, newest: p.newest, sample: p.sample, hasFix: p.hasFix, calls: [...p.calls].sort() }));

afterEach(() => setMemoStamp(null));

describe('patterns kept for the next dream', () => {
  it('read back and extended, they are what mining every session afresh finds, dream after dream', () => {
    setMemoStamp('test-build');
    const rnd = prng(7);
    const dir = tempDir();
    const file = path.join(dir, INDEX_FILE);
    const sessions = new Map<string, Signal[]>();
    const forks: Record<string, string> = {};
    let next = 0;
    const add = (count: number) => Array.from({ length: count }, () => { const sid = `s${String(next++).padStart(4, '0')}`; sessions.set(sid, sessionSignals(rnd, sid, next)); return sid; });
    /** One dream: the index as read, the sessions folded, mined (worded, as a dream words them), written. */
    const dream = (index: ObservationIndex, fresh: string[]) => {
      for (const sid of fresh) fold(index, sid, sessions.get(sid)![0]!.agentId, null, sessions.get(sid)!, forks[sid]);
      const mined = minePatterns(index, 2);
      for (const p of mined) p.wording ??= wordingOf(p);
      writeIndexFile(file, index);
      return mined;
    };
    dream(indexOfSignals([...sessions.values()].flat()), add(120));
    let extendedAny = 0, recalledAny = 0;
    for (let round = 0; round < 8; round++) {
      const fresh = add(15);
      // Some rounds also fold again sessions that grew, or bring a fork of an older session (it repeats what its parent showed).
      if (round % 3 === 1) for (const sid of ['s0003', `s00${10 + round}`]) { sessions.set(sid, [...sessions.get(sid)!, ...sessionSignals(rnd, sid, round)]); fresh.push(sid); }
      if (round === 5) {
        const sid = `fork-${round}`;
        forks[sid] = 's0001';
        sessions.set(sid, sessions.get('s0001')!.map((s) => ({ ...s, id: `${sid}-${s.id}`, sessionId: sid })));
        fresh.push(sid);
      }
      const mined = dream(loadIndex(dir), fresh);
      const stats = lastMining();
      recalledAny += stats.recalled;
      extendedAny += stats.extended;
      const afresh = minePatterns(indexOfSignals([...sessions.values()].flat(), forks), 2);
      expect(summary(mined), `round ${round}`).toEqual(summary(afresh));
      // A wording read back is the one the pattern gets worded afresh.
      for (const [i, p] of mined.entries()) expect(p.wording, `round ${round}: ${p.key}`).toEqual(wordingOf(afresh[i]!));
    }
    expect(recalledAny).toBeGreaterThan(20);
    expect(extendedAny).toBeGreaterThan(5);
  });

  it('another build, or none, reads nothing back', () => {
    setMemoStamp('build-a');
    const rnd = prng(3);
    const dir = tempDir();
    const signals = Array.from({ length: 60 }, (_, i) => sessionSignals(rnd, `s${i}`, i)).flat();
    const index = indexOfSignals(signals);
    for (const p of minePatterns(index, 2)) p.wording = wordingOf(p);
    writeIndexFile(path.join(dir, INDEX_FILE), index);
    minePatterns(loadIndex(dir), 2);
    expect(lastMining().recalled).toBeGreaterThan(0);
    setMemoStamp('build-b');
    minePatterns(loadIndex(dir), 2);
    expect(lastMining().recalled).toBe(0);
    setMemoStamp(null);
    minePatterns(loadIndex(dir), 2);
    expect(lastMining().recalled).toBe(0);
  });
});
