// Wording a pattern as a lesson: imperative, specific, short, and naming the fix when one is known.
// Choices are by majority across sessions with deterministic tie-breaks, so the same evidence
// always reads the same way (and a full dream words a lesson exactly as incremental ones did).
import type { LessonKind } from '../../../shared/model';
import { clip } from '../importers/text';
import { abstractText, fillForm, projectOfAgent, type Abstracted } from './abstract';
import { canonicalTokens } from './instructions';
import { commandParts, fixShape, programOf, shellCommandOf, type Cmd, type FixShape } from './fix-shape';
import type { Pattern } from './mine';
import { AIDER_CHAT_COMMAND, SHELL, commandWords, errorSignature } from './signals';

/** Most frequent value by number of sessions; ties go to the shorter, then the smaller text. */
export function majority(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) {
    const b = best === undefined ? -1 : counts.get(best)!;
    if (n > b || (n === b && (v.length < best!.length || (v.length === best!.length && v < best!)))) best = v;
  }
  return best;
}

/** How a mistake reads when no fix worked the same way twice: a warning, not yet a lesson. */
const NO_FIX = "again and again: check why before running it, and don't retry it unchanged.";
/** Whether a mistake's wording names no fix (only "don't retry it unchanged"). */
export const namesNoFix = (l: { kind: string; text: string }) => l.kind === 'mistake' && l.text.endsWith(NO_FIX);

/**
 * Whether the failing call, in most sessions, was simply run again and passed (after an edit):
 * that is work in progress — a test failing while the code is written — not a mistake to avoid.
 * One whose call was never run again unchanged ("nothing to commit") is a lesson.
 */
export function retriedUnchanged(p: Pattern): boolean {
  const obs = p.sample.filter((o) => o.c);
  if (!obs.length) return false;
  const same = obs.filter((o) => {
    if (!o.f) return false;
    const tool = o.tool ?? '';
    if (!SHELL.test(tool)) return generalAction(o.c, tool) === generalAction(o.f, tool);
    const last = (x: string) => commandParts(shellCommandOf(x, tool)).pop() ?? '';
    return programOf(last(o.c!)) === programOf(last(o.f));
  });
  return same.length >= obs.length / 2;
}

export const lessonKindOf = (p: Pattern): LessonKind => (p.family === 'error' ? 'mistake' : p.family === 'workflow' ? 'workflow' : 'preference');

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  const cap = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
};

/** Strips the conversational run-up ("no,", "actually", "please") so a correction reads as a rule. */
export function imperative(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 3; i++)
    t = t
      .replace(/^(no+|nope|nah|wrong|incorrect)\s*[,.!:;-]+\s*/i, '')
      .replace(/^(actually|wait|hold on|hmm+|ugh|ok(ay)?|so|and|also|again|please|pls|hey)\b[,.!:;\s-]*/i, '')
      .replace(/^(i said|i told you|as i said|like i said)[,:]?\s*/i, '')
      .replace(/^(you should|you need to|you must|make sure (to|you)|remember to|be sure to)\s+/i, '')
      .replace(/^(from now on|going forward|in (the )?future)[,:]?\s*/i, '')
      .replace(/^(you )?to (?=\w)/i, '');
  return sentence(t || text);
}

/**
 * An action as a person would type it, minus what differs per session: the tool name prefix goes
 * (`Bash npm test` → `npm test`), file paths and ids become placeholders, so the majority across
 * sessions is one command rather than N variants.
 */
export function generalAction(action: string | undefined, tool?: string): string | undefined {
  if (!action) return undefined;
  let a = action.split('\n')[0].trim();
  const name = /^(\S+)\s/.exec(a)?.[1];
  if (name && (name === tool || SHELL.test(name))) {
    a = a.slice(name.length).trim();
    // A shell line reads best as its commands: `git add .gitignore && git commit -m "…"` → `git add && git commit`.
    if (SHELL.test(name) || (tool && SHELL.test(tool))) {
      const words = commandWords(a);
      if (words) return clip(words, 90);
    }
  }
  a = a
    .replace(/(["'])(?:(?!\1).){1,80}\1/g, (m) => (/[\\/.]/.test(m) ? '<file>' : m))
    .replace(/(?:[A-Za-z]:)?(?:[\w.@~+-]*[\\/][\w.@~+-]+)+[\\/]?/g, (m) => (/^(https?:|\w+:\/\/)/.test(m) ? m : '<path>'))
    .replace(/\b[\w-]+\.(?:test|spec)\.\w+\b|\b[\w-]+\.(?:ts|tsx|js|jsx|py|rs|go|rb|java|json|md)\b/g, '<file>')
    .replace(/\b[0-9a-f]{7,40}\b/g, (m) => (/\d/.test(m) ? '<id>' : m))
    .replace(/\s+/g, ' ');
  return clip(a, 90) || undefined;
}

/** Error codes are what names an error: TS2307, E0382, ENOENT, ERR_MODULE_NOT_FOUND, EADDRINUSE. */
const ERROR_CODE = /\b(?:[A-Z]{1,4}\d{3,5}|E[A-Z]{3,}|ERR_[A-Z0-9_]+)\b/;
const ERRORISH = /\b\w*(?:Error|Exception)\b:|^(?:error|fatal|panic|FAIL)\b|\berror(?:\[\w+\])?:|ERR!/i;
/** `src/db.ts(3,20): `, `/a/b.py:12:3: `: where the error happened, which differs every time. */
const LOCATION = /^(?:[A-Za-z]:)?[\w.@~+\/\\-]+(?:\(\d+,\d+\)|:\d+(?::\d+)?)\s*:?\s*(?:-\s+)?/;

/**
 * The line of an error a person would quote, as it was written (redacted at import, never
 * normalized): the first line naming an error code or an error type (`ModuleNotFoundError: …`
 * rather than pytest's `ImportError while importing test module`), without its file location.
 */
export function errorHeadline(gist: string): string {
  const body = gist.split('\n')[0].trim().replace(/\s*\(exit code -?\d+\)$/, '');
  const lines = body.split(' — ').map((l) => l.trim()).filter(Boolean);
  const telling = lines.find((l) => ERROR_CODE.test(l) || ERRORISH.test(l));
  const line = telling ?? lines.slice(0, 2).join(' — ');
  const unlocated = line.replace(LOCATION, '');
  // "Error loading settings: Error loading from /a/b.yml: X() got an unexpected keyword 'k'": a
  // chain of wrappers; the innermost message says what was wrong.
  const chain = unlocated.split(/:\s+(?=[A-Z\w])/);
  const inner = unlocated.length > 100 && chain.length > 2 ? chain[chain.length - 1] : unlocated;
  return clip(inner.length >= 8 ? inner : unlocated.length >= 8 ? unlocated : line || body, 140);
}

/**
 * The command as typed when every session typed it alike, else its general form: a file or flag
 * value that happened to be in some failing calls is not part of the lesson.
 */
function render(cmds: Cmd[]): string {
  const raw = cmds[0].raw;
  if (cmds.every((c) => c.raw === raw)) return raw;
  const general = cmds[0].general;
  return cmds.every((c) => c.general === general) ? general : sharedWords(cmds.map((c) => c.general));
}

/**
 * The words every command shares, from the start (`pytest -k case0`, `pytest -k case1` → `pytest`):
 * a flag whose value differed goes with it.
 */
function sharedWords(commands: string[]): string {
  const split = commands.map((c) => c.match(/"[^"]*"|'[^']*'|\S+/g) ?? []);
  const out: string[] = [];
  // A quoted argument (a commit message, a name) is what one run said, never part of the routine.
  for (let i = 0; split.every((w) => w[i] !== undefined && w[i] === split[0][i]) && !/^["']/.test(split[0][i]); i++) out.push(split[0][i]);
  // A flag whose value differed goes with it; a flag every command ends on (`--follow-tags`) stays.
  while (out.length > 1 && /^-/.test(out[out.length - 1]) && split.every((w) => w.length > out.length)) out.pop();
  return out.join(' ') || majority(commands)!;
}

/**
 * The error as it read, with what differs between projects and runs (the project's name, versions,
 * paths, numbers) shown as "…" unless every occurrence agrees: one quote for every project.
 */
function quoteOf(heads: { head: string; agent: string }[], fallback: string): string {
  if (!heads.length) return fallback;
  if (heads.every((h) => h.head === heads[0].head)) return heads[0].head.replace(/\s*[-:]?\s*b?'?(?:\[\{|\{").*$/, '') || heads[0].head;
  const forms = heads.map((h) => abstractText(h.head, { project: projectOfAgent(h.agent) }));
  const form = majority(forms.map((f) => f.form))!;
  // A quote is text as it was written: no code marks added; a provider's JSON body is not the error.
  return clip(fillForm(form, forms.filter((f) => f.form === form).map((f) => f.slots), '…', true).replace(/\s*[-:]?\s*b?'?(?:\[\{|\{").*$/, ''), 140);
}

/** `… fails with "… declarations.".` reads `… fails with "… declarations."`. */
const ending = (w: { title: string; text: string }) => ({ title: w.title, text: w.text.replace(/([.!?])"\.$/, '$1"') });

function errorWording(p: Pattern): { title: string; text: string } {
  const obs = p.sample;
  if (p.key === AIDER_CHAT_COMMAND) {
    const example = majority(obs.map((o) => o.x.replace(/^Typed as a chat message: /, '').split(' ').slice(0, 3).join(' ')));
    return {
      title: 'Run shell commands in aider with `!command` or `/run command`',
      text: `In aider, run shell commands with \`!command\` (or \`/run command\`): typed as a chat message (like \`${example}\`) they go to the model, which only answers about them.`,
    };
  }
  const tool = majority(obs.map((o) => o.tool)) ?? 'a tool';
  // Quoted as it read: the wording seen most often among the occurrences that normalize alike.
  // A recurring error reads alike in most of its sessions (thousands, at a year of logs): each wording is read and normalized once.
  const headOf = new Map<string, string>();
  const heads = obs.map((o) => headOf.get(o.x) ?? headOf.set(o.x, errorHeadline(o.x)).get(o.x)!);
  const signatureOf = new Map<string, string>();
  const signatures = heads.map((h) => signatureOf.get(h) ?? signatureOf.set(h, errorSignature(h)).get(h)!);
  const common = majority(signatures);
  const gist = quoteOf(obs.flatMap((o, i) => (signatures[i] === common ? [{ head: heads[i]!, agent: o.a }] : [])), p.key);
  if (!SHELL.test(tool)) {
    const fix = majority(obs.map((o) => generalAction(o.f, tool)));
    const call = majority(obs.map((o) => generalAction(o.c, tool)));
    if (fix && call && fix !== call) return { title: clip(`Run ${code(fix)} before ${code(call)}`, 90), text: `Run ${code(fix)} before ${code(call)}: otherwise it fails with "${gist}".` };
    if (fix && !call) return { title: clip(`When ${tool} fails, ${fix}`, 90), text: `When ${tool} fails with "${gist}", do what worked before: ${code(fix)}.` };
    if (!call && /\|the model provider rejected the call$/.test(p.key)) {
      return { title: clip(`Check ${tool}'s model and provider setup before a session`, 90), text: `Model calls from ${tool} fail before any answer (for example "${gist}") ${NO_FIX}` };
    }
    // The agent's own run failed (no call of it did): its setup is what to check.
    if (!call && obs.every((o) => o.a.startsWith(`${tool}:`) || o.a === tool)) {
      // The quote is shortened on its own, so the title never ends inside an open quote.
      return { title: `Check ${tool}'s setup: it keeps failing with "${clip(gist, 50)}"`, text: `${tool} fails with "${gist}" ${NO_FIX}` };
    }
    return { title: clip(`Check why ${call ? code(call) : tool} fails before retrying it`, 90), text: `${call ? code(call) : tool} fails with "${gist}" ${NO_FIX}` };
  }
  const shapes = obs.filter((o) => o.c).map((o) => fixShape(shellCommandOf(o.c!, tool), shellFixOf(o.f, tool)));
  // The calls already share their error; what they must agree on is what changed (the fix), not
  // the arguments each failing call happened to have.
  const keyOf = (s: FixShape) => [s.kind, s.fix ? programOf(s.fix.general.split(' && ')[0]) : '', s.flags ?? ''].join('\u0000');
  // A fix is what sessions agree on: a next step seen once is a coincidence, not the fix.
  const fixed = shapes.filter((s) => s.kind !== 'none');
  const best = majority(fixed.map(keyOf));
  const agreed = best !== undefined && (fixed.filter((s) => keyOf(s) === best).length >= 2 || obs.length === 1) ? fixed.filter((s) => keyOf(s) === best) : [];
  if (!agreed.length) {
    const call = shapes.length ? render(shapes.map((s) => s.call)) : undefined;
    return {
      title: clip(`Check why ${call ? code(call) : tool} fails before retrying it`, 90),
      text: `${call ? code(call) : tool} fails with "${gist}" ${NO_FIX}`,
    };
  }
  const { kind, flags } = agreed[0];
  const call = render(agreed.map((s) => s.call));
  const fix = kind === 'replace' || kind === 'prerequisite' ? render(agreed.map((s) => s.fix!)) : '';
  if (kind === 'prerequisite') return { title: clip(`Run ${code(fix)} before ${code(call)}`, 90), text: `Run ${code(fix)} before ${code(call)}: otherwise it fails with "${gist}".` };
  if (kind === 'add-flags') return { title: clip(`Add ${code(flags!)} to ${code(call)}`, 90), text: `Add ${code(flags!)} to ${code(call)}: without it, it fails with "${gist}".` };
  if (kind === 'drop-flags') return { title: clip(`Drop ${code(flags!)} from ${code(call)}`, 90), text: `Drop ${code(flags!)} from ${code(call)}: with it, it fails with "${gist}".` };
  // `python -m pytest tests/` wraps `pytest tests/`: what fails is the plain program.
  const plain = ` ${fix} `.includes(` ${call} `) ? `plain ${code(agreed[0].call.general)}` : code(call);
  return { title: clip(`Use ${code(fix)} instead of ${code(call)}`, 90), text: `Use ${code(fix)} instead of ${code(call)}: ${plain} fails with "${gist}".` };
}

/** The fix as a shell command, or nothing when it was another tool (an edit is not a command to run). */
function shellFixOf(fix: string | undefined, tool: string): string | undefined {
  if (!fix) return undefined;
  const name = /^(\S+)\s/.exec(fix.trim())?.[1];
  return name && (name === tool || SHELL.test(name)) ? shellCommandOf(fix, tool) : undefined;
}

export function wordingOf(p: Pattern): { title: string; text: string } {
  if (p.family === 'error') return ending(errorWording(p));
  if (p.family === 'workflow') {
    const steps = workflowSteps(p);
    return { title: clip(`Workflow: ${steps.join(' → ')}`, 90), text: `Follow the routine that worked before, in this order: ${steps.join(' → ')}.` };
  }
  const text = imperative(clip(userWording(p), 240));
  return { title: clip(text.replace(/[.!]$/, ''), 80), text };
}

/**
 * A routine's steps as a person would say them: `pnpm build`, `edit \`schema.prisma\`` when every
 * session edited that same file, `edit a .ts file` when the file varied.
 */
function workflowSteps(p: Pattern): string[] {
  const steps = p.key.slice(p.key.indexOf('|') + 1).split(' → ');
  const targets = p.sample.map((o) => o.x.split(' → '));
  return steps.map((step, i) => {
    const at = targets.map((t) => t[i] ?? '');
    const same = at[0] && at.every((t) => t === at[0]) ? at[0] : undefined;
    // A command as every session typed it, as far as they agree (`git push --follow-tags`,
    // `alembic revision --autogenerate`), never less than the step itself.
    if (step.startsWith('run ')) {
      const typed = at.every(Boolean) ? sharedWords(at.map((t) => t.replace(/\s+/g, ' '))) : '';
      return code(typed.length > step.length - 4 && typed.startsWith(step.slice(4).split(' ')[0]) ? typed : step.slice(4));
    }
    if (step.startsWith('edit ')) {
      // Files every session edited at this step are named (`src/routes/index.ts`); the others vary.
      const sets = at.map((t) => new Set(t.split(' + ').filter(Boolean)));
      const always = [...(sets[0] ?? [])].filter((f) => sets.every((s) => s.has(f)));
      if (always.length) return `edit ${always.slice(0, 2).map(code).join(' and ')}${sets.some((s) => s.size > always.length) ? ' (and the file the task is about)' : ''}`;
      if (same) return `edit ${code(same)}`;
      const ext = /^edit \*\.(\w+)$/.exec(step)?.[1];
      return ext ? `edit a .${ext} file` : 'edit the files';
    }
    return step;
  });
}


/**
 * What the user keeps saying, in the words they use most, with what varies said generally: the
 * form most sessions share (`Do NOT touch <path>`), naming a value only when every session agrees.
 */
function userWording(p: Pattern): string {
  const obs = p.sample;
  const forms = obs.map((o) => abstractText(o.x, { project: projectOfAgent(o.a) }));
  if (p.keys.some((k) => / ?scope:edit\b/.test(k))) return scopeWording(forms);
  const form = centralForm(forms.map((f) => f.form));
  if (!form) return majority(obs.map((o) => o.x)) ?? p.key;
  return fillForm(form, forms.filter((f) => f.form === form).map((f) => f.slots));
}

/**
 * The wording that says the most of what all sessions said: the form whose canonical words overlap
 * the others' most (not merely the most frequent one), preferring one that says what to do ("we
 * use pnpm, not npm") over one that only says what not to ("never npm or yarn") when a quarter of
 * the sessions said it that way. Ties go to the most frequent, then the shorter.
 */
function centralForm(forms: string[]): string | undefined {
  if (!forms.length) return undefined;
  const tokens = new Map(forms.map((f) => [f, new Set(canonicalTokens(f).filter((t) => !t.startsWith('~')))]));
  const positive = (f: string) => [...tokens.get(f)!].some((t) => !t.startsWith('!') && !t.includes(':'));
  const sayDo = forms.filter(positive).length >= forms.length / 4;
  const jaccard = (a: Set<string>, b: Set<string>) => {
    const shared = [...a].filter((t) => b.has(t)).length;
    return shared / Math.max(1, new Set([...a, ...b]).size);
  };
  const count = (f: string) => forms.filter((x) => x === f).length;
  const score = (f: string) => forms.reduce((s, o) => s + jaccard(tokens.get(f)!, tokens.get(o)!), 0);
  return [...new Set(forms)].sort((a, b) =>
    Number(sayDo && positive(b)) - Number(sayDo && positive(a)) || score(b) - score(a) || count(b) - count(a) || a.length - b.length || a.localeCompare(b))[0];
}

/**
 * "Do NOT touch models.py", "only edit app.py", "no other changes": one rule about the scope of
 * edits. It names the file when every session protects (or targets) the same one.
 */
function scopeWording(forms: Abstracted[]): string {
  const constant = (pick: (f: Abstracted) => string | undefined) => {
    const values = forms.map(pick);
    return values[0] && values.every((v) => v === values[0]) ? values[0] : undefined;
  };
  const pathAt = (f: Abstracted, re: RegExp) => {
    const m = re.exec(f.form);
    if (!m) return undefined;
    const index = (f.form.slice(0, m.index + m[0].length).match(/<path>/g) ?? []).length - 1;
    return f.slots.filter((s) => s.type === 'path')[index]?.value;
  };
  const target = constant((f) => pathAt(f, /\b(?:only|just)\s+(?:\w+\s+){0,3}?<path>/i));
  const kept = constant((f) => pathAt(f, /(?:\bnot|n't|\bnever|\bno)\s+(?:\w+\s+){0,3}?<path>/i));
  if (kept) return `Never touch \`${kept}\`; change only the files the task is about.`;
  if (target) return `Only edit \`${target}\`; leave other files untouched.`;
  return 'Only change the files you are asked to; leave other files untouched and make no unrelated changes.';
}
