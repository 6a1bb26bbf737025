// Small, explainable text analysis for statements ("Never edit generated files", "no, use pnpm"):
// which content terms a statement is about, whether it says do or don't, and which of a few
// well-known mutually exclusive alternatives (npm/pnpm/yarn, pip/poetry/uv, …) it prefers or rejects.
// Seeding (does evidence agree with a seeded practice?), rule tracking (does a correction address a
// hand-written rule?) and contradiction checks all use these, so one rule explains all three.

const STOP = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'than', 'so', 'to', 'of', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'into', 'onto',
  'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did',
  'done', 'have', 'has', 'had', 'i', 'you', 'we', 'they', 'he', 'she', 'me', 'us', 'my', 'your', 'our', 'their', 'please', 'just', 'also', 'again',
  'always', 'never', 'not', 'no', 'dont', 'don', 't', 's', 'should', 'shouldn', 'must', 'can', 'cannot', 'could', 'would', 'will', 'wont', 'won',
  'use', 'using', 'used', 'make', 'sure', 'instead', 'rather', 'avoid', 'prefer', 'before', 'after', 'every', 'each', 'any', 'all', 'when', 'what',
  'which', 'who', 'why', 'how', 'only', 'very', 'too', 'more', 'most', 'some', 'such', 'like', 'need', 'needs', 'want', 'let', 'lets', 'get', 'got',
  'ok', 'okay', 'yes', 'yeah', 'nope', 'stop', 'actually', 'thing', 'things', 'way', 'one', 'ones', 'new', 'now', 'first', 'time', 'try', 'keep',
  'remember', 'future', 'from', 'ever', 'anything', 'something', 'everything', 'able', 'via', 'per', 'etc', 'e', 'g', 'ie', 'eg', 'wrong', 'right',
  'good', 'bad', 'properly', 'correctly', 'carefully', 'appropriate', 'appropriately', 'code', 'work', 'working', 'works', 'fine',
]);

/** Tokens that name a tool, command or ecosystem: one shared mention of these is already meaningful. */
export const TOOL_TERMS = new Set([
  'npm', 'pnpm', 'yarn', 'bun', 'npx', 'node', 'deno', 'tsc', 'typescript', 'eslint', 'prettier', 'biome', 'jest', 'vitest', 'mocha', 'playwright',
  'pip', 'pipenv', 'poetry', 'uv', 'conda', 'venv', 'virtualenv', 'python', 'pytest', 'mypy', 'ruff', 'black', 'flake8', 'isort', 'tox',
  'git', 'rebase', 'merge', 'commit', 'push', 'amend', 'stash', 'cherry', 'squash', 'lint', 'linter', 'docker', 'cargo', 'make', 'go',
  'lockfile', 'migration', 'migrations', 'sudo', 'rm', 'curl', 'env', 'secret', 'secrets', 'tabs', 'spaces',
]);

/** Mutually exclusive choices: preferring one member of a group contradicts preferring another. */
export const ALTERNATIVES: string[][] = [
  ['npm', 'pnpm', 'yarn', 'bun'],
  ['pip', 'poetry', 'uv', 'pipenv', 'conda'],
  ['jest', 'vitest', 'mocha'],
  ['eslint', 'biome'],
  ['black', 'ruff'],
  ['tabs', 'spaces'],
  ['rebase', 'merge'],
];

/** Crude stemming, enough to make "tests"/"test", "committing"/"commit", "edited"/"edit" equal. */
export function stem(word: string): string {
  if (TOOL_TERMS.has(word) || word.length <= 4) return word;
  for (const [suffix, min] of [['ies', 5], ['ing', 6], ['ed', 5], ['es', 5], ['s', 4]] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= min - suffix.length && !word.endsWith('ss')) {
      const base = word.slice(0, -suffix.length);
      if (suffix === 'ies') return `${base}y`;
      // "committing" → "committ" → "commit": undo the doubled consonant.
      return /([bdgklmnprt])\1$/.test(base) ? base.slice(0, -1) : base;
    }
  }
  return word;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9_+#.-]+/)
    .map((w) => w.replace(/^[.-]+|[.-]+$/g, ''))
    .filter(Boolean);
}

// Progress compares every lesson with every spoken signal: the same texts are split again and
// again, so their terms are remembered (bounded, and callers never mutate the arrays).
const termCache = new Map<string, readonly string[]>();

/** The content terms of a statement (stemmed, stop words dropped), in first-seen order. */
export function terms(text: string): string[] {
  const hit = termCache.get(text);
  if (hit) return hit as string[];
  if (termCache.size > 50_000) termCache.clear();
  const out = splitTerms(text);
  termCache.set(text, out);
  return out;
}

function splitTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP.has(w) || w.length < 2 || /^\d+$/.test(w)) continue;
    const s = stem(w);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export type Polarity = 'do' | 'dont';

const NEGATIVE = /^\s*(?:[-*•]\s*)?(?:\*\*[^*]+\*\*:?\s*)?(?:no[,.!]?\s|nope\b|never\b|don'?t\b|do not\b|avoid\b|stop\b|please don'?t\b|you shouldn'?t\b|should not\b|must not\b|not\b)/i;

/** Do or don't: read from how the statement opens ("Never …", "Don't …", "no, …" → don't). */
export function polarity(text: string): Polarity {
  const first = text.split(/[.;!\n]/)[0] ?? text;
  if (NEGATIVE.test(first)) {
    // "no, use pnpm" / "No — run X instead": a correction that goes on to say what to do is a "do".
    if (/^\s*(no|nope)\b[,.!—–-]*\s*(use|run|prefer|always|call|try|do)\b/i.test(first)) return 'do';
    return 'dont';
  }
  return 'do';
}

export interface Choices { preferred: Set<string>; rejected: Set<string> }

/**
 * Which alternatives a statement prefers and which it rejects. A member is rejected when a
 * negation comes within the four words before it ("not npm", "instead of npm", "never use npm",
 * "prefer pnpm over npm"); any other mention counts as preferred.
 */
export function choices(text: string): Choices {
  // "no, use pnpm": the leading "no," answers the agent; it does not negate what follows.
  const ws = words(text.replace(/^\s*(?:no|nope|nah)\s*[,.!—–-]+\s*/i, ''));
  const preferred = new Set<string>();
  const rejected = new Set<string>();
  const all = new Set(ALTERNATIVES.flat());
  ws.forEach((w, i) => {
    if (!all.has(w)) return;
    const before = ws.slice(Math.max(0, i - 4), i).join(' ');
    if (/\b(not|no|never|dont|avoid|without|instead of|rather than|over)\b/.test(before)) rejected.add(w);
    else preferred.add(w);
  });
  // "use pnpm, not npm" prefers pnpm; a term both preferred and rejected is treated as rejected.
  for (const w of rejected) preferred.delete(w);
  return { preferred, rejected };
}

export interface Relation {
  /** Shared content terms: what the two statements are both about. */
  shared: string[];
  /** shared / the smaller statement's term count. */
  overlap: number;
}

export function relation(a: string, b: string): Relation {
  const ta = terms(a);
  const tb = new Set(terms(b));
  const shared = ta.filter((t) => tb.has(t));
  return { shared, overlap: shared.length / Math.max(1, Math.min(ta.length, tb.size)) };
}

/**
 * Whether statement `b` is about what statement `a` says: at least two shared content terms that
 * are a third of the smaller statement, or one shared tool name when `a` is short (≤ 3 terms).
 */
export function relates(a: string, b: string): Relation | null {
  const r = relation(a, b);
  if (r.shared.length >= 2 && r.overlap >= 0.34) return r;
  if (r.shared.length === 1 && TOOL_TERMS.has(r.shared[0]) && terms(a).length <= 3) return r;
  return null;
}

/**
 * Why two statements contradict each other, or null. Two rules, both explainable in one line:
 * they prefer different members of one group of alternatives (or one prefers what the other
 * rejects), or they are about the same thing (≥ 60 % shared terms) and one says do, the other don't.
 */
export function contradiction(a: string, b: string): string | null {
  const ca = choices(a);
  const cb = choices(b);
  for (const group of ALTERNATIVES) {
    const pa = group.filter((g) => ca.preferred.has(g));
    const pb = group.filter((g) => cb.preferred.has(g));
    if (pa.length && pb.length && !pa.some((x) => pb.includes(x))) return `one says ${pa.join('/')}, the other ${pb.join('/')}`;
    const aRejectsB = pb.find((g) => ca.rejected.has(g));
    if (aRejectsB) return `one rejects ${aRejectsB}, the other asks for it`;
    const bRejectsA = pa.find((g) => cb.rejected.has(g));
    if (bRejectsA) return `one asks for ${bRejectsA}, the other rejects it`;
  }
  const r = relation(a, b);
  if (r.shared.length >= 2 && r.overlap >= 0.6 && polarity(a) !== polarity(b)) {
    return `one says to ${r.shared.join(' ')}, the other says not to`;
  }
  return null;
}
