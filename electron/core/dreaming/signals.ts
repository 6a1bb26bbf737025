// Signals: what in one session may matter across sessions. Extracted once, at import, and stored
// with the session, so a dream never re-reads transcripts. Four families:
//   tool_error  a failed call, its normalized signature and the next action that succeeded (the fix)
//   correction / preference / rejection / interrupt   what the user told the agent to do differently
//   workflow    the ordered steps (tool + normalized target) of work that succeeded
import { createHash } from 'node:crypto';
import type { Agent, SessionEvent, Signal } from '../../../shared/model';
import { clip } from '../importers/text';
import { projectOfAgent, projectPattern } from './abstract';
import { DISMISSAL, canonicalTokens, instructionKey, isRule, isTaskRequest, notTypedByUser, ruleSpan, sentencesOf } from './instructions';

const META_LINE = /^(Exit code|Wall time|Process exited|Output:|Command:|Chunk ID:|Original token count:)/i;

/** Exit codes as the tool reports them beside the output (Claude Code, Codex). */
const EXIT_LINE = /^(?:Exit code|Process exited with code):?\s+(-?\d+)/im;
/** Quoted error codes (`code: 'ENOENT'`) name the error: they stay, other quoted names go. */
const QUOTED_CODE = /^["'`](?:E[A-Z0-9_]{2,}|ERR_[A-Z0-9_]+|[A-Z]{1,4}\d{3,5})["'`]$/;

/**
 * Lines of tool output that say nothing about what failed: a package manager echoing the script it
 * runs (`> shop@1.2.0 test` / `> vitest run`), shell prompts, test runners' banners and progress,
 * summaries and the trailers npm and yarn print after every failure.
 */
const NOISE_LINE = [
  /^>\s/, /^\$\s/, /^(?:yarn|pnpm|bun|npm) (?:run )?v?\d+\.\d+/i, /^npm (?:WARN|notice|http)\b/i,
  /^npm ERR! (?:A complete log|code E?LIFECYCLE|errno|Lifecycle script|This is probably|Failed at the|Exit status|command (?:failed|sh -c)|\s*$|.*(?:npm-debug|_logs\/))/i,
  /^(?:RUN|DEV|PASS|✓|✔|√|·+$|\.+$|ok \d+\b|\[\d+\/\d+\])/, /^(?:❯|›|×|✗|✘|⎯+|↓)\s?/, /^[.FEsx]+\s+\[\s*\d+%\]$/, /^(?:FAILURES|ERRORS|short test summary info)$/i, /^_{2,}.*_{2,}$/,
  /^\d+ (?:failed|passed|error|errors|skipped)\b.*\bin [\d.]+m?s\b/, /^(?:Failed Suites|Failed Tests) \d+/, /^(?:Test Files|Tests|Test Suites|Snapshots|Duration|Start at|Time:|Ran all test suites)\b/, /^\d+ (?:passing|pending|skipped)\b/,
  /^(?:Done|✨\s*Done) in [\d.]+m?s/, /^info Visit\b/, /^error Command failed with exit code \d+\.?$/i, /^ELIFECYCLE\b/, /^ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL\b|^ELIFECYCLE\s+Command failed/,
  // aider's own chatter around an edit or a start-up
  /^(?:Tokens: .* sent|Cost: \$|Commit [0-9a-f]{7}|Applied edit to|Aider v\d|Model: |Main model: |Weak model: |Editor model: |Git repo: |Repo-map: |Added .* to the chat|Use \/help|Has it been deleted from the file system|You can skip this check|Initial repo scan|\^C (?:again|KeyboardInterrupt))/,
  /^(?:collected \d+ items?|platform \w+ -- Python|rootdir:|plugins:|cachedir:|configfile:|=+ test session starts)/i,
  /^(?:Compiling|Finished|Running|Downloaded|Downloading|Updating|Fresh|Checking|Blocking waiting for) (?!.*\berror)/, /^(?:Starting|Building|Bundling|Loading|Resolving|Fetching|Installing|Collecting)\b.*\.{0,3}$/,
];
/** An error raised by the model provider's client (litellm, openai, anthropic), not by the work. */
const PROVIDER_ERROR = /^(?:litellm|openai|anthropic)\.\w*(?:Error|Exception)\b|\b(?:RateLimitError|AuthenticationError|APIConnectionError|InternalServerError|BadRequestError|NotFoundError|ServiceUnavailableError)\b.*\b(?:Exception|provider|model)\b/i;
/** Error codes and error types: the words that say what failed. */
export const ERROR_CODE = /\b(?:[A-Z]{1,4}\d{3,5}|E[A-Z]{3,}|ERR_[A-Z0-9_]+)\b/;
/** `internal/x.go:10:2: missing go.sum entry…`, `src/a.ts(3,20): …`: a compiler pointing at what failed. */
const DIAGNOSTIC = /^(?:[A-Za-z]:)?[\w.@~+\/\\-]+(?::\d+(?::\d+)?|\(\d+,\d+\)):\s+\S/;
export const ERROR_TYPE = /\b\w*(?:Error|Exception|Failure)\b:|\berror(?:\[\w+\])?:|^(?:error|fatal|panic|FATAL|ERROR)\b|ERR!|\bnot found\b|\bno such file\b|\bpermission denied\b|\bcommand not found\b|\bcannot find\b|\bfailed to\b|\bunable to\b/i;
const WEAK_ERROR = /^(?:FAIL|FAILED|✗|×|✘)\b|\bfailed\b|\bfailure\b/i;

const cleanLines = (text: string) => text
  .replace(/<\/?tool_use_error>/g, '')
  .replace(/\x1b\[[0-9;]*m/g, '')
  .split('\n')
  .map((l) => l.trim())
  .map((l) => l.replace(/^`{3}\w*\s*/, '').replace(/^[=\-*#]{3,}\s*|\s*[=\-*#]{3,}$/g, '').trim())
  .filter((l) => l && !META_LINE.test(l));

/**
 * The lines of a failure that say what failed: the first naming an error code or type (not the
 * banner a package manager prints before it, not a runner's progress), then a generic failure
 * mark; with neither, the first meaningful lines, and when those are only noise, the last line.
 */
export function tellingLines(text: string, marked = false): string[] {
  const lines = cleanLines(text);
  const meaningful = lines.filter((l) => !NOISE_LINE.some((r) => r.test(l)));
  const strong = meaningful.findIndex((l) => ERROR_CODE.test(l) || ERROR_TYPE.test(l) || DIAGNOSTIC.test(l));
  if (strong >= 0) return meaningful.slice(strong, strong + 1);
  const weak = meaningful.findIndex((l) => WEAK_ERROR.test(l));
  if (weak >= 0) return meaningful.slice(weak, weak + 1);
  // Asked for a marked failure only (an agent's own output, mostly banners and notices): none here.
  if (marked) return [];
  if (meaningful.length) return meaningful.slice(0, 2);
  return lines.slice(-1);
}

/**
 * Normalizes an error message into a signature: the parts that differ between two occurrences of
 * "the same" error (paths, line numbers, hex ids, uuids, timestamps, durations, quoted names, urls,
 * versions, the project's own name) become placeholders, so equal signatures mean the same mistake
 * in any project. What identifies the error stays: error codes (TS2307, E0382, ENOENT) and exit
 * codes. Signatures are for clustering only; a lesson quotes the error as it was written (wording.ts).
 */
export function errorSignature(text: string, ctx: { project?: string | null } = {}): string {
  // `/bin/bash: line 1: python: command not found` and `bash: line 1: …` are one error.
  let firstLines = tellingLines(text).join(' ').replace(/^(?:\/(?:usr\/)?bin\/)?(?:ba|z|da)?sh:\s+(?:line\s+\d+:\s+)?/, '');
  if (!firstLines) return '';
  // Whatever the model provider answered (bad request, no credentials, not found, rate limit), the
  // mistake is the same: the model call is set up wrong. One signature, so it recurs as one.
  if (PROVIDER_ERROR.test(firstLines)) return 'the model provider rejected the call';
  const project = projectPattern(ctx.project);
  if (project) firstLines = firstLines.replace(project, '<project>');
  const exit = EXIT_LINE.exec(text)?.[1];
  const body = clip(
    firstLines
      .replace(/\bhttps?:\/\/\S+/gi, '<url>')
      .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
      .replace(/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, '<time>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
      .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{7,64}\b(?=[^a-z]|$)/gi, (m) => (/\d/.test(m) ? '<hex>' : m))
      .replace(/(["'`])(?:(?!\1).){1,80}\1/g, (m) => (QUOTED_CODE.test(m) ? m : '<name>'))
      // A name from the code (`maxBatch`, `retry_after`) varies like a path; error types (`TypeError`) stay.
      .replace(/\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, '<id>')
      // A package pinned at a version (`@acme/ui@2.3.1`, `shop@1.2.0`) and bare versions vary by project.
      .replace(/(?<![\w/])@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*(?:@\S+)?|\b[\w.-]+@v?\d+(?:\.\d+)+\S*/gi, '<pkg>')
      .replace(/(?<![\w.])v?\d+\.\d+\.\d+(?:-[\w.]+)?\b/g, '<version>')
      // Relative paths too (`src/db.ts(3,20)`), with the location that follows them.
      .replace(/(?:[A-Za-z]:)?[\\/]?(?:[\w.@~+-]+[\\/])+[\w.@~+-]*(?:\(\d+,\d+\)|:\d+(?::\d+)?)?/g, '<path>')
      .replace(/\b[\w.-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|rb|json|md|toml|yaml|yml|lock|txt|ex|exs|c|h|cpp|css|html|sh)(?::\d+(?::\d+)?)?\b/g, '<file>')
      .replace(/\b\d+(\.\d+)?\s?(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b/g, '<duration>')
      .replace(/\b(line|col|column|port|pid)\s*\d+/gi, '$1 <n>')
      // Any other number varies, except an exit or status code, which says how it failed.
      .replace(/(?<!\b(?:exit|exited with|exit code|exit status|status|status code|errno|returned)[\s:=]*)\b\d+(\.\d+)?\b/gi, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase(),
    190,
  );
  return exit !== undefined ? `${body} (exit code ${exit})` : body;
}

/** The readable heart of an error: its telling line(s), with the exit code as a suffix. */
export function errorGist(text: string): string {
  const clean = text.replace(/<\/?tool_use_error>/g, '').trim();
  const code = /^Exit code (\d+)/m.exec(clean)?.[1];
  const gist = tellingLines(clean).slice(0, 3).join(' — ') || clean;
  return clip(code ? `${gist} (exit code ${code})` : gist, 300);
}

/** The command or target of a tool call, paths normalized, so "the fix" compares across sessions. */
export function actionSignature(e: SessionEvent): string {
  const name = e.tool?.name ?? 'tool';
  let target = e.text.startsWith(name) ? e.text.slice(name.length).trim() : e.text;
  target = target.split('\n')[0].replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+)+/g, '<path>').replace(/\s+/g, ' ');
  return clip(`${name} ${target}`.trim(), 160);
}

// ── Workflow steps ─────────────────────────────────────────────────────────────────────────────
/** Looking around is not a step of a workflow: it differs every time and proves nothing. */
const LOOKING = /^(read|grep|glob|ls|list|view|search|find|todowrite|todoread|webfetch|websearch|web_search|task|think|update_plan|read_file|list_dir|glob_file_search|codebase_search)$/i;
const EDITING = /^(edit|write|multiedit|notebookedit|apply_patch|str_replace|create|str_replace_based_edit_tool|write_file|replace|patch)$/i;
export const SHELL = /^(bash|shell|exec_command|local_shell|run_shell_command|execute_command|execute_bash|run_command|run_terminal_cmd|terminal|cmd|exec|run)$/i;
/** Looking around in a shell is not a step either. */
const NOT_A_STEP = /^(cat|ls|grep|rg|find|head|tail|echo|pwd|which|sed|awk|wc|tree|less|more|file|stat)$/;
/** `git status` and `git diff` only look: they are not steps of a routine. */
const LOOKING_GIT = /^git (?:status|diff|show|branch)$/;
/** Runners whose sub-command is the meaningful part (`npm test`, `git commit`, `cargo build`). */
const RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'npx', 'git', 'cargo', 'go', 'make', 'docker', 'kubectl', 'uv', 'poetry', 'pip', 'python', 'python3', 'mix', 'bundle', 'rake', 'gradle', 'mvn', 'dotnet', 'gh', 'terraform', 'deno']);

/** The command a shell call ran: its input when the importer kept it, else its display text. */
function commandOf(e: SessionEvent): string {
  const raw = e.tool?.input ?? e.text;
  try {
    const j = JSON.parse(raw) as Record<string, unknown>;
    const c = j.command ?? j.cmd;
    if (typeof c === 'string') return c;
    if (Array.isArray(c)) return c.map(String).filter((x) => !/^(bash|sh|zsh|-lc|-c)$/.test(x)).join(' ');
  } catch { /* not JSON: the display text */ }
  const name = e.tool?.name ?? '';
  return raw.startsWith(name) ? raw.slice(name.length).trim() : raw;
}

/** `bash -lc 'npm test'` → `npm test`: the wrapper Codex and others put around every command. */
export function unwrapShell(command: string): string {
  const m = /^\s*(?:\/\S*\/)?(?:ba|z)?sh\s+-l?c\s+(['"]?)([\s\S]*)\1\s*$/.exec(command);
  return m ? m[2] : command;
}

/**
 * A command as a person would name it in a lesson: its words up to the first argument that is a
 * path, a flag or a number (`python manage.py migrate`, `npx vitest run`, `npm run dev`).
 */
export function commandWords(command: string): string {
  const parts = unwrapShell(command).split(/&&|;|\|\|/).map((p) => p.trim()).filter((p) => p && !/^(cd|export|source|set)\b/.test(p));
  return parts
    .map((p) => {
      const words = p.split('|')[0].trim().split(/\s+/).filter((w) => !/^\w+=/.test(w));
      const out: string[] = [];
      for (const w of words) {
        if (out.length >= 4 || /^[-<>'"$(`]|[\\/]|\d|^\.|\.(ts|tsx|js|py|rs|go|rb|json|md|toml|yml|yaml|lock|txt)$/.test(w) && !(out.length === 1 && /\.py$/.test(w))) break;
        out.push(out.length ? w : w.replace(/^.*\//, ''));
      }
      return out.join(' ');
    })
    .filter(Boolean)
    .join(' && ');
}

/** `cd x && FOO=1 npm run lint -- --fix` → `npm run lint`; `pytest tests/a.py -q` → `pytest`. */
export function commandStep(command: string): string | null {
  command = unwrapShell(command);
  const parts = command.split(/&&|;|\|\|/).map((p) => p.trim()).filter((p) => p && !/^(cd|export|source|set)\b/.test(p));
  const first = parts[0]?.split('|')[0].trim();
  if (!first) return null;
  const words = first.split(/\s+/).filter((w) => !/^\w+=/.test(w)).map((w) => w.replace(/^.*\//, ''));
  const head = words[0]?.toLowerCase();
  if (!head || !/^[a-z][\w.+-]*$/.test(head)) return null;
  const rest = words.slice(1).filter((w) => !w.startsWith('-'));
  // `alembic revision`, `just test`, `terraform plan`: a plain word after the program is its verb.
  if (!RUNNERS.has(head)) return rest[0] && words[1] === rest[0] && /^[a-z][a-z-]{1,20}$/.test(rest[0]) && !NOT_A_STEP.test(head) ? `${head} ${rest[0]}` : head;
  if (head === 'docker' && rest[0] === 'compose' && /^[a-z]+$/.test(rest[1] ?? '')) return `docker compose ${rest[1]}`;
  // `pnpm changeset version` is not `pnpm changeset`: package managers' plugin commands keep their verb.
  if (/^(npm|pnpm|yarn|bun|npx)$/.test(head) && rest[0] && rest[0] !== 'run' && /^[a-z][\w-]*$/.test(rest[1] ?? '') && words[2] === rest[1]) return `${head} ${rest[0]} ${rest[1]}`;
  if ((head === 'npm' || head === 'pnpm' || head === 'yarn' || head === 'bun') && rest[0] === 'run' && rest[1]) return `${head} run ${rest[1]}`;
  if ((head === 'python' || head === 'python3') && words[1] === '-m' && words[2]) return `python -m ${words[2]}`;
  return rest[0] && /^[a-z][\w:.-]*$/i.test(rest[0]) ? `${head} ${rest[0].toLowerCase()}` : head;
}

/** `*.ts` for an edit of src/a.ts: the kind of file, which recurs, not the file, which varies. */
function fileKind(file: string | undefined): string {
  const ext = file ? /\.([A-Za-z][A-Za-z0-9]{0,5})$/.exec(file.replace(/^.*[\\/]/, ''))?.[1]?.toLowerCase() : undefined;
  return ext ? `*.${ext}` : 'file';
}

/** The file a call edits, when it names one. */
function editedFile(call: SessionEvent): string | undefined {
  try {
    const j = JSON.parse(call.tool?.input ?? '') as Record<string, unknown>;
    const v = j.file_path ?? j.path ?? j.filename ?? j.target_file ?? j.file;
    if (typeof v === 'string') return v;
  } catch { /* not JSON */ }
  return /(?:^|\s|File: )((?:[\w.@~+-]*\/)*[\w@~+-]+\.[A-Za-z][A-Za-z0-9]{0,5})(?=\s|$|:)/.exec(call.text)?.[1];
}

/** A step of a workflow with the concrete thing it touched (the file edited, the command run). */
export interface Step { step: string; target: string }


/**
 * A successful call as workflow steps: none when it only looks around, one for an edit or a tool,
 * one per command of a compound shell line (`pnpm build && pnpm publish` is two steps).
 */
export function stepsOf(call: SessionEvent, project?: string | null): Step[] {
  const name = call.tool?.name ?? '';
  if (!name || LOOKING.test(name)) return [];
  if (SHELL.test(name)) {
    const command = unwrapShell(commandOf(call));
    return command.split(/&&|;|\|\|/).map((part) => part.trim()).flatMap((part) => {
      const step = commandStep(part);
      return step && !NOT_A_STEP.test(step.split(' ')[0]) && !LOOKING_GIT.test(step) ? [{ step: `run ${step}`, target: part.split('|')[0].trim() }] : [];
    });
  }
  if (EDITING.test(name)) {
    const file = editedFile(call);
    // Named as the user would: relative to the project (`src/routes/index.ts`), else by its name.
    const root = project ? `${project.replace(/[\\/]+$/, '')}/` : null;
    return [{ step: `edit ${fileKind(file)}`, target: !file ? '' : root && file.startsWith(root) ? file.slice(root.length) : file.replace(/^.*[\\/]/, '') }];
  }
  return [{ step: `use ${name.toLowerCase()}`, target: '' }];
}

/** A successful call as one workflow step (its first), or null when it is only looking around. */
export function stepOf(call: SessionEvent): string | null {
  return stepsOf(call)[0]?.step ?? null;
}

// ── User corrections and preferences ──────────────────────────────────────────────────────────
// Wording a user reaches for when correcting an agent (only after the agent did something) …
const CORRECTION = [
  /^(no|nope|nah|wrong|incorrect)\b(?![ -](problem|worries|thanks|need|rush|idea|longer|matter))/i,
  /^(don'?t|dont|do not|stop|quit|never|avoid|please (don'?t|do not|stop|never|avoid))\b(?! (know|worry|mind|understand|think so))/i,
  /^(actually|wait|hold on|hmm+|ugh)\b[,.!\s]/i,
  /\b(that'?s|this is|it'?s) (wrong|not (right|correct|what i)|incorrect|broken)\b/i,
  /\b(i (said|told you|asked( you)?)|you (forgot|broke|ignored|missed|should(n'?t)?( have)?|didn'?t|need to|must|were supposed to))\b/i,
  /\b(instead of|rather than|not like that|why did you|undo (that|this|it)|revert (that|this|it))\b/i,
  /\buse \S+,? not \S+/i,
  /^[\w-]+( [\w-]+)?,? not [\w-]+( [\w-]+)?[.!]*$/i,
  /,\s*(not|never)\s+[\w-]+( [\w-]+)?[.!]*$/i,
];
export type UserSignalKind = 'correction' | 'preference' | null;
/** Replies that accept the work: no correction, whatever came before. */
const ACKNOWLEDGED = /^(?:thanks?|thank you|thx|great|perfect|nice|awesome|looks good|lgtm|ok(?:ay)?|yes|yep|cool|good job|well done|danke|merci|gracias|谢谢|ありがとう)\b/i;

/** Classifies one sentence a user typed: a correction, a standing preference, or neither. */
function classifySentence(sentence: string, agentActedBefore: boolean, first: boolean): UserSignalKind {
  if (isTaskRequest(sentence)) return null;
  // A correction opens the reply ("no, use pnpm"); a rule can stand anywhere in a message.
  if (agentActedBefore && first && CORRECTION.some((r) => r.test(sentence)) && !DISMISSAL.test(sentence)) return 'correction';
  return isRule(sentence) ? 'preference' : null;
}

/** Classifies one user message by its first sentence: a correction, a standing preference, or neither. */
export function classifyUserText(text: string, agentActedBefore: boolean): { kind: UserSignalKind; sentence: string } {
  if (notTypedByUser(text) || /```/.test(text.slice(0, 400))) return { kind: null, sentence: '' };
  const sentence = sentencesOf(text)[0] ?? '';
  if (!sentence) return { kind: null, sentence };
  return { kind: classifySentence(sentence, agentActedBefore, true), sentence };
}

/** Every instruction in one user message: its rules wherever they stand, a correction where it opens. */
export function userInstructions(text: string, agentActedBefore: boolean): { kind: 'correction' | 'preference'; sentence: string }[] {
  if (notTypedByUser(text)) return [];
  const out: { kind: 'correction' | 'preference'; sentence: string }[] = [];
  sentencesOf(text).slice(0, 12).forEach((sentence, i) => {
    const kind = classifySentence(sentence, agentActedBefore, i === 0);
    // "Stop." or "No!" alone says "not that" about something unnamed: nothing to learn from the words.
    if (/^(?:please\s+)?(?:stop|no+|nope|wait|hold on|don'?t|never|hmm+|ugh)[\s.!]*$/i.test(sentence)) return;
    if (kind && out.length < 4) out.push({ kind, sentence: kind === 'preference' ? ruleSpan(sentence) : sentence });
  });
  return out;
}

/**
 * The key of what a user said: its canonical tokens (placeholders for what varies, negation as a
 * sign, synonyms folded), so one instruction in many wordings is one key.
 */
export function preferenceKey(text: string, ctx: { project?: string | null } = {}): string {
  return instructionKey(text, ctx);
}

// ── Extraction ─────────────────────────────────────────────────────────────────────────────────
const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** What extraction needs of a session: its id, its agent and its (redacted, ordered) events. */
export interface SignalSource { id: string; agentId: string; events: SessionEvent[]; /** the agent's folder: its name varies per project, like a path */ project?: string | null }

/**
 * All signals of one session. Called once per session by the import pipeline; pure and
 * deterministic (ids derive from event ids), so re-importing a session gives the same signals.
 */
export function extractSignals(session: SignalSource): Signal[];
export function extractSignals(sessionId: string, agent: Agent, events: SessionEvent[]): Signal[];
export function extractSignals(a: SignalSource | string, agent?: Agent, evs?: SessionEvent[]): Signal[] {
  const src: SignalSource = typeof a === 'string' ? { id: a, agentId: agent!.id, events: evs!, project: agent!.project } : a;
  const { id: sessionId, agentId } = src;
  const ctx = { project: src.project ?? projectOfAgent(agentId) };
  const signals: Signal[] = [];
  // Abandoned branches never happened; turns a fork copied from its parent session count there, once.
  const live = src.events.filter((e) => e.branch !== 'abandoned' && !e.copied);
  const calls = new Map<string, SessionEvent>();
  for (const e of live) if (e.kind === 'tool_call' && e.tool?.callId) calls.set(e.tool.callId, e);
  const add = (s: Omit<Signal, 'id' | 'sessionId' | 'agentId'>, part = 0) =>
    signals.push({ id: `${sessionId}:${s.kind}:${hash(s.eventIds.join('|') + (part ? `#${part}` : ''))}`, sessionId, agentId, ...s });
  /** User messages already read as the instruction after a rejection or an interrupt. */
  const consumed = new Set<string>();
  let acted = false;
  /** The agent said it was done (Cline's completion_result): what the user types next corrects it. */
  let reportedDone = false;
  const steps: string[] = [];
  /** what each step touched: the file edited, the command as typed */
  const targets: string[] = [];
  const stepEvents: string[] = [];
  /**
   * Each call's steps, worked out once: a failure's fix is looked for among the next 40 results, so
   * without this a call was parsed again for every failure before it (stepsOf parses the call's input).
   */
  const stepCache = new Map<SessionEvent, Step[]>();
  const stepsFor = (call: SessionEvent): Step[] => {
    let steps = stepCache.get(call);
    if (!steps) stepCache.set(call, (steps = stepsOf(call, ctx.project)));
    return steps;
  };

  live.forEach((e, i) => {
    if (e.kind === 'assistant' || e.kind === 'tool_call') {
      acted = true;
      reportedDone = !!e.completion;
    }
    if (e.kind === 'tool_result' && !e.isError && !e.rejected) {
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      for (const { step, target } of call ? stepsFor(call) : []) {
        // The same step again (two files edited in a row) is one step; it keeps every file it touched.
        if (steps[steps.length - 1] === step) {
          if (target && !targets[targets.length - 1].split(' + ').includes(target)) targets[targets.length - 1] = clip(`${targets[targets.length - 1]} + ${target}`, 120);
          continue;
        }
        if (steps.length >= 80) continue;
        steps.push(step);
        targets.push(clip(target, 60));
        stepEvents.push(call!.id);
      }
    }
    // "Sibling tool call errored" is a consequence of another failure in the same batch, not a mistake.
    if (e.kind === 'tool_result' && e.isError && !e.rejected && !/Sibling tool call errored/i.test(e.text)) {
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      const tool = e.tool?.name ?? call?.tool?.name ?? 'tool';
      const sig = errorSignature(e.text, ctx);
      if (!sig) return;
      const fix = findFix(live, i, tool, calls, stepsFor);
      add({
        kind: 'tool_error',
        // Every shell is one tool here: the same failing command is the same mistake in Bash or Codex's shell.
        key: `${SHELL.test(tool) ? 'shell' : tool.toLowerCase()}|${sig}`,
        text: errorGist(e.text),
        tool,
        ...(fix ? { fix: clip(fix.text.split('\n')[0], 300) } : {}),
        eventIds: [...(call ? [call.id] : []), e.id, ...(fix ? [fix.id] : [])],
        excerpt: clip(`${call ? `${call.text}\n→ ` : ''}${e.text}${fix ? `\n✓ then: ${fix.text.split('\n')[0]}` : ''}`, 400),
        timestamp: e.timestamp,
      });
    } else if (e.kind === 'system' && e.isError && tellingLines(e.text, true).length) {
      // The agent's own failure (aider's "Error loading model settings…", a provider's rate limit):
      // no call of the agent failed, the run did. It recurs like any mistake.
      const tool = src.agentId.split(':')[0] || 'agent';
      const sig = errorSignature(e.text, ctx);
      if (!sig) return;
      add({ kind: 'tool_error', key: `${tool}|${sig}`, text: errorGist(e.text), tool, eventIds: [e.id], excerpt: clip(tellingLines(e.text).join('\n'), 400), timestamp: e.timestamp });
    } else if ((e.kind === 'tool_result' && e.rejected) || e.interrupt) {
      // A rejected call or an interrupt is a correction whose words come next.
      const next = live.slice(i + 1).find((x) => x.kind === 'user' && !x.injected && !x.interrupt && x.text.trim());
      if (!next || consumed.has(next.id)) return;
      // Whatever its language: the structure (a call refused, then words) makes it a correction.
      const sentence = sentencesOf(next.text)[0];
      if (!sentence || notTypedByUser(next.text)) return;
      consumed.add(next.id);
      // The call refused, or the one the agent was running when the user stopped it.
      const call = e.tool?.callId ? calls.get(e.tool.callId) : e.interrupt ? lastCallBefore(live, i) : undefined;
      const kind = e.rejected ? 'rejection' : 'interrupt';
      // "Stop." after a refused `git commit` means "don't commit": the refused action is part of what was said.
      const refused = call ? stepsFor(call)[0]?.step.split(' ').pop() : undefined;
      const said = preferenceKey(sentence, ctx);
      // "Stop." says nothing but "not that": the refused action is then the whole instruction.
      const bare = !canonicalTokens(sentence, ctx).length;
      const key = refused && /^[a-z][\w-]*$/.test(refused) && !said.split(' ').some((t) => t.replace(/^!/, '') === refused)
        ? [...(bare ? [] : said.split(' ').filter(Boolean)), `!${refused}`].sort().join(' ')
        : said;
      add({
        kind,
        key: `${kind}|${key}`,
        text: clip(sentence, 300),
        ...(e.tool?.name ? { tool: e.tool.name } : {}),
        eventIds: [...(call ? [call.id] : []), e.id, next.id],
        excerpt: clip(`${call?.text ?? (e.rejected ? 'tool call' : 'the agent')} — ${e.rejected ? 'rejected' : 'interrupted'}; user: ${sentence}`, 400),
        timestamp: next.timestamp,
      });
    } else if (e.kind === 'user' && !e.injected && src.agentId.startsWith('aider:') && typedCommand(e.text)) {
      // aider sends a chat line to the model: a shell command typed there is not run, only
      // discussed. The fix is aider's own `!command` (or `/run`), when the session used it later.
      const fix = live.slice(i + 1).find((x) => (x.kind === 'user' && /^!\S/.test(x.text.trim())) || (x.kind === 'tool_call' && x.tool?.name === 'run'));
      add({
        kind: 'tool_error', key: AIDER_CHAT_COMMAND, tool: 'aider', text: `Typed as a chat message: ${clip(typedCommand(e.text)!, 120)}`,
        ...(fix ? { fix: clip(fix.text.trim().split('\n')[0], 200) } : {}),
        eventIds: [e.id, ...(fix ? [fix.id] : [])], excerpt: clip(`${e.text.trim()}${fix ? `\n✓ then: ${fix.text.trim().split('\n')[0]}` : ''}`, 400), timestamp: e.timestamp,
      });
    } else if (e.kind === 'user' && !e.injected && !consumed.has(e.id)) {
      const afterDone = reportedDone;
      reportedDone = false;
      const found = userInstructions(e.text, acted);
      // Feedback on a reported completion corrects it, in any language and any wording.
      const first = afterDone ? sentencesOf(e.text)[0] : undefined;
      if (first && !found.some((f) => f.sentence === first) && !notTypedByUser(e.text) && !ACKNOWLEDGED.test(first)) found.unshift({ kind: 'correction', sentence: first });
      found.forEach(({ kind, sentence }, part) => {
        const key = preferenceKey(sentence, ctx);
        // Only context ("I review before committing"): nothing the agent is told to do or not to do.
        if (key && !key.split(' ').every((t) => t.startsWith('~'))) add({ kind, key: `${kind}|${key}`, text: clip(sentence, 300), eventIds: [e.id], excerpt: clip(sentence, 400), timestamp: e.timestamp }, part);
      });
    }
  });
  if (steps.length >= 3) {
    const last = live[live.length - 1];
    add({
      kind: 'workflow',
      key: `workflow|${steps.join(' → ')}`.slice(0, 400),
      text: steps.join(' → '),
      steps,
      targets,
      eventIds: stepEvents,
      excerpt: clip(steps.join(' → '), 400),
      timestamp: last?.timestamp ?? null,
    });
  }
  return signals;
}

/** The key of aider's typed-command mistake: one key, whatever the command. */
export const AIDER_CHAT_COMMAND = 'aider|a shell command typed as a chat message';
/** A user line that is a shell command (`chmod +x run.sh`, `git push origin main`, `for d in …; do`), not prose. */
const SHELL_LINE = /^(?:(?:for|while)\s+\S+.*(?:;\s*do|\bdo)\b|(?:chmod|chown|git|pwd|ls|cd|cat|npm|pnpm|yarn|npx|pip3?|docker|make|mkdir|rm|mv|cp|curl|wget|source|export|grep|find|touch|cargo|brew|sudo|zsh|bash|aider|sync-\w+)(?:\s+[-~./\w"'=:+*@$]+)*\s*)$/;
function typedCommand(text: string): string | undefined {
  const first = text.trim().split('\n')[0].trim();
  return SHELL_LINE.test(first) && !/[A-Z][a-z]+ [a-z]+ [a-z]+ [a-z]+/.test(first) ? first : undefined;
}

/** The tool call the agent made last before `at`, in the same turn (none once the user spoke). */
function lastCallBefore(events: SessionEvent[], at: number): SessionEvent | undefined {
  for (let j = at - 1; j >= 0 && j >= at - 12; j--) {
    if (events[j].kind === 'user' && !events[j].injected) return undefined;
    if (events[j].kind === 'tool_call') return events[j];
  }
  return undefined;
}

/** The fix: the next call that succeeded after a failure, preferring the same tool. */
function findFix(events: SessionEvent[], from: number, tool: string, calls: Map<string, SessionEvent>, stepsFor: (call: SessionEvent) => Step[]): SessionEvent | undefined {
  let other: SessionEvent | undefined;
  for (let j = from + 1; j < events.length && j < from + 40; j++) {
    const r = events[j];
    if (r.kind === 'user' && !r.injected) break; // the user stepped in: what follows is their idea
    if (r.kind !== 'tool_result' || r.isError || r.rejected) continue;
    const call = r.tool?.callId ? calls.get(r.tool.callId) : undefined;
    // No step at all, as stepOf says (the project changes a step's target, never whether there is one).
    if (!call || !stepsFor(call).length) continue;
    if (call.tool?.name === tool) return call;
    other ??= call;
  }
  return other;
}
