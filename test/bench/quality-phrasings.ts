// The wording of the independent quality corpus (quality-corpus.ts): task requests that open every
// session, and, for every planted preference, phrasings taken from REAL text people wrote to or
// about coding agents. Each preference phrasing names where its wording was found (public GitHub
// files, found with the library's exact-string search on 2026-12-02; the quoted words are theirs,
// `{file}` marks where a file name varies per session). Nothing here comes from the project's own
// bench generator, so an engine tuned on that one meets new wording here. They were gathered apart
// from the real phrasings the engine is tuned with (a few sources overlap; the sets differ).

/** `{file}` / `{file2}` are filled per session with files of the session's project. */
export interface Phrasing {
  text: string;
  /** Where the wording was seen (a public file's words, lightly cut to one instruction). */
  seen: string;
}

/** The planted standing preferences, by id. At least five phrasings each, directive and negation forms. */
export const PREFERENCE_PHRASINGS: Record<'only-requested-files' | 'show-diff' | 'pnpm' | 'no-commit' | 'no-emoji', Phrasing[]> = {
  'only-requested-files': [
    { text: 'Do not touch {file}, routing, or the auth code.', seen: 'task brief: "Do not touch `AuthContext`, routing, RLS, `create-user`…"' },
    { text: "Don't modify {file} (it's working, don't modify).", seen: 'agent notes: "`/src/**` - Application code (working, don\'t modify)"' },
    { text: 'Only edit {file}. No other changes.', seen: 'aider histories quoted in issue 13: "only edit <this file> / no other changes"' },
    { text: "No other changes. Don't touch {file} or {file2}.", seen: 'task brief: "### 3. No other changes - Do not touch …"' },
    { text: 'Please do NOT touch {file}.', seen: 'aider histories quoted in issue 13: "Do NOT touch <these files>"' },
    { text: "Don't touch {file}: only change what I asked for.", seen: 'frontend brief: "#### Don\'t Touch - `src/app/api/**`, `src/lib/**`"' },
  ],
  'show-diff': [
    { text: 'Show the diff after each change.', seen: 'review skill: "Show the diff after each change. Do not commit"' },
    { text: 'Show the diff after every logical change.', seen: 'AGENTS.md: "Show the diff after every logical change."' },
    { text: 'next time show me the diff first', seen: 'preference test list: "next time show me the diff first"' },
    { text: 'Show the diff after editing and ask for confirmation before continuing.', seen: 'release skill: "Show the diff after editing and ask for confirmation before continuing."' },
    { text: 're-show the diff after each edit', seen: 'submit skill: "iterate — re-show the diff after each edit"' },
    { text: 'Please show the diff after each step.', seen: 'aider histories quoted in issue 13: "show the diff (after each step)"' },
  ],
  pnpm: [
    { text: 'We use pnpm, never npm.', seen: 'agent prompt: "\\"We use pnpm, never npm\\" → use pnpm."' },
    { text: 'We use pnpm exclusively; never npm or yarn.', seen: 'team notes: "We use pnpm exclusively; never npm or yarn."' },
    { text: 'we use pnpm here, not npm', seen: 'README: "pnpm (we use pnpm, not npm)"' },
    { text: "pnpm only: pnpm-lock.yaml is checked in. Don't use npm or yarn.", seen: 'CLAUDE.md: "**pnpm only:** `pnpm-lock.yaml` is checked in. Don\'t use npm or yarn."' },
    { text: "DON'T USE NPM. Package manager is pnpm only.", seen: 'CLAUDE.md: "**DON\'T USE NPM.** Package manager is **pnpm** only"' },
    { text: "I don't want you to use npm, use pnpm.", seen: 'preference test: "I don\'t want you to use npm"' },
  ],
  'no-commit': [
    { text: "Don't commit unless asked. I decide when to commit.", seen: 'CLAUDE.md: "**Don\'t commit unless asked.** Present results. The user decides when to commit."' },
    { text: 'Never commit, push, or create PRs.', seen: 'agent prompt: "Local changes only: never commit, push, or create issues or PRs"' },
    { text: 'Do not commit — I decide when.', seen: 'review skill: "Do not commit — the user decides when."' },
    { text: 'Do not commit the changes. I review before committing.', seen: 'docs skill: "Do not commit the changes. The user reviews before committing."' },
    { text: "Stop. Do not commit the changes, I'll commit with my own message.", seen: 'workflow: "**Stop.** Do not commit the changes. … let the invoker commit with their preferred message"' },
    { text: "Please don't commit this.", seen: 'contributor note: "Please don\'t commit this to composer.json."' },
  ],
  'no-emoji': [
    { text: 'No emojis please.', seen: 'system prompt: "No emojis unless they use them first"' },
    { text: 'No emojis in body copy.', seen: 'VOICE rules: "No emojis in body copy"' },
    { text: 'please stop using emojis', seen: 'preference test list: "please stop using emojis"' },
    { text: 'stop using emojis from now on', seen: 'few-shot prompt: "stop using emojis from now on"' },
    { text: 'No filler, no apologies, no emojis.', seen: 'persona brief: "No filler, no apologies, no emojis."' },
    { text: 'No emojis, no exclamation marks.', seen: 'sales rules: "No emojis, no exclamation marks, no invented statistics."' },
    { text: 'Avoid emojis in code output and documentation.', seen: 'AGENTS.md: "Avoid emojis in code output and documentation."' },
  ],
};

/** The openers every session's task request uses: shared across all sessions, never a lesson. */
export const TASK_OPENERS = ['I need you to {task}.', 'Can you {task}?', 'Please {task}.', "Let's {task}.", 'Could you {task}?', "I'd like you to {task}."];

/** Matches a task request's opener at the start of a text (for failure class 2). */
export const TASK_OPENER_PATTERN = String.raw`(?:^|[\s"'“])(?:I need you to|Can you|Could you|Please (?:add|fix|update|write|implement|make|move|rename|clean|split|refactor|speed|explain|review|summarize|draft|suggest|outline|cut|release|ship)|Let's|I'd like you to)\b`;

/** Task bodies (no word from any planted marker: no diff, commit, pnpm, emoji, touch, edit). */
export const TASKS = {
  node: [
    'add pagination to the orders list', 'fix the date parsing in the report export', 'add a loading state to the checkout button',
    'write unit tests for the price formatter', 'rename the customer service to accounts', 'split the settings page into tabs',
    'add input validation to the signup form', 'make the search box debounce its requests', 'clean up the unused helpers in utils',
    'add a health check endpoint', 'move the API base URL into config', 'speed up the product list rendering',
  ],
  python: [
    'add a retry to the S3 upload step', 'fix the timezone bug in the nightly job', 'add a CLI flag for the batch size',
    'write tests for the CSV reader', 'refactor the loader into smaller functions', 'add logging around the dedupe step',
    'make the config loader accept YAML', 'clean up the old migration helpers',
  ],
  go: [
    'add a metrics endpoint to the consumer', 'fix the shutdown race in the worker pool', 'add a flag for the batch timeout',
    'write tests for the offset store', 'make the retry backoff configurable', 'add structured logging to the HTTP handler',
  ],
  rust: [
    'add a --json output mode', 'fix the panic on an empty config file', 'add shell completions', 'write tests for the argument parser',
    'make the progress bar optional', 'speed up the directory walk',
  ],
  chat: [
    'explain how to structure a monorepo with shared packages', 'write the setup section of the README', 'draft release notes for the new search feature',
    'review this function for edge cases', 'suggest names for the new settings module', 'outline a migration plan from REST to tRPC',
    'summarize the tradeoffs of server components', 'write a short onboarding guide for new contributors',
  ],
} as const;

/** Fixed task requests of workflow sessions (the others name what varies: a column, a route). */
export const WORKFLOW_TASKS = { release: ['cut a patch release', 'release the current main', 'ship a new version with the latest fixes'] } as const;
