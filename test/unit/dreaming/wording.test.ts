// How a recurring tool error is worded as a lesson: the error quoted as it was written (never the
// normalized signature), and the fix phrased by how it relates to the failed command.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/model';
import { fixShape, generalCommand } from '../../../electron/core/dreaming/fix-shape';
import { minePatterns } from '../../../electron/core/dreaming/mine';
import { indexOfSignals } from '../../../electron/core/dreaming/observations';
import { extractSignals } from '../../../electron/core/dreaming/signals';
import { errorHeadline, wordingOf } from '../../../electron/core/dreaming/wording';

/** One shell call: what it ran and, when it failed, its output. */
interface Call { command: string; error?: string; tool?: string }

function sessionEvents(s: number, calls: Call[]): SessionEvent[] {
  let seq = 0;
  const ev = (kind: SessionEvent['kind'], text: string, over: Partial<SessionEvent> = {}): SessionEvent => ({
    id: `s${s}e${++seq}`, seq, kind, text, timestamp: `2026-11-0${s + 1}T10:00:${String(seq).padStart(2, '0')}Z`, source: { file: 'f.jsonl', line: seq }, ...over,
  });
  const out = [ev('user', `Fix bug #${s}`)];
  calls.forEach((c, i) => {
    const tool = c.tool ?? 'Bash';
    const input = tool === 'Bash' ? { command: c.command } : { file_path: c.command };
    out.push(ev('tool_call', `${tool} ${c.command}`, { tool: { name: tool, callId: `c${i}`, input: JSON.stringify(input) } }));
    out.push(ev('tool_result', c.error ? `Exit code 1\n${c.error}` : 'ok', { tool: { name: tool, callId: `c${i}` }, ...(c.error ? { isError: true } : {}) }));
  });
  return out;
}

/** The wording of the one recurring error in these sessions (each session: its calls). */
function lessonOf(sessions: Call[][]) {
  const signals = sessions.flatMap((calls, s) => extractSignals({ id: `session-${s}`, agentId: 'claude-code:/p', events: sessionEvents(s, calls) }));
  const errors = minePatterns(indexOfSignals(signals), 2).filter((p) => p.family === 'error');
  expect(errors).toHaveLength(1);
  return wordingOf(errors[0]);
}
const times = (n: number, f: (i: number) => Call[]) => Array.from({ length: n }, (_, i) => f(i));

const PYTEST_ERR = "ImportError while importing test module\nModuleNotFoundError: No module named 'shop'";
const TSC_ERR = "src/db.ts(3,20): error TS2307: Cannot find module './schema' or its corresponding type declarations.";

describe('wording a recurring tool error by the shape of its fix', () => {
  it('replacement: the fix runs the failed program another way', () => {
    const w = lessonOf(times(3, () => [{ command: 'pytest tests/', error: PYTEST_ERR }, { command: 'python -m pytest tests/' }]));
    // Only what changed: the argument both calls carried is not part of the fix.
    expect(w.text).toBe("Use `python -m pytest` instead of `pytest`: plain `pytest` fails with \"ModuleNotFoundError: No module named 'shop'\".");
    expect(w.title).toBe('Use `python -m pytest` instead of `pytest`');
  });

  it('prerequisite: the fix runs something first, then the failed command', () => {
    const w = lessonOf(times(3, () => [{ command: 'npx tsc --noEmit', error: TSC_ERR }, { command: 'pnpm run gen:schema && npx tsc --noEmit' }]));
    expect(w.text).toBe("Run `pnpm run gen:schema` before `npx tsc --noEmit`: otherwise it fails with \"error TS2307: Cannot find module './schema' or its corresponding type declarations.\"");
    expect(w.title).toBe('Run `pnpm run gen:schema` before `npx tsc --noEmit`');
  });

  it('prerequisite as a call of its own; a command whose arguments vary reads in its general form', () => {
    const w = lessonOf(times(3, (i) => [
      { command: `npx vitest run src/parser-${i}.test.ts`, error: `Error: Cannot find module '/home/dev/src/gen/schema-${i}.ts' imported from /home/dev/src/parser-${i}.ts:1${i}` },
      { command: 'npm run codegen' },
    ]));
    // The quote keeps what every session shares; the path that differed each time reads "…".
    expect(w.text).toBe('Run `npm run codegen` before `npx vitest run`: otherwise it fails with "Error: Cannot find module \'…\' imported from …".');
  });

  it('flag added: names the flag', () => {
    const w = lessonOf(times(3, () => [{ command: 'npm test', error: 'Error: watch mode is not supported in CI' }, { command: 'npm test -- --run' }]));
    expect(w.text).toBe('Add `-- --run` to `npm test`: without it, it fails with "Error: watch mode is not supported in CI".');
  });

  it('flag added with a value that varies per session: names the flag alone', () => {
    const w = lessonOf(times(3, (i) => [{ command: 'npx vitest', error: 'Error: watch mode is not supported in CI' }, { command: `npx vitest --run src/a-${i}.test.ts` }]));
    expect(w.text).toBe('Add `--run` to `npx vitest`: without it, it fails with "Error: watch mode is not supported in CI".');
  });

  it('flag dropped: names the flag', () => {
    const w = lessonOf(times(3, () => [{ command: 'git push --force-with-lease', error: 'error: stale info' }, { command: 'git push' }]));
    expect(w.text).toBe('Drop `--force-with-lease` from `git push --force-with-lease`: with it, it fails with "error: stale info".');
  });

  it('unrelated next step: tidying up, or a step that differs every session, is not the fix', () => {
    const housekeeping = lessonOf(times(3, () => [{ command: 'npm test', error: 'Error: Database connection refused' }, { command: 'git status' }]));
    expect(housekeeping.text).toBe('`npm test` fails with "Error: Database connection refused" again and again: check why before running it, and don\'t retry it unchanged.');
    const differs = lessonOf(times(3, (i) => [{ command: 'npm test', error: 'Error: Database connection refused' }, { command: ['npm run lint', 'make docs', 'cargo fmt'][i] }]));
    expect(differs.text).toBe(housekeeping.text);
    const anEdit = lessonOf(times(3, () => [{ command: 'npm test', error: 'Error: Database connection refused' }, { command: 'src/db.ts', tool: 'Edit' }]));
    expect(anEdit.text).toBe(housekeeping.text);
  });

  it('no fix found: the failure recurs with nothing succeeding after it', () => {
    const w = lessonOf(times(3, () => [{ command: 'make deploy', error: 'make: *** [deploy] Error 2' }]));
    expect(w.text).toBe('`make deploy` fails with "make: *** [deploy] Error 2" again and again: check why before running it, and don\'t retry it unchanged.');
  });

  it('never shows placeholders of the normalized signature, and keeps error codes', () => {
    for (const w of [
      lessonOf(times(3, () => [{ command: 'npx tsc --noEmit', error: TSC_ERR }, { command: 'pnpm run gen:schema && npx tsc --noEmit' }])),
      lessonOf(times(3, (i) => [{ command: 'cargo build', error: `error[E0382]: borrow of moved value: \`v${i}\`\n --> src/main.rs:${i + 3}:5` }])),
    ]) {
      expect(`${w.title} ${w.text}`).not.toMatch(/<path>|<name>|<n>|TS…|'…'/);
      expect(w.text).toMatch(/TS2307|E0382/);
    }
  });
});

describe('fix shapes', () => {
  it.each([
    ['pytest tests/', 'python -m pytest tests/', 'replace'],
    ['npm install', 'pnpm install', 'replace'],
    ['npx tsc --noEmit', 'pnpm run gen:schema && npx tsc --noEmit', 'prerequisite'],
    ['git push', 'git pull --rebase', 'prerequisite'],
    ['cd app && npm test', 'cd app && npm test -- --run', 'add-flags'],
    ['npm test', 'git status', 'none'],
    ['npm test', 'npm test', 'none'],
    ['pytest tests/', 'pytest tests/test_cart.py', 'none'],
    ['npm test', undefined, 'none'],
  ])('%s, then %s → %s', (call, fix, kind) => expect(fixShape(call, fix).kind).toBe(kind));

  it('a command that would not read as one line (heredoc, substitution) is quoted in its general form', () => {
    expect(fixShape(`git add .gitignore && git commit -m "$(cat <<'EOF'`, undefined).call.raw).toBe('git add .gitignore && git commit');
  });

  it('general commands keep flags and drop what varies', () => {
    expect(generalCommand('npx vitest run src/a.test.ts')).toBe('npx vitest run');
    expect(generalCommand('git commit -m "fix #3"')).toBe('git commit');
    expect(generalCommand('npx tsc --noEmit')).toBe('npx tsc --noEmit');
  });

  it('headlines quote the telling line without its location', () => {
    expect(errorHeadline("ImportError while importing test module — ModuleNotFoundError: No module named 'shop' (exit code 1)")).toBe("ModuleNotFoundError: No module named 'shop'");
    expect(errorHeadline('On branch main — nothing to commit, working tree clean (exit code 1)')).toBe('On branch main — nothing to commit, working tree clean');
  });
});
