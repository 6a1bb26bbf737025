// What a user turn says that may hold across sessions. A user message mixes the task at hand
// ("I need you to add a parser"), standing instructions ("do NOT touch models.py, only edit
// app.py"), pasted material (code, logs, stack traces) and, in some tools, text the user did not
// type (aider's architect mode echoes the model's reasoning as `#### Okay, so the user is asking…`,
// and its confirmations "Add file to the chat? … all"). Only the standing instructions and the
// corrections are signals; this module finds them sentence by sentence and gives each a
// canonical, wording-independent form so that one meaning is one key.
import { abstractText, type AbstractContext } from './abstract';
import { stem } from './similarity';

// ── What is not the user speaking ────────────────────────────────────────────────────────────
/** Assistant reasoning pasted or echoed into a user turn (aider architect mode, copy-paste of a reply). */
const ECHOED = /^(?:okay|ok|alright|all right|hmm+|so|well)?[,.]?\s*(?:so\s+)?(?:the user(?:'s)? (?:is asking|asks|wants|want|said|says|mentioned|request|needs|has)|let me (?:think|start|look|check|see|figure|analy[sz]e|break|re-?read|go)|i need to (?:figure|look|check|understand|make sure|find|see)|i (?:will|'ll) (?:start|now|first|need|begin|analy[sz]e|update|modify|make|implement|add|create|help|provide|change)|here(?:'s| is| are) (?:the|a|an|my|what)|(?:first|now|next),? (?:i|let me|we)(?:'ll| will| need| should)?\b)/i;
/** Tool prompts and their answers (aider's "Add file to the chat? (Y)es/(N)o…", bare y/n/all). */
const CONFIRMATION = /\((?:Y)es\/\((?:N)o|\b(?:add|create|run|drop|open) (?:file|url|shell command|\d+ files?|the file)s?\b[^?]{0,120}\?\s*(?:\(|\[|$)|^(?:y|n|yes|no|a|all|d|s|skip|don't ask again|ok)$/i;
/** A line that is pasted code, a log or a stack trace rather than prose. */
const PASTED_LINE = /^(?:\s{4,}|\t)|^\s*(?:at \S+ \(|File ".*", line \d|Traceback \(most recent|[A-Z]\w*(?:Error|Exception)\b:|\$ |>>> |npm (?:ERR|WARN)|error(?:\[\w+\])?:|warning:|\d{4}-\d{2}-\d{2}[T ]\d{2}:|\[\d{2}:\d{2}|[{}[\]();,]+\s*$|[^\s]*[=(){}[\]][^\s]*.*[;{]\s*$|import\s+(?:\{|\*|[\w.]+\s+from\b|[\w.]+;?\s*$)|from\s+[\w.]+\s+import\b|(?:export\s+)?(?:def|class|function|fn|impl|public|private|protected|async function|interface|struct|enum)\s+\w+.*[({:;<]\s*$|#include\b|(?:const|let|var)\s+\w+\s*=|(?:if|for|while|switch)\s*\(|return\b.*;\s*$|[\w.[\]'"]+\s*(?:=|\+=|-=|:=)\s*[^=\s]|<\/?[a-z][\w-]*(?:\s[^>]*)?>\s*$)/;

/** The prose of a user message: code fences, quoted blocks and pasted lines removed. */
export function proseOf(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, '\n')
    .replace(/~~~[\s\S]*?(?:~~~|$)/g, '\n')
    .split('\n')
    .filter((l) => l.trim() && !/^\s*>/.test(l) && !PASTED_LINE.test(l) && !CONFIRMATION.test(l.trim()))
    .join('\n');
}

/** Whether a whole user turn is not the user's own words (echoed reasoning, a confirmation). */
export function notTypedByUser(text: string): boolean {
  const t = text.trim();
  return ECHOED.test(t) || CONFIRMATION.test(t.split('\n')[0].trim()) || /^\/\w+/.test(t);
}

/** Sentences of prose: split at sentence ends, line breaks, semicolons and bullet marks. */
export function sentencesOf(text: string): string[] {
  return proseOf(text)
    // People type the next sentence in lower case too ("… requests. we use pnpm here"); abbreviations don't end one.
    .split(/\n+|(?<=[.!?])(?<!\b(?:e\.g|i\.e|etc|vs|cf|approx|incl)\.)\s+(?=["'(`*\p{L}-])|;\s+|\s+-{1,2}\s+(?=[a-z])/u)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').replace(/^[#*_\s]+|[*_\s]+$/g, '').trim())
    .filter((s) => s.length >= 3 && s.length <= 300 && /\p{L}/u.test(s));
}

// ── Standing instructions ─────────────────────────────────────────────────────────────────────
/** A rule is marked: negated directives, restrictions, "always", conventions, "X, not Y". */
const RULE_MARKERS = [
  /^(?:please\s+|pls\s+|and\s+|but\s+|also\s+|again,?\s+|remember,?\s+|important:?\s+|note:?\s+)*(?:do not|don'?t|dont|never|no longer|stop|avoid|refrain from|quit|without)\b(?!\s+(?:know|worry|mind|understand|think so|care|see|get it))/i,
  /^(?:please\s+|and\s+)*(?:only|just)\s+(?:edit|change|modify|touch|update|use|run|work on|fix|make)\b|^(?:please\s+)?(?:edit|change|modify|touch|work on)\s+only\b/i,
  /^(?:please\s+)?no (?:other|more|extra|additional|unrelated|unnecessary|new|further)\b|^no [a-z]+(?: [a-z]+)?[.!]*$/i,
  /\b(?:always|every time|each time|after (?:each|every|any)|before (?:each|every|any|you (?:commit|push|run|start|finish)|(?:i|we) (?:commit|push|merge|release)|(?:committing|pushing|merging|opening|submitting|releasing|deploying|considering|calling|marking|declaring|finishing))|whenever|from now on|going forward|in (?:the )?future|by default|as a rule|at all times)\b/i,
  /\b(?:in this (?:repo|repository|project|codebase)|we (?:use|prefer|always|never|don'?t|do not|stick|write|follow)|our (?:convention|style|rule|team|codebase)|(?:the )?convention (?:here )?is)\b/i,
  /\b(?:remember (?:to|that)|make sure (?:to|you)|be sure to|keep (?:using|the (?:existing|same|original))|stick (?:to|with)|i (?:prefer|like to|always want))\b|\bprefer\b/i,
  /\b(?:instead of|rather than)\b|\buse [\w.@/-]+,? (?:not|never) [\w.@/-]+|^[\w.@/-]+(?: [\w.@/-]+)?,? not [\w.@/-]+(?: [\w.@/-]+)?[.!]*$/i,
  /\b(?:leave|keep)\b.{1,60}\b(?:alone|unchanged|untouched|as (?:is|it is)|intact)\b/i,
];
/** The opening of a request for work: these sentences are the task, not a rule about the work. */
const TASK_REQUEST = /^(?:(?:hi|hello|hey|ok(?:ay)?|great|thanks|now|next|so|and)[,!.]?\s+)*(?:(?:please\s+)?(?:can|could|would|will) you|i (?:need|want|would like|'d like) (?:you )?to|i(?:'m| am) (?:trying|looking|working)|let'?s|help me|we need to|i need|please (?:implement|add|create|build|write|fix|make|update|refactor|generate|set up|convert|change|rename|move|remove|delete|explain|help|review|check|look|investigate|find|show|give|tell))\b/i;
/** Questions and acknowledgements are never rules. */
const QUESTION = /^(?:can|could|would|will|what|how|where|which|who|why|is|are|does|do you|did)\b.*\?$/i;
/** "Never mind", "no problem": a dismissal, never a correction. */
const NEVER_MIND = 'never ?mind|nevermind|no (?:problem|worries|thanks|rush|need)';
export const DISMISSAL = new RegExp(`^(?:${NEVER_MIND})\\b`, 'i');
/** …and acknowledgements: never a rule either. */
const ACKNOWLEDGEMENT = new RegExp(`^(?:${NEVER_MIND}|thanks|thank you|ok(?:ay)?|great|perfect|yes|yep|sure|lgtm)\\b`, 'i');

/** Whether a sentence states a standing instruction (independent of whether the agent acted). */
export function isRule(sentence: string): boolean {
  const s = sentence.trim();
  // "Can you always run the tests?" is a rule asked politely; "Can you add a parser?" is the task.
  const body = s.replace(TASK_REQUEST, '').trim();
  if (!s || !body || ACKNOWLEDGEMENT.test(s)) return false;
  const marked = RULE_MARKERS.some((r) => r.test(body));
  return marked && !(QUESTION.test(s) && body === s);
}

/**
 * The part of a sentence that states the rule: "fix the date parsing in the export and show the
 * diff after each step" → "show the diff after each step". The task it shares the sentence with is
 * not part of the rule (it would tie the rule to one session's work).
 */
export function ruleSpan(sentence: string): string {
  const parts = sentence.split(/(,\s+|;\s+|\s+(?:and|but|then|also)\s+|\s+[-–—]\s+)/i);
  for (let i = 2; i < parts.length; i += 2) {
    const clause = parts[i].replace(TASK_REQUEST, '').trim();
    // "run the tests before and after every change": a condition, not a new clause.
    if (/^(?:after|before|when|while|during|until|if|each|every)\b/i.test(clause)) continue;
    if (RULE_MARKERS.some((r) => r.test(clause)) && !RULE_MARKERS.some((r) => r.test(parts.slice(0, i - 1).join('').replace(TASK_REQUEST, '').trim()))) {
      return parts.slice(i).join('').trim();
    }
  }
  return sentence;
}

/** Whether a sentence is a request for work (the task), which is never learned as a preference. */
export const isTaskRequest = (sentence: string) => TASK_REQUEST.test(sentence.trim()) && !isRule(sentence.replace(TASK_REQUEST, '').trim());

// ── Canonical form: one meaning, one key ──────────────────────────────────────────────────────
/** Words with the same meaning in an instruction, folded onto one (already stemmed by `stem`). */
const SYNONYMS: Record<string, string> = {
  touch: 'edit', modify: 'edit', chang: 'edit', change: 'edit', alter: 'edit', rewrit: 'edit', rewrite: 'edit', edit: 'edit', mess: 'edit', updat: 'edit', update: 'edit',
  delet: 'remove', delete: 'remove', remov: 'remove', remove: 'remove', drop: 'remove', strip: 'remove', get: 'get',
  execut: 'run', execute: 'run', run: 'run', launch: 'run', invok: 'run',
  display: 'show', print: 'show', output: 'show', show: 'show', present: 'show',
  diff: 'diff', diffs: 'diff', patch: 'diff',
  test: 'test', spec: 'test', unittest: 'test',
  comment: 'comment', docstr: 'comment', docstring: 'comment',
  packag: 'package', package: 'package', librari: 'dependency', library: 'dependency', depend: 'dependency', dependenc: 'dependency', dependency: 'dependency', dep: 'dependency', deps: 'dependency',
  commit: 'commit', push: 'push',
  explain: 'explain', explanat: 'explain', describ: 'explain', summar: 'explain', summari: 'explain',
  file: 'file', files: 'file', modifi: 'edit', committ: 'commit', emojis: 'emoji', emoj: 'emoji',
};

const FILLER = new Set(['please', 'pls', 'kindly', 'just', 'really', 'also', 'again', 'the', 'a', 'an', 'to', 'and', 'or', 'it', 'this', 'that', 'these', 'those', 'of', 'in', 'for', 'on', 'at', 'by', 'with', 'is', 'are', 'be', 'me', 'my', 'i', 'you', 'your', 'we', 'our', 'us', 'so', 'here', 'there', 'ok', 'okay', 'then', 'any', 'some', 'all', 'always', 'every', 'each', 'time', 'from', 'now', 'on', 'going', 'forward', 'future', 'default', 'make', 'sure', 'remember', 'should', 'must', 'can', 'could', 'would', 'will', 'shall', 'need', 'want', 'like', 'prefer', 'keep', 'use', 'uses', 'used', 'using', 'wrong', 'incorrect', 'actually', 'wait', 'hmm', 'hey', 'do', 'does', 'did', 'have', 'has', 'been', 'being', 'was', 'were', 'if', 'when', 'whenever', 'as', 'rule', 'into', 'about', 'what', 'which', 'its', 'them', 'they', 'their', 'important', 'note', 'yourself', 'thing', 'things', 'stuff', 'code', 'anything', 'everything', 'something', 'else', 'other', 'unrelated', 'additional', 'extra', 'more', 'further', 'new', 'except', 'but', 'instead', 'rather', 'than', 'repo', 'repository', 'project', 'codebase', 'after', 'before', 'step', 'steps']);
/** Words that negate the rest of their clause. */
const NEGATORS = /^(?:not|no|never|dont|don|avoid|stop|quit|without|refrain|nothing|none)$/;
/** Objects that mean "files beyond the ones named": with an edit verb, the rule is about scope. */
const FILEISH = /^(?:<path>|file|files|path|paths|other|rest|anything|everything|nothing|unrelated|module|modules|code|folder|folders|directory)$/;
/** Tools that stand in for one another: naming any of them is about the choice between them. */
const FAMILY: Record<string, string> = Object.fromEntries([
  ...['npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx'].map((t) => [t, 'package-manager']),
  ...['pip', 'pip3', 'uv', 'poetry', 'pipenv', 'conda', 'pdm', 'rye'].map((t) => [t, 'python-packages']),
  ...['jest', 'vitest', 'mocha', 'jasmine', 'ava'].map((t) => [t, 'js-test-runner']),
  ...['prettier', 'biome', 'eslint', 'dprint'].map((t) => [t, 'js-format']),
  ...['tab', 'space', 'indent', 'indentation'].map((t) => [t, 'indentation']),
]);

/**
 * Whether two instructions are one choice of tool said two ways: both only about the same family
 * ("never npm or yarn", "we use pnpm, not npm"), and neither wanting what the other refuses.
 */
export function sameToolChoice(a: Iterable<string>, b: Iterable<string>): boolean {
  const familyOf = (tokens: string[]) => {
    const fam = tokens.find((t) => t.startsWith('family:'))?.slice(7);
    return fam && tokens.every((t) => t.startsWith('family:') || t.startsWith('~') || FAMILY[t.replace(/^!/, '')] === fam) ? fam : undefined;
  };
  const ta = [...a], tb = [...b];
  const fam = familyOf(ta);
  if (!fam || fam !== familyOf(tb)) return false;
  const sb = new Set(tb);
  return !ta.some((t) => (t.startsWith('!') ? sb.has(t.slice(1)) : sb.has(`!${t}`)));
}

/** Where a clause turns from the instruction to its conditions: what follows qualifies, it is not the subject. */
const QUALIFIER = /^(?:unless|where|which|because|except|including|since|although|though|when|whenever|if|while|until)$/;

/**
 * A sentence's canonical signed tokens: placeholders for what varies, negation folded into a "!"
 * on each word of its clause, synonyms folded, filler dropped. Two wordings of one instruction
 * ("Do NOT touch models.py", "don't modify other files, only app.py", "no other changes") reach
 * the same tokens; the reversed rule keeps the same words with the opposite sign.
 */
export function canonicalTokens(sentence: string, ctx: AbstractContext = {}): string[] {
  const { form } = abstractText(sentence, ctx);
  // "after each step", "after every change", "each time": when, said generally, is part of "always".
  const text = form.toLowerCase().replace(TRIGGER, ' ').replace(/n't\b/g, ' not').replace(/\bno (?:longer|more)\b/g, 'not');
  const out: string[] = [];
  const families = new Set<string>();
  let scopeRule = false;
  const clauses = text.split(/([,;:!?()]|\.(?=\s|$)|\s[-–—]\s|\bbut\b)/);
  let carried = false;
  for (let c = 0; c < clauses.length; c += 2) {
    const clause = clauses[c];
    const words = clause.split(/[^\p{L}\p{N}<>_.'-]+/u).map((w) => w.replace(/^['.-]+|['.-]+$/g, '')).filter(Boolean).flatMap(cjkBigrams);
    // "I decide when", "I'll review it": what the user does is context for the rule, not the rule.
    const aboutMe = /^\s*i(?:'ll| will| am going to)?\s+(?:decide|review|handle|check|do|commit|merge|push|deploy|test|run|look)\b/.test(clause);
    // A list goes on under the same negation: "never commit, push, or create PRs".
    const continues = clauses[c - 1] === ',' && (/^\s*(?:or|nor|and)\b/.test(clause) || (words.length === 1 && /^\s*(?:or|nor|and)\b/.test(clauses[c + 2] ?? '')));
    let neg: boolean = continues && carried;
    let only = false;
    let qualifying = aboutMe;
    const clauseOut: { w: string; neg: boolean }[] = [];
    for (const raw of words) {
      // "don't add comments where the code is self-evident": the rule is "don't add comments";
      // its condition stays as lightly weighed words (`~code`), so wordings with other conditions still match.
      if (QUALIFIER.test(raw) || (raw === 'that' && clauseOut.length > 0 && !/^(?:sure|ensure|remember|check|verify)$/.test(words[words.indexOf(raw) - 1] ?? ''))) { qualifying = true; continue; }
      if (qualifying) {
        const q = /^<\w+>$/.test(raw) ? raw : SYNONYMS[stem(raw)] ?? stem(raw);
        if (q.length > 1 && !FILLER.has(raw) && !FILLER.has(q) && !NEGATORS.test(raw)) clauseOut.push({ w: `~${q}`, neg: false });
        continue;
      }
      if (NEGATORS.test(raw)) { neg = true; continue; }
      // "use pnpm instead of npm", "tabs rather than spaces": what follows is what not to do.
      if (raw === 'instead' || raw === 'rather') { neg = true; continue; }
      if (raw === 'only' || raw === 'solely' || raw === 'exclusively') { only = true; continue; }
      if (FILEISH.test(raw)) { clauseOut.push({ w: raw === '<path>' ? '<path>' : 'file', neg }); continue; }
      const bare = raw.replace(/^re-(?=\w)/, '');
      const w = /^<\w+>$/.test(raw) ? raw : SYNONYMS[stem(bare)] ?? SYNONYMS[bare] ?? stem(bare);
      if (w.length <= 1 || FILLER.has(raw) || FILLER.has(w)) continue;
      clauseOut.push({ w, neg });
      if (FAMILY[w]) families.add(FAMILY[w]);
    }
    // "do NOT touch <path>", "only edit <path>", "no other changes", "leave the rest alone":
    // all say "keep your edits to what was asked" — one rule, whatever files it names.
    const words_ = clauseOut.map((c) => c.w).filter((w) => !w.startsWith('~'));
    const hasEdit = words_.includes('edit') || /\bchanges?\b/.test(clause);
    const aboutFiles = words_.some((w) => w === '<path>' || w === 'file') || /\b(?:other|else|rest|unrelated)\b/.test(clause);
    if ((hasEdit && aboutFiles && (neg || only)) || (neg && /\b(?:other|unrelated|extra|additional|further)\s+changes?\b/.test(clause)) || /\bleave\b.*\b(?:alone|untouched|as is|unchanged|intact)\b/.test(clause)) {
      scopeRule = true;
      continue;
    }
    for (const c of clauseOut) out.push(c.neg && !c.w.startsWith('~') ? `!${c.w}` : c.w);
    carried = neg;
  }
  if (scopeRule) out.unshift('scope:edit');
  // "never npm or yarn" and "we use pnpm, not npm" are one choice of tool, said two ways.
  for (const f of families) out.push(`family:${f}`);
  return [...new Set(out)];
}

const TRIGGER = /\b(?:after|before|with|on|for) (?:each|every|any|all) (?:single |meaningful |small )?(?:step|change|edit|task|time|modification|update|file|iteration|turn|answer|response|reply)s?\b/g;

/** Scripts written without spaces between words: compared by overlapping character pairs. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
function cjkBigrams(word: string): string[] {
  if (!CJK.test(word) || word.length <= 2) return [word];
  const chars = [...word];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

/** The key of an instruction: its canonical tokens, sorted, so word order does not matter. */
export function instructionKey(sentence: string, ctx?: AbstractContext): string {
  const tokens = canonicalTokens(sentence, ctx);
  // All filler ("no, use just" names the tool `just`): the words themselves, so nothing is lost.
  if (!tokens.length) tokens.push(...new Set(abstractText(sentence, ctx).form.toLowerCase().split(/[^\p{L}\p{N}<>_.-]+/u).filter((w) => w.length > 1)));
  return [...tokens].sort().join(' ');
}
