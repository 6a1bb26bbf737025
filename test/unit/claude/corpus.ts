// A small corpus with recurring patterns for the Claude engine's tests: a real Claude Code session
// whose `git commit` keeps failing (replayed), plus sessions where the user corrects the agent with
// the same wish in different words (what the heuristics miss). Secrets are planted in both; the
// importer redacts them, and the fake server checks none ever reaches it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fixture, replayClaudeSession } from '../../helpers/env';

export const SECRETS = {
  anthropic: 'sk-ant-api03-PLANTEDsecretKEY0123456789abcdefXYZ',
  github: 'ghp_PLANTED0123456789abcdefghijklmnopqrstuv',
  password: 'PLANTEDhunter2pw',
  aws: 'AKIAPLANTED012345678',
};
export const SECRET_VALUES = Object.values(SECRETS);

/**
 * One wish ("use pnpm") in four wordings that share almost no words: each its own signal, too far
 * apart for the heuristic clustering, together a pattern only a reader of meaning finds.
 */
export const PNPM_CORRECTIONS = [
  `no, this repository is a pnpm workspace — leave package-lock alone (the CI token is ${SECRETS.github})`,
  'wrong tool again: the lockfile here belongs to pnpm',
  `don't do that; installs go through pnpm, as the readme says, and DB_PASSWORD=${SECRETS.password} stays out of the logs`,
  'stop — that created node_modules the classic way, we want pnpm',
];

function session(dir: string, project: string, day: number, turns: { user: string; assistant: string }[]): string {
  const sessionId = randomUUID();
  let parent: string | null = null;
  let t = Date.parse('2026-11-01T09:00:00Z') + day * 86_400_000;
  const lines: string[] = [];
  const push = (type: 'user' | 'assistant', content: unknown) => {
    const uuid = randomUUID();
    t += 30_000;
    const message = type === 'user' ? { role: 'user', content } : { role: 'assistant', model: 'claude-sonnet-5-5', content: [{ type: 'text', text: content }] };
    lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, userType: 'external', cwd: project, sessionId, type, message, uuid, timestamp: new Date(t).toISOString() }));
    parent = uuid;
  };
  for (const turn of turns) {
    push('user', turn.user);
    push('assistant', turn.assistant);
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sessionId}.jsonl`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Writes the corpus under `dir` and returns the folder to import. */
export function writeCorpus(dir: string, opts: { corrections?: string[] } = {}): string {
  const logs = path.join(dir, 'logs');
  replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(logs, 'replays'), 3);
  (opts.corrections ?? PNPM_CORRECTIONS).forEach((c, i) => {
    session(path.join(logs, 'corrections'), '/home/dev/src/shop', i, [
      { user: `Set up the project and run the tests. My key is ${SECRETS.anthropic}, AWS ${SECRETS.aws}.`, assistant: 'I will run npm install and then npm test.' },
      { user: c, assistant: 'Understood, switching to pnpm.' },
    ]);
  });
  return logs;
}

/** Corrections typed word for word in several sessions: the heuristic engine makes lessons of these. */
export const RECURRING = [
  'no, run the tests with vitest run, not in watch mode',
  "don't commit before running the linter",
  'never edit the generated files under dist',
  'no, put new components in src/components, not src/ui',
  'stop adding default exports; use named exports',
];

/** One-off or rare wishes: noise around the patterns, as in a real store. */
export const ONE_OFFS = Array.from({ length: 24 }, (_, i) => `no, name the helper ${['parse', 'format', 'load', 'save', 'render', 'check'][i % 6]}Thing${i} instead`);

/** A larger store for the token figures: the corpus above plus recurring and one-off corrections. */
export function writeBenchCorpus(dir: string): string {
  const logs = writeCorpus(dir);
  let day = 10;
  for (const [i, c] of RECURRING.entries()) {
    for (let k = 0; k < 3 + (i % 2); k++) {
      session(path.join(logs, 'recurring'), k % 2 ? '/home/dev/src/api' : '/home/dev/src/shop', day++, [
        { user: 'Please add the feature from the ticket.', assistant: 'Working on it now.' },
        { user: c, assistant: 'Sorry, fixed.' },
      ]);
    }
  }
  for (const c of ONE_OFFS) session(path.join(logs, 'one-offs'), '/home/dev/src/shop', day++, [
    { user: 'Refactor the module.', assistant: 'Refactoring.' },
    { user: c, assistant: 'Renamed.' },
  ]);
  return logs;
}
