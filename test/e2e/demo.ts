// Generates the bundled demo (resources/demo): six weeks of Claude Code sessions by a small team of
// agents in three projects, written in Claude Code's own JSONL format so "Load demo" goes through
// the real importer. The work recurs the way real work does: the same tool errors, the same
// corrections and preferences, the same routine, a few times per project, fading in the last
// weeks (as if the lessons had been written back), so every screen has something true to show.
// Deterministic: ids come from a hash of the session's name, times from a fixed start.
//   npx tsx test/e2e/demo.ts [outDir]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Step =
  | { user: string }
  | { say: string }
  | { bash: string; out: string; error?: boolean }
  | { tool: 'Edit' | 'Read' | 'Write'; file: string; out: string; error?: boolean };

interface Scenario { name: string; project: string; day: number; hour: number; steps: Step[] }

const uuid = (seed: string) => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const PROJECTS = { shop: '/home/dev/src/shop', api: '/home/dev/src/api', web: '/home/dev/src/web' } as const;
type Project = keyof typeof PROJECTS;

// ── The recurring pieces ─────────────────────────────────────────────────────────────────────
const npmInPnpmRepo = (): Step[] => [
  { bash: 'npm install', out: 'npm error code EUSAGE\nnpm error The project uses pnpm (pnpm-lock.yaml found); npm would create a second lockfile.', error: true },
  { user: 'Use pnpm, not npm. This repo has a pnpm-lock.yaml.' },
  { bash: 'pnpm install', out: 'Lockfile is up to date, resolution step is skipped\nDone in 2.1s' },
];
const pytestImport = (): Step[] => [
  { bash: 'pytest -q', out: "ImportError while loading conftest '/home/dev/src/api/tests/conftest.py'.\nModuleNotFoundError: No module named 'app'", error: true },
  { say: 'The tests cannot import the app package; running them as a module from the project root fixes the path.' },
  { bash: 'python -m pytest -q', out: '42 passed in 3.18s' },
];
const pushRejected = (branch: string): Step[] => [
  { bash: `git push origin ${branch}`, out: ` ! [rejected]        ${branch} -> ${branch} (fetch first)\nerror: failed to push some refs to 'github.com:acme/app.git'\nhint: Updates were rejected because the remote contains work that you do not have locally.`, error: true },
  { bash: `git pull --rebase origin ${branch}`, out: `Successfully rebased and updated refs/heads/${branch}.` },
  { bash: `git push origin ${branch}`, out: `To github.com:acme/app.git\n   3f2a1c0..9b8e7d6  ${branch} -> ${branch}` },
];
const editWithoutRead = (file: string): Step[] => [
  { tool: 'Edit', file, out: '<tool_use_error>String to replace not found in file.\nString: export default function Cart() {</tool_use_error>', error: true },
  { tool: 'Read', file, out: '1\timport { useCart } from "../state/cart";\n2\t\n3\texport function Cart() {' },
  { tool: 'Edit', file, out: `The file ${file} has been updated.` },
];
const lintBeforeCommit = (): Step[] => [
  { bash: 'git commit -am "Update checkout copy"', out: '[main 4c1d2e9] Update checkout copy\n 2 files changed, 14 insertions(+), 6 deletions(-)' },
  { user: 'Always run the linter before committing. CI fails on lint errors.' },
  { bash: 'pnpm lint', out: '✖ 2 problems (2 errors, 0 warnings)\n  src/checkout/Total.tsx  12:7  error  \'tax\' is assigned a value but never used', error: true },
  { tool: 'Edit', file: 'src/checkout/Total.tsx', out: 'The file src/checkout/Total.tsx has been updated.' },
  { bash: 'pnpm lint', out: '✔ No problems found' },
];
const migrateRoutine = (name: string): Step[] => [
  { tool: 'Write', file: `migrations/versions/${name}.py`, out: `File created successfully at: migrations/versions/${name}.py` },
  { bash: 'alembic upgrade head', out: `INFO  [alembic.runtime.migration] Running upgrade -> ${name}` },
  { bash: 'python -m pytest -q tests/db', out: '17 passed in 1.92s' },
];
const dontTouchGenerated = (): Step[] => [
  { tool: 'Edit', file: 'src/api/generated/client.ts', out: 'The file src/api/generated/client.ts has been updated.' },
  { user: "Don't edit files under src/api/generated, they are overwritten by pnpm codegen. Change the OpenAPI spec instead." },
  { bash: 'git checkout -- src/api/generated/client.ts && pnpm codegen', out: '✔ Generated 38 operations into src/api/generated' },
];

const TASKS: Record<Project, string[]> = {
  shop: ['Add a discount code field to the checkout page', 'Fix the cart badge not updating after removing an item', 'Show delivery estimates on the product page', 'Add an order history page', 'Make the checkout button disabled while paying', 'Add a wishlist toggle to product cards', 'Translate the checkout flow to German'],
  api: ['Add an endpoint to list a customer\'s orders', 'Add an index for orders.created_at', 'Return 404 instead of 500 for unknown products', 'Add rate limiting to the login endpoint', 'Store refunds in their own table', 'Paginate the products endpoint'],
  web: ['Add a dark mode toggle to the marketing site', 'Fix the pricing table layout on mobile', 'Add the new case study page', 'Update the API client after the orders change', 'Add an FAQ section to the pricing page'],
};

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  const projects: Project[] = ['shop', 'api', 'web'];
  // 42 days; mistakes recur often in the first four weeks and fade in the last two.
  for (let day = 0; day < 42; day += 1) {
    const late = day >= 28;
    for (const [pi, project] of projects.entries()) {
      if ((day + pi) % 3 !== 0 && (day + pi) % 5 !== 0) continue;
      const i = out.filter((s) => s.project === project).length;
      const task = TASKS[project][i % TASKS[project].length];
      const steps: Step[] = [{ user: task }, { say: `I'll look at how this is done today, then make the change.` }];
      const roll = (day * 7 + pi * 13 + i * 5) % 10;
      const happens = (threshold: number) => roll < (late ? Math.max(1, threshold - 4) : threshold);
      if (project !== 'api' && happens(6) && i % 2 === 0) steps.push(...npmInPnpmRepo());
      else if (project !== 'api') steps.push({ bash: 'pnpm install', out: 'Lockfile is up to date, resolution step is skipped\nDone in 1.8s' });
      if (project === 'api' && happens(7)) steps.push(...pytestImport());
      if (project === 'api' && i % 3 === 1) steps.push(...migrateRoutine(`${String(1000 + i)}_${task.split(' ').slice(1, 3).join('_').toLowerCase()}`));
      if (project === 'shop' && happens(5) && i % 2 === 1) steps.push(...editWithoutRead('src/checkout/Cart.tsx'));
      if (project === 'web' && happens(6) && i % 2 === 1) steps.push(...dontTouchGenerated());
      if (project === 'shop' && i % 4 === 3 && !late) steps.push(...lintBeforeCommit());
      steps.push({ bash: project === 'api' ? 'python -m pytest -q' : 'pnpm test', out: project === 'api' ? '42 passed in 3.02s' : ' ✓ 128 tests passed (4.1s)' });
      if (happens(4)) steps.push(...pushRejected(`feat/${project}-${i}`));
      else steps.push({ bash: `git push origin feat/${project}-${i}`, out: `To github.com:acme/app.git\n * [new branch]      feat/${project}-${i} -> feat/${project}-${i}` });
      steps.push({ say: 'Done: the change is in, the tests pass and the branch is pushed.' });
      out.push({ name: `${project}-${day}`, project, day, hour: 9 + ((day + pi * 3) % 9), steps });
    }
  }
  return out;
}

/** One session as Claude Code writes it: a chain of user/assistant records, tool calls as blocks. */
function render(s: Scenario): string {
  const cwd = PROJECTS[s.project as Project];
  const sessionId = uuid(`session:${s.name}`);
  let t = Date.parse('2026-09-01T00:00:00.000Z') + s.day * 864e5 + s.hour * 36e5;
  let parent: string | null = null;
  const lines: string[] = [];
  const base = () => ({ isSidechain: false, userType: 'external', cwd, sessionId, version: '2.1.14', gitBranch: 'main' });
  const push = (rec: Record<string, unknown>) => {
    const id = uuid(`${s.name}:${lines.length}`);
    t += 20_000 + (lines.length % 5) * 7_000;
    lines.push(JSON.stringify({ parentUuid: parent, ...base(), ...rec, uuid: id, timestamp: new Date(t).toISOString() }));
    parent = id;
  };
  const assistant = (content: unknown[]) => push({ type: 'assistant', message: { model: 'claude-sonnet-4-5', id: `msg_${uuid(`${s.name}:m${lines.length}`).slice(0, 24)}`, type: 'message', role: 'assistant', content, stop_reason: null, usage: { input_tokens: 12, output_tokens: 40 } } });
  s.steps.forEach((step, n) => {
    if ('user' in step) push({ type: 'user', message: { role: 'user', content: step.user } });
    else if ('say' in step) assistant([{ type: 'text', text: step.say }]);
    else {
      const id = `toolu_${uuid(`${s.name}:tool${n}`).replace(/-/g, '').slice(0, 24)}`;
      const [name, input] = 'bash' in step ? ['Bash', { command: step.bash, description: step.bash.split(' ').slice(0, 3).join(' ') }] : [step.tool, step.tool === 'Edit' ? { file_path: `${cwd}/${step.file}`, old_string: 'export default function Cart() {', new_string: 'export function Cart() {' } : step.tool === 'Write' ? { file_path: `${cwd}/${step.file}`, content: '"""migration"""' } : { file_path: `${cwd}/${step.file}` }];
      assistant([{ type: 'tool_use', id, name, input }]);
      push({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', content: step.out, is_error: !!step.error, tool_use_id: id }] }, toolUseResult: step.error ? `Error: ${step.out}` : step.out });
    }
  });
  return `${lines.join('\n')}\n`;
}

export function writeDemo(outDir: string): number {
  const all = scenarios();
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const s of all) {
    // Claude Code keeps one folder per project, named after its path.
    const dir = path.join(outDir, PROJECTS[s.project as Project].replace(/\//g, '-'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${uuid(`session:${s.name}`)}.jsonl`), render(s));
  }
  return all.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'demo'));
  console.log(`wrote ${writeDemo(out)} demo sessions to ${out}`);
}
