// A dream's worker clusters about half of the error groups in a helper thread (dreaming/cluster-helper.ts).
// The groups must be the ones one thread finds, and a helper that never answers only costs time.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../shared/model';
import { ClusterHelper, clusterHere } from '../../electron/core/dreaming/cluster-helper';
import { minePatterns } from '../../electron/core/dreaming/mine';
import { indexOfSignals } from '../../electron/core/dreaming/observations';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { PROJECT_ROOT } from '../helpers/env';
import { prng } from '../helpers/prng';

const WORDS = ['cannot', 'find', 'module', 'timeout', 'permission', 'denied', 'schema', 'parser', 'vitest', 'config', 'lockfile', 'missing', 'export', 'token', 'refused', 'socket'];

/** Error keys of four tools, worded from a small vocabulary so that many are near one another, over 600 sessions. */
function index() {
  const rnd = prng(15);
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)]!;
  const signals: Signal[] = [];
  for (let s = 0; s < 600; s++) {
    for (const tool of ['Bash', 'Read', 'Edit', 'Grep']) {
      const text = `${pick()} ${pick()} ${pick()} ${pick()} ${pick()} in src/${pick()}.ts`;
      signals.push({ id: `s${s}-${tool}`, sessionId: `s${s}`, agentId: `agent-${s % 3}`, kind: 'tool_error', key: `${tool.toLowerCase()}|${text}`, text, eventIds: [`s${s}-e-${tool}`], excerpt: text, timestamp: null, tool });
    }
  }
  return indexOfSignals(signals);
}

const named = (patterns: ReturnType<typeof minePatterns>) => patterns.map((p) => [p.key, p.keys, [...p.sessions.keys()]]);
const helpers: ClusterHelper[] = [];
afterEach(() => { while (helpers.length) helpers.pop()!.close(); });
const helperOf = (file: string, graceMs?: number) => {
  const h = new ClusterHelper({ file, execArgv: [] }, graceMs);
  helpers.push(h);
  return h;
};

describe('clustering error groups on two threads', () => {
  it('finds the groups one thread finds', () => {
    const ix = index();
    const alone = minePatterns(ix, 2, clusterHere);
    expect(alone.filter((p) => p.keys.length > 1).length).toBeGreaterThan(5);
    const launcher = sourceWorkerLauncher();
    // Started through tsx here (seconds on a slow machine): waited for as long as it takes.
    const helper = helperOf(String(launcher.file), 60_000);
    expect(named(minePatterns(ix, 2, helper.clusterAll))).toEqual(named(alone));
    expect(helper.clusteredThere).toBe(2); // four groups: two there, two here
    // Used again (an index folded further in the same thread): the same again.
    expect(named(minePatterns(ix, 2, helper.clusterAll))).toEqual(named(alone));
  });

  it('a helper that never answers is given up on: its groups are clustered here, nothing is missing', () => {
    const ix = index();
    const alone = named(minePatterns(ix, 2, clusterHere));
    const silent = helperOf(path.join(PROJECT_ROOT, 'test', 'helpers', 'cluster-helper-silent.mjs'), 300);
    const started = Date.now();
    expect(named(minePatterns(ix, 2, silent.clusterAll))).toEqual(alone);
    expect(silent.clusteredThere).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Broken from then on: no more waiting.
    const again = Date.now();
    expect(named(minePatterns(ix, 2, silent.clusterAll))).toEqual(alone);
    expect(Date.now() - again).toBeLessThan(2_000);
  });
});
