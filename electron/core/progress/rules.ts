// Rules the user wrote by hand in the agents' files (outside Reverie's block, read only): each is
// tracked like a lesson — how often sessions still break it — with a suggestion when they do; and
// seeded practices, learned lessons and these rules are checked against each other for contradictions.
import type { TrackedRule } from '../../../shared/contract/progress';
import type { AgentTool, Lesson, Signal } from '../../../shared/model';
import { choices, contradiction, relates } from '../seeding/text';
import { BEGIN, END } from '../writeback/block';
import { SPOKEN, type DatedSession } from './compute';

export interface RuleFile { file: string; text: string; agentIds: string[]; tool: AgentTool }
export interface HandRule { file: string; line: number; text: string; agentIds: string[]; tool: AgentTool; position: number; of: number }

const IMPERATIVE = /^(always|never|don'?t|do not|avoid|use|prefer|run|keep|make sure|remember|only|must|no\s)/i;

/** Bullets, numbered items and imperative lines outside the Reverie block, code fences and front matter. */
export function parseRules(text: string): { line: number; text: string }[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: { line: number; text: string }[] = [];
  let inBlock = false;
  let inFence = false;
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, j) => j > 0 && l.trim() === '---');
    if (end > 0) i = end + 1;
  }
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.includes(BEGIN)) inBlock = true;
    if (inBlock) {
      if (raw.includes(END)) inBlock = false;
      continue;
    }
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || /^\s*(#|<!--|>|\|)/.test(raw)) continue;
    const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/.exec(raw)?.[1];
    const plain = !bullet && IMPERATIVE.test(raw.trim()) ? raw.trim() : null;
    const rule = (bullet ?? plain)?.replace(/\*\*|__/g, '').trim();
    if (rule && rule.length >= 8) out.push({ line: i + 1, text: rule });
  }
  return out;
}

export function handRules(files: RuleFile[]): HandRule[] {
  return files.flatMap((f) => {
    const rules = parseRules(f.text);
    return rules.map((r, i) => ({ ...r, file: f.file, agentIds: f.agentIds, tool: f.tool, position: i + 1, of: rules.length }));
  });
}

/** A command word at the start of a shell command in the text ("npm install", "; npm run x"). */
const runsCommand = (text: string, word: string) => new RegExp(`(^|[\\s;&|(\`$])${word}(\\s|$)`, 'm').test(text);

/** Does this signal show the rule being broken? */
export function breaks(rule: string, s: Signal): boolean {
  if (SPOKEN.has(s.kind) && relates(rule, s.text)) return true;
  if (s.kind === 'tool_error' || s.kind === 'rejection') {
    for (const word of choices(rule).rejected) if (runsCommand(s.excerpt, word)) return true;
  }
  return false;
}

/** Rules further down than this are read least; moving them up is the cheapest fix. */
const LOW_POSITION = 8;

/**
 * A Claude Code PreToolUse hook: it gets the tool call as JSON on stdin; exit code 2 blocks the call
 * and shows stderr to the agent, so the agent reads the rule exactly when it is about to break it.
 */
export function hookSnippet(commands: string[], rule: string): string {
  const pattern = `(^|[;&|[:space:]])(${commands.join('|')})([[:space:]]|$)`;
  const why = rule.replace(/'/g, '').slice(0, 120);
  const command = `jq -r '.tool_input.command // empty' | grep -Eq '${pattern}' && { echo 'Blocked by your CLAUDE.md rule: ${why}' >&2; exit 2; } || exit 0`;
  return JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command }] }] } }, null, 2);
}

export function suggest(rule: HandRule, hits: Signal[]): TrackedRule['suggestion'] {
  const rejected = [...choices(rule.text).rejected];
  const commandHits = hits.filter((s) => s.kind === 'tool_error' || s.kind === 'rejection');
  if (rejected.length && commandHits.length && rule.tool === 'claude-code') {
    return {
      kind: 'hook',
      text: `Words have not stopped it: add a PreToolUse hook in .claude/settings.json that blocks Bash commands starting with ${rejected.map((w) => `\`${w}\``).join(' or ')} and says why.`,
      snippet: hookSnippet(rejected, rule.text),
    };
  }
  if (rule.position > LOW_POSITION && rule.position > rule.of / 2) {
    return { kind: 'move-up', text: `It is rule ${rule.position} of ${rule.of} in ${rule.file}; move it into the first few lines, where agents weigh instructions most.` };
  }
  const said = hits.find((s) => SPOKEN.has(s.kind))?.text;
  return { kind: 'sharpen', text: `Reword it to name the exact command, file or situation${said ? `, the way you said it in a session: "${said}"` : ''}; vague rules are easy to miss.` };
}

export function trackRules(rules: HandRule[], sessions: DatedSession[], signals: Map<string, Signal[]>): TrackedRule[] {
  return rules.map((r) => {
    const hits: { s: Signal; at: string }[] = [];
    for (const sess of sessions) {
      if (!r.agentIds.includes(sess.agentId)) continue;
      for (const s of signals.get(sess.id) ?? []) if (breaks(r.text, s)) hits.push({ s, at: sess.at });
    }
    const sessionsBroken = new Set(hits.map((h) => h.s.sessionId)).size;
    return {
      file: r.file, line: r.line, text: r.text, agentIds: r.agentIds, position: r.position, of: r.of,
      broken: {
        sessions: sessionsBroken,
        occurrences: hits.length,
        lastAt: hits.map((h) => h.at).sort().at(-1) ?? null,
        examples: hits.slice(-3).map((h) => ({ sessionId: h.s.sessionId, excerpt: h.s.excerpt.slice(0, 200) })),
      },
      // One slip is noise; two sessions that break it are a rule that is not working.
      suggestion: sessionsBroken >= 2 ? suggest(r, hits.map((h) => h.s)) : null,
    };
  });
}

type Ref = { source: 'seeded' | 'learned' | 'user' | 'rule'; ref: string; text: string };
type Scoped = Ref & { scope: string[] };

/** Two statements only conflict when some agent is told both ('all' reaches every agent). */
const overlaps = (a: string[], b: string[]) => a.includes('all') || b.includes('all') || a.some((x) => b.includes(x));

/** Pairs that say opposite things; two seeded practices never conflict with each other by design. */
export function findContradictions(lessons: Lesson[], rules: HandRule[]): { a: Ref; b: Ref; reason: string }[] {
  const refs: Scoped[] = [
    ...lessons.filter((l) => l.status !== 'retired').map((l): Scoped => ({ source: l.origin, ref: l.id, text: l.text, scope: l.agents })),
    ...rules.map((r): Scoped => ({ source: 'rule', ref: `${r.file}:${r.line}`, text: r.text, scope: r.agentIds })),
  ];
  const out: { a: Ref; b: Ref; reason: string }[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < refs.length; i++) {
    for (let j = i + 1; j < refs.length; j++) {
      const [a, b] = [refs[i], refs[j]];
      if (a.source === 'seeded' && b.source === 'seeded') continue;
      if (!overlaps(a.scope, b.scope)) continue;
      const reason = contradiction(a.text, b.text);
      const key = [a.text, b.text].sort().join('\u0000');
      if (reason && !seen.has(key)) {
        seen.add(key);
        out.push({ a: { source: a.source, ref: a.ref, text: a.text }, b: { source: b.source, ref: b.ref, text: b.text }, reason });
      }
    }
  }
  return out;
}
