// Abstraction before counting: the parts of a text that differ from one session to the next
// (paths, identifiers, versions, numbers, package and project names, urls, hashes) become typed
// placeholders, so "Do NOT touch models.py" and "do not touch src/views.py" are one *form*,
// `Do NOT touch <path>`, that can recur. The concrete values are kept beside the form (slots), so a
// lesson can still say what the evidence shows: the file's name when it is always the same one.

export type SlotType = 'url' | 'hash' | 'version' | 'pkg' | 'path' | 'id' | 'project' | 'n';
export interface Slot { type: SlotType; value: string }
export interface Abstracted { form: string; slots: Slot[] }

/** What a session knows about where it ran: its project's folder name is a value, not a word. */
export interface AbstractContext { project?: string | null }

const FILE_EXT = 'ts|tsx|js|jsx|mjs|cjs|py|pyi|rs|go|java|kt|rb|php|cs|cpp|cc|c|h|hpp|swift|m|scala|ex|exs|erl|clj|lua|sh|bash|zsh|ps1|json|jsonc|yaml|yml|toml|ini|cfg|conf|env|lock|md|mdx|rst|txt|csv|tsv|xml|html|htm|css|scss|sass|less|vue|svelte|sql|prisma|graphql|gql|proto|ipynb|dockerfile|gradle|tf|vim|el';

// Order matters: a url contains a path, a path may contain a version, a version contains numbers.
const RULES: { type: SlotType; re: RegExp }[] = [
  { type: 'url', re: /\b(?:https?|wss?|file|git|ssh):\/\/[^\s'"`<>)\]]+/gi },
  { type: 'hash', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b0x[0-9a-f]{4,}\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi },
  // `@scope/name` and `name@1.2.3`: a package (with its version when pinned).
  { type: 'pkg', re: /(?<![\w/])@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*(?:@[\w.^~<>=*-]+)?|\b[a-z][\w.-]*@(?:\^|~)?v?\d+(?:\.\d+){0,3}(?:-[\w.]+)?\b/gi },
  { type: 'version', re: /(?<![\w.])v?\d+\.\d+(?:\.\d+){0,2}(?:-[a-z0-9.]+)?(?![\w.]*[a-z])\b/gi },
  // Anything with a slash between words, or a file name with a known extension (with a location).
  { type: 'path', re: new RegExp(String.raw`(?:[A-Za-z]:)?(?:~|\.{1,2})?[\\/]?(?:[\w.@+-]+[\\/])+[\w.@+-]*(?:\(\d+,\d+\)|:\d+(?::\d+)?)?|(?<![\w/])[\w.+-]*\.(?:${FILE_EXT})\b(?::\d+(?::\d+)?)?|\b(?:Dockerfile|Makefile|Procfile|Gemfile|Rakefile|Justfile)\b`, 'g') },
  // Code-shaped names: camelCase, PascalCase with an inner capital, snake_case, calls, backticked code.
  { type: 'id', re: /`(?=[^`\n]*[^a-z\s`-])[^`\n]{1,60}`|\b[a-z]+(?:[A-Z][a-z0-9]*)+\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[A-Za-z_]\w*\(\)/g },
  { type: 'n', re: /(?<![\w<])\d+(?:[.,]\d+)*(?![\w>])/g },
];

const COMMON_DIRS = /^(?:src|lib|libs|app|apps|test|tests|spec|docs|doc|packages|components|scripts|bin|config|public|pages|api|server|client|web|internal|cmd|pkg|dist|build|assets|styles|utils|models|views|routes|static|templates|migrations|crates|modules|tools|examples|data)$/i;

/**
 * Text typed in capitals (shouting, or caps lock: "dON'T USE NPM") is read in lower case, so its
 * words are words, not code names. Mixed text keeps its case: `getUserById` stays a name.
 */
export function unshout(text: string): string {
  const upper = (text.match(/\p{Lu}/gu) ?? []).length;
  const lower = (text.match(/\p{Ll}/gu) ?? []).length;
  return upper > 4 && upper > 2 * lower ? text.toLowerCase() : text;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The project an agent works in (`claude-code:/home/me/shop` → `/home/me/shop`). */
export const projectOfAgent = (agentId: string): string | null => (agentId.includes(':') ? agentId.slice(agentId.indexOf(':') + 1) : null);

/**
 * The project's folder name as a whole word, where it varies like a path: in `shop@1.2.0` or "Compiling
 * shop". Not when the name is too short or a common word (`src`, `app`, `code`), which would eat text.
 */
export function projectPattern(project: string | null | undefined): RegExp | undefined {
  const name = project?.replace(/[\\/]+$/, '').split(/[\\/]/).pop();
  return name && name.length >= 3 && !/^(src|app|code|repo|work|home|tmp|dev)$/i.test(name) ? new RegExp(`(?<![\\w/.-])${escape(name)}(?![\\w-])`, 'gi') : undefined;
}

/** Replaces what varies with `<type>` placeholders and keeps the values, in order of appearance. */
export function abstractText(text: string, ctx: AbstractContext = {}): Abstracted {
  const found: { at: number; slot: Slot }[] = [];
  let form = unshout(text);
  const project = projectPattern(ctx.project);
  const rules = project ? [{ type: 'project' as const, re: project }, ...RULES] : RULES;
  for (const { type, re } of rules) {
    form = form.replace(re, (m: string, ...rest: unknown[]) => {
      // A placeholder already put in is not a value (`<path>` must not become `<<id>>`).
      if (/^`?<\w+>`?$/.test(m)) return m;
      // `npm/yarn`, `and/or`, `tabs/spaces`: alternatives, not a path (unless a usual folder name leads).
      if (type === 'path' && /^[A-Za-z]+\/[A-Za-z]+$/.test(m) && !COMMON_DIRS.test(m.split('/')[0])) return m;
      const at = rest.find((x) => typeof x === 'number') as number;
      found.push({ at, slot: { type, value: m.replace(/^`|`$/g, '') } });
      return `<${type}>`;
    });
  }
  return { form: form.replace(/\s+/g, ' ').trim(), slots: found.map((f) => f.slot) };
}

/** The form only. */
export const abstractForm = (text: string, ctx?: AbstractContext) => abstractText(text, ctx).form;

/** Words a placeholder reads as in a lesson when its value differs from session to session. */
const GENERIC: Record<SlotType, string> = {
  url: 'the URL', hash: 'the id', version: 'the version', pkg: 'the package', path: 'other files', id: 'the named code', project: 'the project', n: 'N',
};

/**
 * Fills a form's placeholders from the values seen across sessions: a value every session agrees
 * on is named (in backticks for code-shaped ones); one that varies reads generically.
 */
export function fillForm(form: string, valuesPerSession: Slot[][], varying?: string, plain = false): string {
  const counters = new Map<SlotType, number>();
  return form.replace(/<(url|hash|version|pkg|path|id|project|n)>/g, (_, type: SlotType) => {
    const k = counters.get(type) ?? 0;
    counters.set(type, k + 1);
    const values = valuesPerSession.map((slots) => slots.filter((s) => s.type === type)[k]?.value);
    const first = values[0];
    if (first !== undefined && values.every((v) => v === first)) return plain || type === 'n' || type === 'project' ? first : `\`${first}\``;
    return varying ?? GENERIC[type];
  });
}
