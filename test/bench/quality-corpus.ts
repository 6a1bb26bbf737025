// An independent quality corpus (issue 13): a seeded, multi-agent set of sessions in the REAL file
// formats (Claude Code JSONL, Codex CLI rollouts, one ChatGPT conversations.json), with planted
// patterns and the ground truth a correct set of lessons must match. Written without looking at the
// engine or at the project's own bench generator: the patterns, wording, noise and traps come from
// the formats' documentation, real sample files and real phrasing (quality-phrasings.ts).
//
// Every session opens with a task request; noise uses the same tools and commands as the patterns
// (the same test runner failing one-off, the same package manager running other scripts, edits of
// other files) plus traps: package-manager banners before the failing line, test-runner progress
// lines, pasted stack traces and code in user messages, one-word tool confirmations.
import { prng } from '../helpers/prng';
import { PREFERENCE_PHRASINGS, TASK_OPENERS, TASK_OPENER_PATTERN, TASKS, WORKFLOW_TASKS } from './quality-phrasings';
import { writeSessions, type PlannedSession, type Step, type Tool } from './quality-formats';

export type PatternKind = 'mistake' | 'preference' | 'workflow';

/** A text rule a lesson must not break; `where` says whether it applies to the title only. */
export interface ForbiddenRule {
  name: string;
  /** Regular expression source, matched case-insensitively. */
  pattern: string;
  where: 'title' | 'any';
  /** The failure class of issue 13 it belongs to (4 banner quote, 6 raw text/placeholder). */
  failureClass: 4 | 6;
}

export interface PlantedPattern {
  id: string;
  kind: PatternKind;
  /** What a person would write as the lesson. */
  summary: string;
  /** Store session ids (what lesson evidence points at) of every session it was planted in. */
  sessions: string[];
  agents: string[];
  projects: string[];
  /** Every group must be matched by one of its alternatives (case-insensitive substrings of title + text). */
  markers: string[][];
  /** Substrings a correct lesson must not contain: per-call arguments, banner lines, varying names. */
  forbidden: string[];
  /** Planted in one agent only: the lesson must be active and scoped to exactly this agent. */
  oneAgent?: string;
  /** Preferences: the phrasing texts (templates) used, each at least once. */
  phrasingsUsed?: string[];
  /** Mistakes: the line that says what failed, per project (the test checks it was written). */
  failingLines?: string[];
}

export interface QualityTruth {
  seed: number;
  sessions: number;
  /** Every session written: store id → agent id. */
  sessionAgents: Record<string, string>;
  agents: string[];
  patterns: PlantedPattern[];
  /** Rules for every lesson (placeholders, progress/log lines as titles, package banners). */
  forbidden: ForbiddenRule[];
  /** Regular expression source recognizing a session-opening task request. */
  taskOpener: string;
  /** Every task the openers ask for: a lesson quoting one learned a task request. */
  taskBodies: string[];
}

export interface QualityCorpusOptions {
  seed: number;
  /** Total sessions across all agents (default 2,000). */
  sessions?: number;
}

// ── Projects and agents ──────────────────────────────────────────────────────────────────────
type Lang = 'node' | 'python' | 'go' | 'rust';
interface Project {
  key: string;
  path: string;
  lang: Lang;
  /** The package name its package manager banner prints, and its version line. */
  pkg: string;
  version: [number, number, number];
  files: string[];
  branches: string[];
}

const P = (key: string, path: string, lang: Lang, version: [number, number, number], files: string[], branches: string[]): Project => ({ key, path, lang, pkg: key, version, files, branches });

const PROJECTS: Record<string, Project> = {
  shop: P('shop', '/home/dev/src/shop', 'node', [1, 4, 2], ['src/cart.ts', 'src/orders.ts', 'src/checkout/payment.ts', 'src/lib/money.ts', 'src/api/products.ts', 'src/components/CartSummary.tsx'], ['feat/cart-coupons', 'fix/order-totals', 'feat/gift-cards', 'chore/bump-vitest', 'fix/rounding']),
  billing: P('billing', '/home/dev/src/billing', 'node', [0, 12, 5], ['src/invoices.ts', 'src/tax/rates.ts', 'src/stripe/webhooks.ts', 'src/pdf/render.ts', 'src/lib/dates.ts'], ['feat/credit-notes', 'fix/vat-rounding', 'feat/dunning', 'fix/webhook-retry']),
  webapp: P('webapp', '/home/dev/src/webapp', 'node', [0, 9, 3], ['src/pages/Settings.tsx', 'src/hooks/useSearch.ts', 'src/lib/http.ts', 'src/components/Table.tsx', 'src/store/session.ts', 'src/routes/users.ts', 'src/routes/index.ts'], ['feat/search-v2', 'fix/table-sort', 'feat/dark-mode', 'fix/login-redirect']),
  admin: P('admin-portal', '/home/dev/work/admin-portal', 'node', [3, 1, 0], ['app/users/page.tsx', 'app/api/audit/route.ts', 'lib/permissions.ts', 'lib/db.ts', 'components/RoleBadge.tsx'], ['feat/audit-log', 'fix/role-check', 'feat/bulk-invite', 'fix/session-expiry']),
  docs: P('docs-site', '/home/dev/src/docs-site', 'node', [2, 0, 1], ['docs/getting-started.md', 'src/theme/Footer.tsx', 'docusaurus.config.ts', 'docs/api/auth.md'], ['docs/quickstart', 'fix/broken-links']),
  etl: P('etl', '/home/dev/src/etl', 'python', [0, 7, 0], ['etl/loader.py', 'etl/dedupe.py', 'etl/models.py', 'etl/s3.py', 'tests/test_loader.py'], ['feat/batch-size', 'fix/tz-nightly']),
  mltools: P('ml-tools', '/home/dev/src/ml-tools', 'python', [0, 3, 2], ['mltools/features.py', 'mltools/train.py', 'mltools/io.py', 'tests/test_features.py'], ['feat/feature-store', 'fix/seed']),
  ingest: P('ingest', '/home/dev/src/ingest', 'go', [1, 2, 0], ['internal/queue/consumer.go', 'internal/store/offsets.go', 'cmd/ingest/main.go', 'internal/http/handler.go'], ['feat/metrics', 'fix/shutdown-race']),
  clirs: P('cli-rs', '/home/dev/src/cli-rs', 'rust', [0, 5, 1], ['src/main.rs', 'src/args.rs', 'src/walk.rs', 'src/output.rs'], ['feat/json-output', 'fix/empty-config']),
};

interface AgentDef { id: string; tool: Tool; project: Project | null; weight: number }
const A = (tool: Tool, project: Project | null, weight: number): AgentDef => ({ id: project ? `${tool}:${project.path}` : tool, tool, project, weight });
const AGENTS: AgentDef[] = [
  A('claude-code', PROJECTS.shop, 130), A('claude-code', PROJECTS.billing, 100), A('claude-code', PROJECTS.webapp, 130),
  A('claude-code', PROJECTS.docs, 60), A('claude-code', PROJECTS.mltools, 60), A('claude-code', PROJECTS.clirs, 60),
  A('claude-code', PROJECTS.etl, 50),
  A('codex', PROJECTS.admin, 100), A('codex', PROJECTS.etl, 80), A('codex', PROJECTS.ingest, 90), A('codex', PROJECTS.clirs, 50),
  A('chatgpt', null, 90),
];
const agentOf = (tool: Tool, key: string): string => AGENTS.find((a) => a.tool === tool && a.project?.key === key)!.id;

/** Rules every lesson must keep (failure classes 4 and 6 of issue 13). */
const GLOBAL_FORBIDDEN: ForbiddenRule[] = [
  { name: 'package-manager banner', pattern: String.raw`>\s*[\w@/.-]+@\d+\.\d+\.\d+\s+[\w:-]+`, where: 'any', failureClass: 4 },
  { name: 'script echo line', pattern: String.raw`>\s*(vitest run|openapi-ts|jest)\b`, where: 'any', failureClass: 4 },
  { name: 'test-runner header', pattern: String.raw`\bRUN\s+v\d+\.\d+`, where: 'any', failureClass: 4 },
  { name: 'raw placeholder', pattern: String.raw`<(path|file|n|num|number|id|hash|url|version|ver|pkg|package|name|project|str|string|var|value|branch|cmd|command|arg|args|x)>`, where: 'any', failureClass: 6 },
  { name: 'test-runner progress line', pattern: String.raw`(✓|❯|⎯|\(\d+ tests?\)|Test Files\s+\d|Tests\s+\d+ passed|\[\s*\d+%\])`, where: 'any', failureClass: 6 },
  { name: 'log line as title', pattern: String.raw`^\s*(Exit code|Error:|npm error|npm ERR!|fatal:|FAIL\b|Traceback|make: \*\*\*|bash: |/bin/sh|go: |internal/|\S+ fails:)`, where: 'title', failureClass: 6 },
];

// ── Small deterministic helpers ──────────────────────────────────────────────────────────────
type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
function shuffle<T>(r: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
function uuid(r: Rng): string {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const hex = (r: Rng, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const fill = (t: string, v: Record<string, string>): string => t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? `{${k}}`);
/** The project's version at session `i` of `n`: it moves on over the corpus, as real projects do. */
const versionAt = (p: Project, i: number, n: number): string => `${p.version[0]}.${p.version[1] + Math.floor((4 * i) / n)}.${p.version[2] + (i % 3)}`;

// ── Output text of the tools (shared by patterns and noise) ──────────────────────────────────
const RUNNER: Record<string, string> = { test: 'vitest run', 'test:api': 'vitest run tests/api', 'gen:openapi': 'openapi-ts -i src/routes -o openapi.json', lint: 'eslint .', build: 'tsc -b && vite build' };
const banner = (p: Project, v: string, script: string): string => `\n> ${p.pkg}@${v} ${script}\n> ${RUNNER[script] ?? script}\n`;
function vitestPass(r: Rng, p: Project, tests: string[]): string {
  const lines = tests.map((t) => ` ✓ ${t} (${int(r, 2, 30)} tests) ${int(r, 4, 90)}ms`);
  const total = int(r, 40, 140);
  return `\n RUN  v2.1.8 ${p.path}\n\n${lines.join('\n')}\n\n Test Files  ${tests.length} passed (${tests.length})\n      Tests  ${total} passed (${total})\n   Start at  ${int(r, 10, 17)}:${int(r, 10, 59)}:0${int(r, 1, 9)}\n   Duration  ${int(r, 1, 4)}.${int(r, 10, 99)}s\n`;
}
const testFiles = (p: Project): string[] => p.files.filter((f) => /\.(ts|tsx)$/.test(f)).map((f) => f.replace(/\.(tsx?)$/, '.test.$1'));

function noisePool(r: Rng, p: Project, v: string): Step[][] {
  const file = pick(r, p.files);
  const other = pick(r, p.files);
  const assign = { node: (x: number) => `const limit = ${x};`, python: (x: number) => `LIMIT = ${x}`, go: (x: number) => `const limit = ${x}`, rust: (x: number) => `const LIMIT: usize = ${x};` }[p.lang];
  const edit: Step = { kind: 'edit', file: `${p.path}/${file}`, before: assign(int(r, 5, 20)), after: assign(int(r, 21, 60)) };
  const read: Step = { kind: 'read', file: `${p.path}/${other}`, content: `// ${other}\nexport function helper${int(r, 1, 99)}() {\n  return ${int(r, 1, 9)};\n}\n` };
  const status: Step = { kind: 'shell', command: 'git status --short', output: ` M ${file}\n?? ${other}.bak\n`, exitCode: 0 };
  if (p.lang === 'node') {
    const branch = pick(r, p.branches);
    const tests = shuffle(r, testFiles(p)).slice(0, int(r, 2, 4));
    const failing = pick(r, tests.length ? tests : ['src/app.test.ts']);
    const [exp, got] = [int(r, 2, 40), int(r, 41, 90)];
    return [
      [{ kind: 'shell', command: 'npm test', output: banner(p, v, 'test') + vitestPass(r, p, tests), exitCode: 0 }],
      // The same runner failing once, fixed by an edit that differs every time: not a lesson.
      [
        { kind: 'shell', command: `npm test -- ${failing}`, output: `${banner(p, v, 'test')}\n RUN  v2.1.8 ${p.path}\n\n ❯ ${failing} (${int(r, 3, 12)} tests | 1 failed) ${int(r, 5, 80)}ms\n   × computes the total for ${pick(r, ['empty', 'mixed', 'discounted', 'foreign'])} input\n     → expected ${got} to be ${exp} // Object.is equality\n\n Test Files  1 failed (1)\n      Tests  1 failed | ${int(r, 2, 11)} passed\n`, exitCode: 1 },
        edit,
        { kind: 'shell', command: `npm test -- ${failing}`, output: banner(p, v, 'test') + vitestPass(r, p, [failing]), exitCode: 0 },
      ],
      [{ kind: 'shell', command: 'npm run lint', output: `${banner(p, v, 'lint')}\n`, exitCode: 0 }],
      [{ kind: 'shell', command: 'npm run build', output: `${banner(p, v, 'build')}\nvite v6.0.3 building for production...\n✓ ${int(r, 100, 900)} modules transformed.\ndist/index.html  0.46 kB\n✓ built in ${int(r, 1, 9)}.${int(r, 10, 99)}s\n`, exitCode: 0 }],
      [{ kind: 'shell', command: `npm install ${pick(r, ['dayjs', 'clsx', 'zod', 'nanoid', 'p-limit'])}`, output: `\nadded ${int(r, 1, 4)} packages, and audited ${int(r, 300, 900)} packages in ${int(r, 1, 9)}s\n\nfound 0 vulnerabilities\n`, exitCode: 0 }],
      [{ kind: 'shell', command: 'git push', output: `To github.com:acme/${p.pkg}.git\n   ${hex(r, 7)}..${hex(r, 7)}  ${branch} -> ${branch}\n`, exitCode: 0 }],
      [read, edit], [status], [edit],
    ];
  }
  if (p.lang === 'python') {
    return [
      [{ kind: 'shell', command: 'python3 -m pytest -q', output: `${'.'.repeat(int(r, 10, 40))}                                  [100%]\n${int(r, 10, 60)} passed in ${int(r, 1, 9)}.${int(r, 10, 99)}s\n`, exitCode: 0 }],
      [
        { kind: 'shell', command: 'python3 -m pytest -q tests/test_loader.py', output: `F.....                                  [100%]\n=================================== FAILURES ===================================\n___________________________ test_parses_${pick(r, ['header', 'quotes', 'bom', 'empty_rows'])} ___________________________\n    def test_parses():\n>       assert rows == ${int(r, 2, 9)}\nE       assert ${int(r, 10, 30)} == ${int(r, 2, 9)}\n\ntests/test_loader.py:${int(r, 10, 99)}: AssertionError\n1 failed, 5 passed in 0.${int(r, 10, 99)}s\n`, exitCode: 1 },
        edit,
        { kind: 'shell', command: 'python3 -m pytest -q tests/test_loader.py', output: '......                                  [100%]\n6 passed in 0.41s\n', exitCode: 0 },
      ],
      [{ kind: 'shell', command: `python3 scripts/${pick(r, ['report', 'check_schema', 'sample'])}.py`, output: `ok: ${int(r, 100, 9000)} rows\n`, exitCode: 0 }],
      [{ kind: 'shell', command: 'alembic upgrade head', output: 'INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n', exitCode: 0 }],
      [read, edit], [status], [edit],
    ];
  }
  if (p.lang === 'go') {
    const pkg = pick(r, ['config', 'store', 'http', 'queue']);
    return [
      [{ kind: 'shell', command: 'go test ./...', output: `ok  \tgithub.com/acme/ingest/internal/config\t0.0${int(r, 10, 99)}s\nok  \tgithub.com/acme/ingest/internal/${pkg}\t0.${int(r, 10, 99)}s\n`, exitCode: 0 }],
      [
        { kind: 'shell', command: 'go build ./...', output: `# github.com/acme/ingest/internal/${pkg}\ninternal/${pkg}/${pkg}.go:${int(r, 10, 200)}:${int(r, 2, 30)}: undefined: ${pick(r, ['retryAfter', 'maxBatch', 'decodeKey', 'flushEvery'])}\n`, exitCode: 1 },
        edit,
        { kind: 'shell', command: 'go build ./...', output: '', exitCode: 0 },
      ],
      [{ kind: 'shell', command: 'go vet ./...', output: '', exitCode: 0 }],
      [read, edit], [status], [edit],
    ];
  }
  return [
    [{ kind: 'shell', command: 'just test', output: `running ${int(r, 10, 40)} tests\n${'test args::parses ... ok\n'.repeat(2)}\ntest result: ok. ${int(r, 10, 40)} passed; 0 failed; 0 ignored; finished in 0.${int(r, 10, 99)}s\n`, exitCode: 0 }],
    [
      { kind: 'shell', command: 'cargo build', output: `   Compiling cli-rs v${v} (${p.path})\nerror[E0308]: mismatched types\n  --> src/${pick(r, ['walk', 'output', 'args'])}.rs:${int(r, 10, 90)}:${int(r, 5, 30)}\n   |\n   = note: expected \`usize\`, found \`u64\`\nerror: could not compile \`cli-rs\` (bin "cli-rs") due to 1 previous error\n`, exitCode: 101 },
      edit,
      { kind: 'shell', command: 'cargo build', output: `   Compiling cli-rs v${v} (${p.path})\n    Finished \`dev\` profile [unoptimized + debuginfo] target(s) in ${int(r, 1, 9)}.${int(r, 10, 99)}s\n`, exitCode: 0 },
    ],
    [{ kind: 'shell', command: 'cargo clippy', output: `    Checking cli-rs v${v} (${p.path})\n    Finished \`dev\` profile target(s) in 0.${int(r, 10, 99)}s\n`, exitCode: 0 }],
    [read, edit], [status], [edit],
  ];
}

/** User messages that are not instructions: pasted traces and code, one-word confirmations. */
function userNoise(r: Rng, p: Project | null): string {
  const file = p ? pick(r, p.files) : 'src/index.ts';
  const where = p ? `${p.path}/${file}` : '/app/src/index.ts';
  const line = int(r, 10, 300);
  const trace: Record<Lang, () => string> = {
    node: () => `I'm getting this when I open the page:\n\`\`\`\nTypeError: Cannot read properties of undefined (reading '${pick(r, ['id', 'total', 'items', 'name'])}')\n    at ${pick(r, ['CartService.total', 'renderRow', 'Invoice.toPdf', 'useSearch'])} (${where}:${line}:${int(r, 2, 40)})\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n\`\`\``,
    python: () => `Traceback (most recent call last):\n  File "${where}", line ${line}, in <module>\n    main()\nKeyError: '${pick(r, ['region', 'batch', 'ts'])}'`,
    go: () => `it crashes on start:\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b1f2a]\n\ngoroutine 1 [running]:\nmain.main()\n\t${where}:${line} +0x1d`,
    rust: () => `thread 'main' panicked at ${file}:${line}:${int(r, 2, 40)}:\ncalled \`Option::unwrap()\` on a \`None\` value\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace`,
  };
  const code: Record<Lang, string> = {
    node: 'function total(items) {\n  return items.reduce((s, i) => s + i.price * i.qty, 0)\n}',
    python: 'def total(items):\n    return sum(i.price * i.qty for i in items)',
    go: 'func total(items []Item) (sum int) {\n\tfor _, i := range items { sum += i.Price * i.Qty }\n\treturn\n}',
    rust: 'fn total(items: &[Item]) -> u64 {\n    items.iter().map(|i| i.price * i.qty).sum()\n}',
  };
  const lang = p?.lang ?? 'node';
  return pick(r, [
    trace[lang],
    () => `here's the function:\n\`\`\`\n${code[lang]}\n\`\`\`\nwhy is the result wrong sometimes?`,
    () => pick(r, ['yes', 'y', 'ok, go ahead', 'yes please', 'sure', 'all', 'looks good', 'thanks!']),
  ])();
}

/** How people retype the same instruction: sometimes lower-case, without the full stop, after "also". */
function typed(r: Rng, text: string): string {
  const lower = text.charAt(0).toLowerCase() + text.slice(1);
  const x = r();
  if (x < 0.5) return text;
  if (x < 0.7) return lower;
  if (x < 0.85) return text.replace(/[.]$/, '');
  return `Also, ${lower}`;
}

const taskRequest = (r: Rng, lang: Lang | 'chat'): string => fill(pick(r, TASK_OPENERS), { task: pick(r, TASKS[lang]) });

// ── The planted patterns ─────────────────────────────────────────────────────────────────────
interface MistakeDef {
  id: string;
  summary: string;
  agents: string[];
  /** Share of all sessions it is planted in. */
  rate: number;
  markers: string[][];
  oneAgent?: boolean;
  /** The failing call and what fixed it, for session `i`; returns the steps and the per-call words. */
  steps(r: Rng, p: Project, v: string, tool: Tool): { steps: Step[]; perCall: string[]; failingLine: string; bannerLines: string[] };
}

const MISTAKES: MistakeDef[] = [
  {
    id: 'mistake-prisma-generate', summary: 'Run `npx prisma generate` before the tests when @prisma/client did not initialize (run X first).',
    agents: [agentOf('claude-code', 'shop'), agentOf('claude-code', 'billing'), agentOf('codex', 'admin-portal')], rate: 0.045, markers: [['prisma generate']],
    steps(r, p, v) {
      const t = testFiles(p);
      const failing = pick(r, t.length ? t : ['src/app.test.ts']);
      const passed = int(r, 2, 8);
      const line = 'Error: @prisma/client did not initialize yet. Please run "prisma generate" and try to import it again.';
      const out = `${banner(p, v, 'test')}\n RUN  v2.1.8 ${p.path}\n\n ❯ ${failing} (0 test)\n ✓ ${pick(r, t.length ? t : ['src/util.test.ts'])} (${int(r, 3, 20)} tests) ${int(r, 4, 40)}ms\n\n⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯\n\n FAIL  ${failing} [ ${failing} ]\n${line}\n ❯ Object.<anonymous> node_modules/.prisma/client/default.js:43:11\n ❯ ${p.path}/${pick(r, p.files)}:1:1\n\n Test Files  1 failed | ${passed} passed (${passed + 1})\n`;
      return {
        steps: [
          { kind: 'shell', command: 'npm test', output: out, exitCode: 1 },
          { kind: 'assistant', text: 'The generated client is missing; generating it and running the tests again.' },
          { kind: 'shell', command: 'npx prisma generate', output: `Prisma schema loaded from prisma/schema.prisma\n\n✔ Generated Prisma Client (v5.${int(r, 10, 22)}.0) to ./node_modules/@prisma/client in ${int(r, 40, 300)}ms\n`, exitCode: 0 },
          { kind: 'shell', command: 'npm test', output: banner(p, v, 'test') + vitestPass(r, p, t.slice(0, 3)), exitCode: 0 },
        ],
        perCall: [failing], failingLine: line, bannerLines: [`> ${p.pkg}@${v} test`],
      };
    },
  },
  {
    id: 'mistake-legacy-peer-deps', summary: 'Retry `npm install` with `--legacy-peer-deps` when it fails with ERESOLVE (add a flag).',
    agents: [agentOf('claude-code', 'webapp'), agentOf('codex', 'admin-portal')], rate: 0.03, markers: [['--legacy-peer-deps', 'legacy-peer-deps']],
    steps(r, p, v) {
      const spec = pick(r, ['@tanstack/react-query@5.59.0', 'react-day-picker@8.10.1', '@headlessui/react@1.7.19', 'react-markdown@9.0.1', 'swr@2.2.5', 'framer-motion@11.3.2', 'react-hook-form@7.53.0']);
      const name = spec.replace(/@[^@]+$/, '');
      const line = 'npm error ERESOLVE unable to resolve dependency tree';
      const out = `npm error code ERESOLVE\n${line}\nnpm error\nnpm error While resolving: ${p.pkg}@${v}\nnpm error Found: react@19.0.0\nnpm error node_modules/react\nnpm error   react@"^19.0.0" from the root project\nnpm error\nnpm error Could not resolve dependency:\nnpm error peer react@"^18.0.0" from ${spec}\nnpm error\nnpm error Fix the upstream dependency conflict, or retry\nnpm error this command with --force or --legacy-peer-deps\nnpm error\nnpm error A complete log of this run can be found in: /home/dev/.npm/_logs/2026-09-${int(r, 10, 28)}T10_${int(r, 10, 59)}_00_000Z-debug-0.log\n`;
      return {
        steps: [
          { kind: 'shell', command: `npm install ${spec}`, output: out, exitCode: 1 },
          { kind: 'shell', command: `npm install ${spec} --legacy-peer-deps`, output: `\nadded ${int(r, 1, 9)} packages, and audited ${int(r, 300, 900)} packages in ${int(r, 2, 9)}s\n\nfound 0 vulnerabilities\n`, exitCode: 0 },
        ],
        perCall: [spec, name], failingLine: line, bannerLines: [],
      };
    },
  },
  {
    id: 'mistake-python3', summary: 'Use `python3` instead of `python` (python: command not found) (use command Y instead).',
    agents: [agentOf('codex', 'etl'), agentOf('claude-code', 'ml-tools'), agentOf('claude-code', 'etl')], rate: 0.03, markers: [['python3']],
    steps(r, p, _v, tool) {
      const script = `scripts/${pick(r, ['backfill_orders', 'export_features', 'rebuild_index', 'sync_buckets', 'train_baseline', 'compact_parquet'])}.py`;
      const arg = pick(r, ['--since 2026-08-01', '--dry-run', '--limit 500', '--region eu-west-1', '']);
      const call = `${script}${arg ? ` ${arg}` : ''}`;
      const line = `${tool === 'claude-code' ? '/bin/bash' : 'bash'}: line 1: python: command not found`;
      return {
        steps: [
          { kind: 'shell', command: `python ${call}`, output: `${line}\n`, exitCode: 127 },
          { kind: 'shell', command: `python3 ${call}`, output: `processed ${int(r, 100, 9000)} rows in ${int(r, 1, 60)}s\n`, exitCode: 0 },
        ],
        perCall: [script, ...(arg ? [arg] : [])], failingLine: line, bannerLines: [],
      };
    },
  },
  {
    id: 'mistake-go-mod-tidy', summary: 'Run `go mod tidy` when `go test` reports a missing go.sum entry (one agent only, 100+ sessions).',
    agents: [agentOf('codex', 'ingest')], rate: 0.06, oneAgent: true, markers: [['go mod tidy']],
    steps(r) {
      const mod = pick(r, ['github.com/segmentio/kafka-go', 'github.com/prometheus/client_golang/prometheus', 'go.uber.org/zap', 'github.com/jackc/pgx/v5', 'golang.org/x/sync/errgroup']);
      const pkg = pick(r, ['queue', 'store', 'http', 'metrics']);
      const line = `internal/${pkg}/${pkg}.go:${int(r, 5, 12)}:2: missing go.sum entry for module providing package ${mod} (imported by github.com/acme/ingest/internal/${pkg}); to add:`;
      const out = `${line}\n\tgo get github.com/acme/ingest/internal/${pkg}\nFAIL\tgithub.com/acme/ingest/internal/${pkg} [setup failed]\nok  \tgithub.com/acme/ingest/internal/config\t0.0${int(r, 10, 99)}s\nFAIL\n`;
      return {
        steps: [
          { kind: 'shell', command: 'go test ./...', output: out, exitCode: 1 },
          { kind: 'shell', command: 'go mod tidy', output: `go: finding module for package ${mod}\ngo: found ${mod} in ${mod.split('/').slice(0, 3).join('/')} v${int(r, 0, 2)}.${int(r, 1, 30)}.${int(r, 0, 9)}\n`, exitCode: 0 },
          { kind: 'shell', command: 'go test ./...', output: `ok  \tgithub.com/acme/ingest/internal/${pkg}\t0.${int(r, 10, 99)}s\nok  \tgithub.com/acme/ingest/internal/config\t0.0${int(r, 10, 99)}s\n`, exitCode: 0 },
        ],
        perCall: [mod, `go get github.com/acme/ingest/internal/${pkg}`], failingLine: 'missing go.sum entry for module providing package', bannerLines: [],
      };
    },
  },
  {
    id: 'mistake-push-upstream', summary: 'Push a new branch with `git push -u origin` and the branch name, so it gets an upstream (add a flag).',
    agents: [agentOf('claude-code', 'shop'), agentOf('claude-code', 'webapp'), agentOf('codex', 'admin-portal')], rate: 0.04, markers: [['-u origin', '--set-upstream', 'set-upstream', 'upstream']],
    steps(r, p) {
      const branch = `${pick(r, ['feat', 'fix', 'chore'])}/${pick(r, ['coupons', 'totals', 'search', 'audit', 'sorting', 'invites', 'timeouts', 'labels'])}-${int(r, 10, 99)}`;
      const line = `fatal: The current branch ${branch} has no upstream branch.`;
      const out = `${line}\nTo push the current branch and set the remote as upstream, use\n\n    git push --set-upstream origin ${branch}\n\nTo have this happen automatically for branches without a tracking\nupstream, see 'push.autoSetupRemote' in 'git help config'.\n`;
      return {
        steps: [
          { kind: 'shell', command: 'git push', output: out, exitCode: 128 },
          { kind: 'shell', command: `git push -u origin ${branch}`, output: `To github.com:acme/${p.pkg}.git\n * [new branch]      ${branch} -> ${branch}\nbranch '${branch}' set up to track 'origin/${branch}'.\n`, exitCode: 0 },
        ],
        perCall: [branch], failingLine: 'has no upstream branch', bannerLines: [],
      };
    },
  },
  {
    id: 'mistake-just-not-make', summary: 'This repository has a justfile, not a Makefile: run `just test`, not `make test` (use command Y instead).',
    agents: [agentOf('claude-code', 'cli-rs'), agentOf('codex', 'cli-rs')], rate: 0.025, markers: [['just test']],
    steps(r) {
      const filter = pick(r, ['parse_args', 'walk_skips_hidden', 'json_output', 'empty_config', 'completions', 'progress_bar']);
      const line = "make: *** No rule to make target 'test'.  Stop.";
      return {
        steps: [
          { kind: 'shell', command: `make test FILTER=${filter}`, output: `${line}\n`, exitCode: 2 },
          { kind: 'shell', command: `just test ${filter}`, output: `cargo test ${filter}\n    Finished \`test\` profile target(s) in ${int(r, 1, 9)}.${int(r, 10, 99)}s\nrunning ${int(r, 1, 6)} tests\ntest result: ok. ${int(r, 1, 6)} passed; 0 failed; 0 ignored\n`, exitCode: 0 },
        ],
        perCall: [`FILTER=${filter}`, filter], failingLine: line, bannerLines: [],
      };
    },
  },
];

interface WorkflowDef {
  id: string;
  summary: string;
  agents: string[];
  rate: number;
  markers: string[][];
  /** The steps, the per-call words a lesson must not name, and the task the session opens with. */
  steps(r: Rng, p: Project, v: string): { steps: Step[]; perCall: string[]; task: string };
}

const WORKFLOWS: WorkflowDef[] = [
  {
    // A compound `a && b`: the second half is a distinctive step of its own.
    id: 'workflow-migration', summary: 'Schema change: `docker compose up -d db`, `alembic revision --autogenerate`, `alembic upgrade head && pytest tests/integration`, `docker compose down`.',
    agents: [agentOf('codex', 'etl'), agentOf('claude-code', 'etl')], rate: 0.03,
    markers: [['docker compose up'], ['alembic revision'], ['alembic upgrade head'], ['pytest tests/integration'], ['docker compose down']],
    steps(r, p) {
      const msg = `add_${pick(r, ['batch_size', 'region', 'source_ts', 'dedupe_key', 'retry_count', 'archived_at'])}_to_${pick(r, ['orders', 'events', 'runs', 'files'])}`;
      const rev = hex(r, 12);
      return {
        steps: [
          { kind: 'edit', file: `${p.path}/etl/models.py`, before: '    id = Column(Integer, primary_key=True)', after: `    id = Column(Integer, primary_key=True)\n    ${msg.split('_to_')[0]!.slice(4)} = Column(String)` },
          { kind: 'shell', command: 'docker compose up -d db', output: ` Network etl_default  Created\n Container etl-db-1  Started\n`, exitCode: 0 },
          { kind: 'shell', command: `alembic revision --autogenerate -m "${msg}"`, output: `INFO  [alembic.autogenerate.compare] Detected added column\n  Generating ${p.path}/migrations/versions/${rev}_${msg}.py ...  done\n`, exitCode: 0 },
          { kind: 'shell', command: 'alembic upgrade head && pytest tests/integration -q', output: `INFO  [alembic.runtime.migration] Running upgrade ${hex(r, 12)} -> ${rev}, ${msg}\n${'.'.repeat(int(r, 8, 20))}                    [100%]\n${int(r, 8, 20)} passed in ${int(r, 2, 9)}.${int(r, 10, 99)}s\n`, exitCode: 0 },
          { kind: 'shell', command: 'docker compose down', output: ' Container etl-db-1  Removed\n Network etl_default  Removed\n', exitCode: 0 },
        ],
        perCall: [msg, rev], task: `add a ${msg.split('_to_')[0]!.slice(4)} column to the ${msg.split('_to_')[1]!} table`,
      };
    },
  },
  {
    // The same named file edited every time: the lesson must name CHANGELOG.md, not a wildcard.
    id: 'workflow-release', summary: 'Release: list the commits since the last tag, add them to CHANGELOG.md, `npm version`, `git push --follow-tags`.',
    agents: [agentOf('claude-code', 'shop'), agentOf('claude-code', 'billing')], rate: 0.03,
    markers: [['CHANGELOG.md'], ['npm version'], ['--follow-tags', 'follow-tags']],
    steps(r, p, v) {
      const bump = pick(r, ['patch', 'minor']);
      const prev = `v${v}`;
      const next = `v${v.replace(/\.(\d+)$/, (_, d: string) => `.${Number(d) + 1}`)}`;
      const commits = Array.from({ length: int(r, 2, 5) }, () => `${hex(r, 7)} ${pick(r, ['fix: round totals', 'feat: gift cards', 'chore: bump deps', 'fix: retry webhook', 'feat: credit notes'])}`);
      return {
        steps: [
          { kind: 'shell', command: `git log --oneline ${prev}..HEAD`, output: `${commits.join('\n')}\n`, exitCode: 0 },
          { kind: 'edit', file: `${p.path}/CHANGELOG.md`, before: '# Changelog\n', after: `# Changelog\n\n## ${next.slice(1)}\n${commits.map((c) => `- ${c.slice(8)}`).join('\n')}\n` },
          { kind: 'shell', command: `npm version ${bump}`, output: `${next}\n`, exitCode: 0 },
          { kind: 'shell', command: 'git push --follow-tags', output: `To github.com:acme/${p.pkg}.git\n   ${hex(r, 7)}..${hex(r, 7)}  main -> main\n * [new tag]         ${next} -> ${next}\n`, exitCode: 0 },
        ],
        perCall: [`${prev}..HEAD`], task: pick(r, WORKFLOW_TASKS.release),
      };
    },
  },
  {
    // Four steps mixed with noise of the same tools (reads, other edits, lint, status).
    id: 'workflow-api-route', summary: 'New API route: write the route file, register it in src/routes/index.ts, `npm run gen:openapi`, `npm run test:api`.',
    agents: [agentOf('claude-code', 'webapp')], rate: 0.03,
    markers: [['src/routes/index.ts', 'routes/index.ts'], ['gen:openapi'], ['test:api']],
    steps(r, p, v) {
      const name = pick(r, ['invoices', 'teams', 'webhooks', 'exports', 'audit', 'tokens', 'reports', 'labels']);
      const noise = noisePool(r, p, v);
      const n1 = pick(r, [noise[6]!, noise[7]!, noise[2]!]);
      const n2 = pick(r, [noise[8]!, noise[7]!]);
      return {
        steps: [
          ...pick(r, [[], noise[6]!]),
          { kind: 'edit', file: `${p.path}/src/routes/${name}.ts`, before: '', after: `import { router } from './router';\n\nexport const ${name} = router.get('/${name}', list${name});\n` },
          ...n1,
          { kind: 'edit', file: `${p.path}/src/routes/index.ts`, before: "export * from './users';", after: `export * from './users';\nexport * from './${name}';` },
          ...n2,
          { kind: 'shell', command: 'npm run gen:openapi', output: `${banner(p, v, 'gen:openapi')}\n✔ Wrote openapi.json (${int(r, 20, 60)} paths)\n`, exitCode: 0 },
          ...pick(r, [[], noise[2]!]),
          { kind: 'shell', command: 'npm run test:api', output: banner(p, v, 'test:api') + vitestPass(r, p, [`tests/api/${name}.test.ts`, 'tests/api/users.test.ts']), exitCode: 0 },
        ],
        perCall: [`src/routes/${name}.ts`], task: `add a /${name} API route`,
      };
    },
  },
];

interface PreferenceDef { id: keyof typeof PREFERENCE_PHRASINGS; summary: string; agents: string[]; rate: number; markers: string[][] }
const coding = AGENTS.filter((a) => a.tool !== 'chatgpt').map((a) => a.id);
const PREFERENCES: PreferenceDef[] = [
  {
    id: 'only-requested-files', summary: 'Only edit the files the task names; leave other files alone.',
    agents: [agentOf('claude-code', 'shop'), agentOf('claude-code', 'billing'), agentOf('claude-code', 'webapp'), agentOf('codex', 'admin-portal'), agentOf('codex', 'cli-rs')], rate: 0.04,
    markers: [['other files', 'unrelated files', 'only edit', 'only change', 'only modify', 'only touch', "don't touch", 'do not touch', 'never touch', 'no other changes', 'files you were not asked', 'not asked', 'named file', 'requested file', 'leave other']],
  },
  { id: 'show-diff', summary: 'Show the diff after each change.', agents: [agentOf('claude-code', 'shop'), agentOf('claude-code', 'billing'), agentOf('claude-code', 'etl'), agentOf('codex', 'admin-portal'), agentOf('codex', 'ingest')], rate: 0.03, markers: [['diff']] },
  { id: 'pnpm', summary: 'Use pnpm, never npm or yarn.', agents: [agentOf('claude-code', 'docs-site'), 'chatgpt'], rate: 0.025, markers: [['pnpm']] },
  { id: 'no-commit', summary: 'Never commit; the user commits.', agents: coding, rate: 0.035, markers: [['commit'], ["don't", 'do not', 'never', 'not ', 'no ', 'avoid', 'without', 'unless', 'leave', 'stop']] },
  { id: 'no-emoji', summary: 'No emojis.', agents: ['chatgpt', agentOf('claude-code', 'docs-site'), agentOf('claude-code', 'webapp')], rate: 0.025, markers: [['emoji']] },
];

// ── Planning ─────────────────────────────────────────────────────────────────────────────────
interface Slot { i: number; agent: AgentDef; nativeId: string; storeId: string; primary?: string; preference?: PreferenceDef['id'] }

function storeIdOf(tool: Tool, nativeId: string): string {
  return tool === 'claude-code' ? nativeId : `${tool}:${nativeId}`;
}

/** Spread `n` sessions over the agents by weight (largest remainder, so the total is exact). */
function allocate(n: number): AgentDef[] {
  const total = AGENTS.reduce((s, a) => s + a.weight, 0);
  const exact = AGENTS.map((a) => (a.weight * n) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; counts.reduce((s, c) => s + c, 0) < n; k++) counts[order[k % order.length]![1]]!++;
  return AGENTS.flatMap((a, k) => Array.from({ length: counts[k]! }, () => a));
}

/** Picks `k` slots of the given agents, spread over them, preferring slots `free` accepts. */
function choose(r: Rng, slots: Slot[], agents: string[], k: number, free: (s: Slot) => boolean): Slot[] {
  const byAgent = agents.map((id) => shuffle(r, slots.filter((s) => s.agent.id === id && free(s))));
  const out: Slot[] = [];
  for (let round = 0; out.length < k && byAgent.some((l) => l.length); round++) {
    for (const l of byAgent) if (out.length < k && l.length) out.push(l.shift()!);
  }
  if (out.length < k) throw new Error(`quality corpus: only ${out.length} free sessions for ${agents.join(', ')}, ${k} needed (use more sessions)`);
  return out;
}

function plan(seed: number, n: number): { slots: Slot[]; truth: QualityTruth } {
  const r = prng(seed);
  const slots: Slot[] = shuffle(r, allocate(n)).map((agent, i) => {
    const nativeId = uuid(r);
    return { i, agent, nativeId, storeId: storeIdOf(agent.tool, nativeId) };
  });
  const patterns: PlantedPattern[] = [];
  const base = (id: string, kind: PatternKind, summary: string, chosen: Slot[], markers: string[][]): PlantedPattern => ({
    id, kind, summary, markers, forbidden: [],
    sessions: chosen.map((s) => s.storeId),
    agents: [...new Set(chosen.map((s) => s.agent.id))].sort(),
    projects: [...new Set(chosen.map((s) => s.agent.project?.path ?? '(none)'))].sort(),
  });
  for (const def of [...MISTAKES, ...WORKFLOWS]) {
    const k = Math.max(def.agents.length * 3, Math.round(def.rate * n));
    const chosen = choose(r, slots, def.agents, k, (s) => !s.primary);
    for (const s of chosen) s.primary = def.id;
    patterns.push({ ...base(def.id, MISTAKES.includes(def as MistakeDef) ? 'mistake' : 'workflow', def.summary, chosen, def.markers), ...('oneAgent' in def && def.oneAgent ? { oneAgent: def.agents[0]! } : {}) });
  }
  for (const def of PREFERENCES) {
    const k = Math.max(PREFERENCE_PHRASINGS[def.id].length, Math.round(def.rate * n));
    const chosen = choose(r, slots, def.agents, k, (s) => !s.preference);
    for (const s of chosen) s.preference = def.id;
    patterns.push(base(`preference-${def.id}`, 'preference', def.summary, chosen, def.markers));
  }
  const truth: QualityTruth = {
    seed, sessions: n,
    sessionAgents: Object.fromEntries(slots.map((s) => [s.storeId, s.agent.id])),
    agents: [...new Set(slots.map((s) => s.agent.id))].sort(),
    patterns, forbidden: GLOBAL_FORBIDDEN, taskOpener: TASK_OPENER_PATTERN, taskBodies: [...Object.values(TASKS).flat(), ...WORKFLOW_TASKS.release],
  };
  return { slots, truth };
}

// ── Building one session ─────────────────────────────────────────────────────────────────────
const ACKS = ['Let me look at the code first.', 'I will start by reading the relevant files.', 'Running the checks now.', 'Making the change.', 'Done. The change is in place and the checks pass.'];
const START = Date.UTC(2026, 8, 1, 8, 0, 0);
const SPAN = 60 * 24 * 3600 * 1000;

function buildSession(r: Rng, slot: Slot, n: number, truth: QualityTruth, phrasingCursor: Map<string, number>): PlannedSession {
  const { agent } = slot;
  const p = agent.project;
  const v = p ? versionAt(p, slot.i, n) : '';
  const lang: Lang | 'chat' = p ? p.lang : 'chat';
  const steps: Step[] = [];
  const mistake = MISTAKES.find((m) => m.id === slot.primary);
  const workflow = WORKFLOWS.find((w) => w.id === slot.primary);
  // A workflow session asks for what the workflow does (in the same shared openers).
  const flow = workflow && p ? workflow.steps(r, p, v) : null;
  let opening = flow ? fill(pick(r, TASK_OPENERS), { task: flow.task }) : taskRequest(r, lang);

  // The preference: appended to the task request, or said later (as a correction after an action).
  let preferenceText: string | null = null;
  let preferenceInOpening = false;
  let preferenceFiles: string[] = [];
  if (slot.preference) {
    const list = PREFERENCE_PHRASINGS[slot.preference];
    const cursor = phrasingCursor.get(slot.preference) ?? 0;
    phrasingCursor.set(slot.preference, cursor + 1);
    const phrasing = list[cursor % list.length]!;
    const files = p ? shuffle(r, [...p.files]) : ['README.md', 'docs/setup.md'];
    preferenceFiles = files;
    preferenceText = typed(r, fill(phrasing.text, { file: files[0]!, file2: files[1]! }));
    const pattern = truth.patterns.find((x) => x.id === `preference-${slot.preference}`)!;
    pattern.phrasingsUsed ??= [];
    if (!pattern.phrasingsUsed.includes(phrasing.text)) pattern.phrasingsUsed.push(phrasing.text);
    if (slot.preference === 'only-requested-files') for (const f of files.slice(0, 2)) if (!pattern.forbidden.includes(f)) pattern.forbidden.push(f);
    preferenceInOpening = r() < 0.4;
    if (preferenceInOpening) opening = `${opening} ${preferenceText}`;
  }
  steps.push({ kind: 'user', text: opening });
  steps.push({ kind: 'assistant', text: pick(r, ACKS.slice(0, 3)) });

  if (!p) {
    // ChatGPT: conversation only.
    steps.push({ kind: 'assistant', text: `Here is a first draft:\n\n1. ${pick(r, ['Start with the goal', 'List the packages', 'Describe the flow'])}.\n2. Keep each section short.` });
    if (preferenceText && !preferenceInOpening) steps.push({ kind: 'user', text: preferenceText }, { kind: 'assistant', text: 'Understood, I will keep that in mind. Here is the revised version.' });
    if (r() < 0.5) steps.push({ kind: 'user', text: userNoise(r, null) }, { kind: 'assistant', text: 'That happens when the list is empty; guard it before reducing.' });
    return { nativeId: slot.nativeId, tool: agent.tool, project: null, title: opening.slice(0, 60), start: new Date(START + (slot.i * SPAN) / n + int(r, 0, 600) * 1000), steps };
  }

  const pool = noisePool(r, p, v);
  const noise = (k: number): void => { for (let j = 0; j < k; j++) steps.push(...pick(r, pool)); };
  noise(int(r, 1, 2));
  if (r() < 0.3) steps.push({ kind: 'user', text: userNoise(r, p) }, { kind: 'assistant', text: 'I see the cause; fixing it.' });

  if (mistake) {
    const planted = mistake.steps(r, p, v, agent.tool);
    steps.push(...planted.steps);
    const pattern = truth.patterns.find((x) => x.id === mistake.id)!;
    for (const f of [...planted.perCall, ...planted.bannerLines]) if (!pattern.forbidden.includes(f)) pattern.forbidden.push(f);
    pattern.failingLines ??= [];
    if (!pattern.failingLines.includes(planted.failingLine)) pattern.failingLines.push(planted.failingLine);
  }
  if (workflow && flow) {
    steps.push(...flow.steps);
    const pattern = truth.patterns.find((x) => x.id === workflow.id)!;
    for (const f of flow.perCall) if (!pattern.forbidden.includes(f)) pattern.forbidden.push(f);
  }
  if (preferenceText && !preferenceInOpening) {
    // Said mid-session, right after the agent acted: how corrections come in real logs. Half the
    // time the user first refuses the very action the preference is about (a commit, an edit of
    // the file they then name), the structure real corrections have.
    const at = int(r, 2, Math.max(2, steps.length));
    const refused: Step[] = r() >= 0.5 ? []
      : slot.preference === 'no-commit' ? [{ kind: 'rejected', command: `git commit -am "${pick(r, ['wip', 'fix tests', 'add feature', 'update'])}"` }]
      : slot.preference === 'only-requested-files' ? [{ kind: 'rejected', file: `${p.path}/${preferenceFiles[0]!}` }]
      : [];
    steps.splice(at, 0, ...refused, { kind: 'user', text: preferenceText }, { kind: 'assistant', text: 'Understood.' });
  }
  noise(int(r, 0, 2));
  if (r() < 0.4) steps.push({ kind: 'user', text: userNoise(r, p) }, { kind: 'assistant', text: 'Fixed; the checks pass again.' });
  steps.push({ kind: 'assistant', text: ACKS[4]! });
  return { nativeId: slot.nativeId, tool: agent.tool, project: p.path, title: opening.slice(0, 60), start: new Date(START + (slot.i * SPAN) / n + int(r, 0, 600) * 1000), steps };
}

/**
 * Writes the corpus into `dir` (claude/, codex/, chatgpt/conversations.json) and returns its
 * ground truth. The same seed and size always write the same bytes.
 */
export async function writeQualityCorpus2(dir: string, options: QualityCorpusOptions): Promise<QualityTruth> {
  const n = options.sessions ?? 2000;
  const { slots, truth } = plan(options.seed, n);
  const r = prng(options.seed * 7919 + 17);
  const cursor = new Map<string, number>();
  const sessions = slots.map((s) => buildSession(r, s, n, truth, cursor));
  await writeSessions(dir, sessions);
  return truth;
}
