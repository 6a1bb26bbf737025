// How the fix that followed a failed shell command relates to it. The wording of a mistake depends
// on it: a fix that *replaces* the command ("use `python -m pytest` instead of `pytest`") reads
// differently from one that *prepares* it ("run `pnpm run gen:schema` before `npx tsc`") or one
// that adds a flag. A next step that has nothing to do with the failure is not a fix at all.
import { clip } from '../importers/text';
import { SHELL, unwrapShell } from './signals';

export type FixKind = 'replace' | 'prerequisite' | 'add-flags' | 'drop-flags' | 'none';

/** A command as written in one session and in its general form (what varies per session dropped). */
export interface Cmd { raw: string; general: string }

export interface FixShape {
  kind: FixKind;
  /** the failed command */
  call: Cmd;
  /** replace: the command to use instead; prerequisite: what to run first */
  fix?: Cmd;
  /** add-flags / drop-flags: the flags, as typed, without values that vary (paths, quoted text) */
  flags?: string;
}

/** Shell words, keeping quoted strings whole (`git commit -m "a b"` is four words, not five). */
const wordsOf = (part: string) => part.match(/"[^"]*"|'[^']*'|`[^`]*`|\S+/g) ?? [];
const base = (w: string) => w.replace(/^.*[\\/]/, '');

/** The command parts that do the work: `cd x && FOO=1 npm test | tee log` → [`npm test`]. */
export function commandParts(command: string): string[] {
  return unwrapShell(command)
    .split(/&&|;|\|\|/)
    .map((p) => p.split(/\s\|\s|\s\|$/)[0].replace(/\s+/g, ' ').trim())
    .filter((p) => p && !/^(cd|pushd|popd|export|source|set|unset)\b/.test(p))
    .map((p) => wordsOf(p).filter((w, i, all) => !(/^\w+=/.test(w) && all.slice(0, i).every((x) => /^\w+=/.test(x)))).join(' '))
    .filter(Boolean);
}

/** Arguments that differ between sessions: paths, files, quoted text, numbers, substitutions. */
const VOLATILE = /^["'`$<(]|[\\/]|^\d|^\.|\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|rb|java|json|md|toml|yml|yaml|lock|txt|sh|css|html)$/;

/**
 * A command with what varies per session left out, flags kept: `npx vitest run src/a.test.ts` →
 * `npx vitest run`, `git commit -m "fix #3"` → `git commit`, `npx tsc --noEmit` stays.
 */
export function generalCommand(part: string): string {
  return clip(generalWords(wordsOf(part), true).join(' '), 80);
}

function generalWords(words: string[], command: boolean): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (/^(\d?>|<|\|)/.test(w)) break;
    // `make test FILTER=x`: a variable set for one run is one of its arguments.
    if (out.length && /^[A-Za-z_]\w*=/.test(w)) continue;
    if ((out.length || !command) && VOLATILE.test(w)) {
      // The flag whose value this was (`-m "msg"`, `-c file.yml`, `--port 3012`) says nothing without it.
      // (A long flag only in a command: among added flags, `--run src/a.test.ts` keeps `--run`.)
      if (/^-\w$/.test(out[out.length - 1] ?? '') || (command && /^--[a-z][\w-]*$/.test(out[out.length - 1] ?? ''))) out.pop();
      continue;
    }
    out.push(out.length || !command ? w : base(w));
  }
  // `npm run dev --` with nothing after the separator: the separator goes too.
  while (out.length > 1 && out[out.length - 1] === '--') out.pop();
  return out;
}

const SUBCOMMANDS = /^(git|cargo|go|docker|kubectl|gh|terraform|helm|dotnet|mix|make|just|rake|gradle|mvn|deno|rustup|brew|apt|apt-get|pip|pip3|gem|composer)$/;

/**
 * The program a command runs, which is what a replacement keeps: `pytest` for `pytest tests/`
 * and `python -m pytest`, `tsc` for `npx tsc` and `pnpm exec tsc`, `install` for `npm install`, `git push` for `git push -f`.
 */
export function programOf(part: string): string {
  const w = wordsOf(part).filter((x) => !x.startsWith('-') || x === '-m');
  const head = base(w[0] ?? '').toLowerCase();
  if (/^(npx|bunx|pnpx)$/.test(head)) return base(w[1] ?? head);
  if (/^(pnpm|yarn|bun|uv|poetry|pipenv|pdm|rye|bundle)$/.test(head) && /^(exec|run|dlx|x)$/.test(w[1] ?? '') && w[2]) return base(w[2]);
  if (/^python[\d.]*$/.test(head) && w[1] === '-m' && w[2]) return w[2];
  // `python manage.py migrate` is not `python manage.py runserver`: a script's verb is part of it.
  if (/^python[\d.]*$/.test(head) && w[1]) return /\.py$/.test(w[1]) && /^[a-z][\w-]*$/.test(w[2] ?? '') ? `${base(w[1])} ${w[2]}` : base(w[1]);
  if (/^(npm|pnpm|yarn|bun)$/.test(head) && w[1]) return w[1] === 'run' && w[2] ? w[2] : w[1];
  // `git pull` is not `git push`: for these the sub-command is the program.
  if (SUBCOMMANDS.test(head) && w[1] && /^[a-z][\w-]*$/.test(w[1])) return `${head} ${w[1]}`;
  return head;
}

/** What one does after a failure without it fixing anything: looking at the repository, tidying. */
const HOUSEKEEPING = /^(git|hg|svn|echo|printf|sleep|clear|true|date|whoami|env|history|open|code|touch|mkdir|rm|mv|cp|chmod)$/;

/** Whether `sub` occurs in `all` in order (not necessarily contiguous). */
function subsequence(sub: string[], all: string[]): boolean {
  let i = 0;
  for (const w of all) if (i < sub.length && w === sub[i]) i++;
  return i === sub.length;
}

const minus = (all: string[], sub: string[]) => {
  const out: string[] = [];
  let i = 0;
  for (const w of all) {
    if (i < sub.length && w === sub[i]) i++;
    else out.push(w);
  }
  return out;
};

/** A part that would not read as one line to copy: a heredoc, a substitution, unbalanced quotes. */
const messy = (part: string) => /<<|\$\(|`/.test(part) || (part.match(/"/g) ?? []).length % 2 === 1 || (part.match(/'/g) ?? []).length % 2 === 1 || part.length > 80;
const cmd = (parts: string[]): Cmd => ({
  raw: parts.map((p) => (messy(p) ? generalCommand(p) : p)).join(' && '),
  general: parts.map(generalCommand).join(' && '),
});

/** Strips the tool name a call's display text starts with (`Bash npm test` → `npm test`). */
export function shellCommandOf(display: string, tool: string): string {
  const line = display.split('\n')[0].trim();
  const name = /^(\S+)\s/.exec(line)?.[1];
  return name && (name === tool || SHELL.test(name)) ? line.slice(name.length).trim() : line;
}

/**
 * A replacement said minimally: the words the failed and the succeeding command share at their
 * end go (`python3 scripts/a.py --since x` for `python scripts/a.py --since x` is "python3 for
 * python"), so the lesson names what changed, not what that one call happened to carry.
 */
function replacement(c: Cmd, main: string, fixParts: string[]): FixShape {
  if (fixParts.length !== 1) return { kind: 'replace', call: c, fix: cmd(fixParts) };
  const a = wordsOf(main);
  const b = wordsOf(fixParts[0]);
  let tail = 0;
  while (tail < a.length - 1 && tail < b.length - 1 && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  if (!tail) return { kind: 'replace', call: c, fix: cmd(fixParts) };
  const callHead = a.slice(0, a.length - tail).join(' ');
  const fixHead = b.slice(0, b.length - tail).join(' ');
  return { kind: 'replace', call: { raw: callHead, general: generalCommand(callHead) }, fix: { raw: fixHead, general: generalCommand(fixHead) } };
}

/**
 * How the fix relates to the failed command, both as typed (tool name already stripped):
 * - the fix runs the failed command after something else → prerequisite (the something else);
 * - the same command with flags added or dropped → add-flags / drop-flags;
 * - another command running the same program (`python -m pytest` for `pytest`) → replace;
 * - the same command again, tidying up or looking around → none (it was not the fix);
 * - anything else → prerequisite: it is what changed before the work went through.
 */
export function fixShape(call: string, fix: string | undefined): FixShape {
  const callParts = commandParts(call);
  const c = cmd(callParts.length ? callParts : [call.trim()]);
  const none: FixShape = { kind: 'none', call: c };
  if (!fix || !callParts.length) return none;
  const fixParts = commandParts(fix);
  if (!fixParts.length || fixParts.join(' && ') === callParts.join(' && ')) return none;
  const main = callParts[callParts.length - 1];
  const program = programOf(main);
  const at = fixParts.findIndex((p) => programOf(p) === program);
  if (at > 0) return { kind: 'prerequisite', call: c, fix: cmd(fixParts.slice(0, at)) };
  if (at === 0) {
    const a = wordsOf(main);
    const b = wordsOf(fixParts[0]);
    if (b.length > a.length && subsequence(a, b)) {
      const extra = minus(b, a);
      const flags = generalWords(extra, false);
      if (extra[0].startsWith('-') && flags.length) return { kind: 'add-flags', call: c, flags: flags.join(' ') };
    }
    if (a.length > b.length && subsequence(b, a)) {
      const dropped = minus(a, b);
      const flags = generalWords(dropped, false);
      if (dropped[0].startsWith('-') && flags.length) return { kind: 'drop-flags', call: c, flags: flags.join(' ') };
    }
    // The same command on another file (`pytest tests/a.py` after `pytest tests/`) teaches nothing.
    if (fixParts[0] === main || generalCommand(fixParts[0]) === generalCommand(main)) return none;
    return replacement(c, main, fixParts);
  }
  // Another runner for the same task (`just test x` for `make test FILTER=x`).
  const verb = (p: string) => wordsOf(p).filter((w) => !w.startsWith('-'))[1];
  if (fixParts.length === 1 && SUBCOMMANDS.test(base(wordsOf(main)[0] ?? '')) && verb(main) && verb(main) === verb(fixParts[0]) && SUBCOMMANDS.test(base(wordsOf(fixParts[0])[0] ?? ''))) return replacement(c, main, fixParts);
  // The failed program run another way (`python -m pytest tests/` for `pytest tests/`).
  if (fixParts.some((p) => ` ${wordsOf(p).map(base).join(' ')} `.includes(` ${program} `))) return replacement(c, main, fixParts);
  if (fixParts.every((p) => HOUSEKEEPING.test(base(wordsOf(p)[0] ?? '')) && base(wordsOf(p)[0] ?? '') !== base(wordsOf(main)[0] ?? ''))) return none;
  return { kind: 'prerequisite', call: c, fix: cmd(fixParts) };
}
