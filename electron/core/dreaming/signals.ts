// Signals: what in one session may matter across sessions. Extracted once, at import, and stored
// with the session, so a dream never re-reads transcripts. Four families:
//   tool_error  a failed call, its normalized signature and the next action that succeeded (the fix)
//   correction / preference / rejection / interrupt   what the user told the agent to do differently
//   workflow    the ordered steps (tool + normalized target) of work that succeeded
import { createHash } from 'node:crypto';
import type { Agent, SessionEvent, Signal } from '../../../shared/model';
import { clip } from '../importers/text';

const META_LINE = /^(Exit code|Wall time|Process exited|Output:|Command:|Chunk ID:|Original token count:)/i;

/** Exit codes as the tool reports them beside the output (Claude Code, Codex). */
const EXIT_LINE = /^(?:Exit code|Process exited with code)\s+(-?\d+)/im;
/** Quoted error codes (`code: 'ENOENT'`) name the error: they stay, other quoted names go. */
const QUOTED_CODE = /^["'`](?:E[A-Z0-9_]{2,}|ERR_[A-Z0-9_]+|[A-Z]{1,4}\d{3,5})["'`]$/;

/**
 * Normalizes an error message into a signature: the parts that differ between two occurrences of
 * "the same" error (paths, line numbers, hex ids, uuids, timestamps, durations, quoted names, urls)
 * become placeholders, so equal signatures mean the same mistake. What identifies the error stays:
 * error codes (TS2307, E0382, ENOENT) and exit codes. Signatures are for clustering only; a
 * lesson quotes the error as it was written (wording.ts).
 */
export function errorSignature(text: string): string {
  const firstLines = text
    .replace(/<\/?tool_use_error>/g, '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .map((l) => l.replace(/^`{3}\w*\s*/, '').replace(/^[=\-*#]{3,}\s*|\s*[=\-*#]{3,}$/g, '').trim())
    .filter((l) => l && !META_LINE.test(l))
    .slice(0, 2)
    .join(' ');
  if (!firstLines) return '';
  const exit = EXIT_LINE.exec(text)?.[1];
  const body = clip(
    firstLines
      .replace(/\bhttps?:\/\/\S+/gi, '<url>')
      .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
      .replace(/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, '<time>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
      .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{7,64}\b(?=[^a-z]|$)/gi, (m) => (/\d/.test(m) ? '<hex>' : m))
      .replace(/(["'`])(?:(?!\1).){1,80}\1/g, (m) => (QUOTED_CODE.test(m) ? m : '<name>'))
      // Relative paths too (`src/db.ts(3,20)`), with the location that follows them.
      .replace(/(?:[A-Za-z]:)?[\w.@~+-]*(?:[\\/][\w.@~+-]+)+[\\/]?(?:\(\d+,\d+\)|:\d+(?::\d+)?)?/g, '<path>')
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

/** The readable heart of an error: its meaningful lines, with the exit code as a suffix. */
export function errorGist(text: string): string {
  const clean = text.replace(/<\/?tool_use_error>/g, '').trim();
  const code = /^Exit code (\d+)/m.exec(clean)?.[1];
  const lines = clean.split('\n').map((l) => l.trim()).filter((l) => l && !META_LINE.test(l));
  const gist = lines.slice(0, 3).join(' — ') || clean;
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
  if (!RUNNERS.has(head)) return head;
  const rest = words.slice(1).filter((w) => !w.startsWith('-'));
  // `pnpm changeset version` is not `pnpm changeset`: package managers' plugin commands keep their verb.
  if (/^(npm|pnpm|yarn|bun|npx)$/.test(head) && rest[0] && rest[0] !== 'run' && /^[a-z][\w-]*$/.test(rest[1] ?? '') && words[2] === rest[1]) return `${head} ${rest[0]} ${rest[1]}`;
  if ((head === 'npm' || head === 'pnpm' || head === 'yarn' || head === 'bun') && rest[0] === 'run' && rest[1]) return `${head} run ${rest[1]}`;
  if ((head === 'python' || head === 'python3') && words[1] === '-m' && words[2]) return `python -m ${words[2]}`;
  return rest[0] && /^[a-z][\w:.-]*$/i.test(rest[0]) ? `${head} ${rest[0].toLowerCase()}` : head;
}

/** `*.ts` for an edit of src/a.ts: the kind of file, which recurs, not the file, which varies. */
function fileKind(call: SessionEvent): string {
  let file: string | undefined;
  try {
    const j = JSON.parse(call.tool?.input ?? '') as Record<string, unknown>;
    const v = j.file_path ?? j.path ?? j.filename ?? j.target_file ?? j.file;
    if (typeof v === 'string') file = v;
  } catch { /* not JSON */ }
  file ??= /(?:^|\s)((?:[\w.@~+-]*\/)*[\w@~+-]+\.[A-Za-z][A-Za-z0-9]{0,5})(?=\s|$|:)/.exec(call.text)?.[1];
  const ext = file ? /\.([A-Za-z][A-Za-z0-9]{0,5})$/.exec(file.replace(/^.*[\\/]/, ''))?.[1]?.toLowerCase() : undefined;
  return ext ? `*.${ext}` : 'file';
}

/** A successful call as one workflow step, or null when it is only looking around. */
export function stepOf(call: SessionEvent): string | null {
  const name = call.tool?.name ?? '';
  if (!name || LOOKING.test(name)) return null;
  if (SHELL.test(name)) {
    const step = commandStep(commandOf(call));
    return step && !/^(cat|ls|grep|rg|find|head|tail|echo|pwd|which|sed|awk|wc|tree|less|more|file|stat)$/.test(step) ? `run ${step}` : null;
  }
  if (EDITING.test(name)) {
    return `edit ${fileKind(call)}`;
  }
  return `use ${name.toLowerCase()}`;
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
// … and when stating a standing rule (anywhere).
const PREFERENCE = [
  /^(always|never|only)\b/i,
  /\b(from now on|going forward|in (the )?future|every time|each time|by default|as a rule|in this (repo|project|codebase))\b/i,
  /\b(remember (to|that)|make sure (to|you)|be sure to|please (always|use|run|keep|prefer)|i (want|need|like|prefer|'d like) you to|we (use|prefer|always|never)|our (convention|style|rule))\b/i,
  /\bprefer\b/i,
  /\b(before|after) (every|each|any|you|committing|pushing|opening)\b/i,
  /\bfirst,? then\b|^(please )?(start|begin) (with|by)\b/i,
];
const NOT_A_RULE = /^(can|could|would|will|what|how|where|which|who|is|are|does|do you|did) .*\?$|^(never ?mind|nevermind|no (problem|worries|thanks)|thanks|thank you|ok(ay)?|great|perfect|yes|yep|sure)\b/i;

export type UserSignalKind = 'correction' | 'preference' | null;

/** Classifies one user message: a correction, a standing preference, or neither. */
export function classifyUserText(text: string, agentActedBefore: boolean): { kind: UserSignalKind; sentence: string } {
  const sentence = firstSentences(text);
  if (!sentence || sentence.length > 300 || /```/.test(text.slice(0, 400)) || NOT_A_RULE.test(sentence)) return { kind: null, sentence };
  if (agentActedBefore && CORRECTION.some((r) => r.test(sentence))) return { kind: 'correction', sentence };
  if (PREFERENCE.some((r) => r.test(sentence))) return { kind: 'preference', sentence };
  return { kind: null, sentence };
}

/** The first line, cut to at most two sentences: where people put the instruction. */
function firstSentences(text: string): string {
  const line = text.trim().split('\n').find((l) => l.trim())?.trim() ?? '';
  const parts = line.split(/(?<=[.!?])\s+/).slice(0, 2).join(' ');
  return parts.trim();
}

const STOP = new Set(['the', 'a', 'an', 'please', 'you', 'to', 'and', 'it', 'this', 'that', 'of', 'in', 'for', 'on', 'i', 'we', 'just', 'be', 'is', 'are', 'me', 'my', 'our', 'your', 'so', 'with', 'at', 'here', 'there', 'ok', 'okay', 'hey', 'then', 'again', 'also', 'can', 'could', 'would', 'should']);

/** Normalizes a user sentence to a key: lower case, no punctuation or filler. Clustering refines it. */
export function preferenceKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/n't\b/g, ' not')
    .replace(/[^a-z0-9\s.-]/g, ' ')
    .replace(/(^|\s)[.-]+|[.-]+(?=\s|$)/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !STOP.has(w))
    .slice(0, 14)
    .join(' ');
}

// ── Extraction ─────────────────────────────────────────────────────────────────────────────────
const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** What extraction needs of a session: its id, its agent and its (redacted, ordered) events. */
export interface SignalSource { id: string; agentId: string; events: SessionEvent[] }

/**
 * All signals of one session. Called once per session by the import pipeline; pure and
 * deterministic (ids derive from event ids), so re-importing a session gives the same signals.
 */
export function extractSignals(session: SignalSource): Signal[];
export function extractSignals(sessionId: string, agent: Agent, events: SessionEvent[]): Signal[];
export function extractSignals(a: SignalSource | string, agent?: Agent, evs?: SessionEvent[]): Signal[] {
  const src: SignalSource = typeof a === 'string' ? { id: a, agentId: agent!.id, events: evs! } : a;
  const { id: sessionId, agentId } = src;
  const signals: Signal[] = [];
  const live = src.events.filter((e) => e.branch !== 'abandoned');
  const calls = new Map<string, SessionEvent>();
  for (const e of live) if (e.kind === 'tool_call' && e.tool?.callId) calls.set(e.tool.callId, e);
  const add = (s: Omit<Signal, 'id' | 'sessionId' | 'agentId'>) =>
    signals.push({ id: `${sessionId}:${s.kind}:${hash(s.eventIds.join('|'))}`, sessionId, agentId, ...s });
  /** User messages already read as the instruction after a rejection or an interrupt. */
  const consumed = new Set<string>();
  let acted = false;
  const steps: string[] = [];
  const stepEvents: string[] = [];

  live.forEach((e, i) => {
    if (e.kind === 'assistant' || e.kind === 'tool_call') acted = true;
    if (e.kind === 'tool_result' && !e.isError && !e.rejected) {
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      const step = call ? stepOf(call) : null;
      if (step && steps[steps.length - 1] !== step && steps.length < 80) {
        steps.push(step);
        stepEvents.push(call!.id);
      }
    }
    // "Sibling tool call errored" is a consequence of another failure in the same batch, not a mistake.
    if (e.kind === 'tool_result' && e.isError && !e.rejected && !/Sibling tool call errored/i.test(e.text)) {
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      const tool = e.tool?.name ?? call?.tool?.name ?? 'tool';
      const sig = errorSignature(e.text);
      if (!sig) return;
      const fix = findFix(live, i, tool, calls);
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
    } else if ((e.kind === 'tool_result' && e.rejected) || e.interrupt) {
      // A rejected call or an interrupt is a correction whose words come next.
      const next = live.slice(i + 1).find((x) => x.kind === 'user' && !x.injected && !x.interrupt && x.text.trim());
      if (!next || consumed.has(next.id)) return;
      const sentence = firstSentences(next.text);
      if (!sentence || sentence.length > 300) return;
      consumed.add(next.id);
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      const kind = e.rejected ? 'rejection' : 'interrupt';
      add({
        kind,
        key: `${kind}|${preferenceKey(sentence)}`,
        text: clip(sentence, 300),
        ...(e.tool?.name ? { tool: e.tool.name } : {}),
        eventIds: [...(call ? [call.id] : []), e.id, next.id],
        excerpt: clip(`${call?.text ?? (e.rejected ? 'tool call' : 'the agent')} — ${e.rejected ? 'rejected' : 'interrupted'}; user: ${sentence}`, 400),
        timestamp: next.timestamp,
      });
    } else if (e.kind === 'user' && !e.injected && !consumed.has(e.id)) {
      const { kind, sentence } = classifyUserText(e.text, acted);
      if (!kind) return;
      add({ kind, key: `${kind}|${preferenceKey(sentence)}`, text: clip(sentence, 300), eventIds: [e.id], excerpt: clip(sentence, 400), timestamp: e.timestamp });
    }
  });
  if (steps.length >= 3) {
    const last = live[live.length - 1];
    add({
      kind: 'workflow',
      key: `workflow|${steps.join(' → ')}`.slice(0, 400),
      text: steps.join(' → '),
      steps,
      eventIds: stepEvents,
      excerpt: clip(steps.join(' → '), 400),
      timestamp: last?.timestamp ?? null,
    });
  }
  return signals;
}

/** The fix: the next call that succeeded after a failure, preferring the same tool. */
function findFix(events: SessionEvent[], from: number, tool: string, calls: Map<string, SessionEvent>): SessionEvent | undefined {
  let other: SessionEvent | undefined;
  for (let j = from + 1; j < events.length && j < from + 40; j++) {
    const r = events[j];
    if (r.kind === 'user' && !r.injected) break; // the user stepped in: what follows is their idea
    if (r.kind !== 'tool_result' || r.isError || r.rejected) continue;
    const call = r.tool?.callId ? calls.get(r.tool.callId) : undefined;
    if (!call || stepOf(call) === null) continue;
    if (call.tool?.name === tool) return call;
    other ??= call;
  }
  return other;
}
