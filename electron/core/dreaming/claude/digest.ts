// A session's digest: the compact, redacted view of one session that the discovery pass sends to
// Claude. It keeps what a cross-session pattern is made of — what the user asked (a new task, or
// something said to the agent), errors with the call that followed, rejected or interrupted
// actions, and the tool steps in order — within a per-session token budget. Every line starts with
// the event's sequence number, which is what Claude cites; Reverie maps it back to the real event.
import { createHash } from 'node:crypto';
import type { SessionEvent } from '../../../../shared/model';
import type { SessionDoc } from '../../store/schema';
import { estimateTokens, redactOutbound } from './prompt';

/** Per session: small enough that 2,000 sessions stay within the cost target (docs/dreaming.md §6). */
export const DIGEST_TOKENS = 300;
const USER_CHARS = 220;
const ERROR_CHARS = 140;
const STEP_CHARS = 48;

export interface DigestLine {
  seq: number;
  eventId: string;
  /** task | said | error | next | rejected | interrupted */
  tag: string;
  text: string;
  /** Lower keeps longer when the budget is tight (0 = the user's own words). */
  rank: number;
}

export interface Step { seq: number; eventId: string; text: string }

export interface Digest {
  sessionId: string;
  agentId: string;
  startedAt: string | null;
  lines: DigestLine[];
  /** Tool steps in order, compressed (a repeated step is written once); citable by their seq. */
  steps: Step[];
  /** sha256 of the digest's text: a session whose digest did not change is not sent again. */
  hash: string;
  tokens: number;
}

const oneLine = (text: string, max: number) => {
  const t = redactOutbound(text).replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
};

const ERRORISH = /error|exception|fail|not found|denied|invalid|cannot|can't|unable|refused|no such|traceback/i;
/** Bookkeeping lines a tool prints around its output (aider's token counts, a commit) are not the error. */
const NOISE = /^(tokens: .* sent|cost: |commit [0-9a-f]{7}|committing |applied edit to |\^c )/i;

/** The line that says what went wrong: the first error-looking line, else the first that is not bookkeeping. */
export function errorGist(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => ERRORISH.test(l) && !NOISE.test(l)) ?? lines.find((l) => !NOISE.test(l)) ?? lines[0] ?? '';
}

/** Code comments carrying an instruction for the AI (`// AI! …`, `# … AI?`), without the comment marker. */
export function codeInstructions(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[\s█│]+/, '');
    const m = /^(?:\/\/|#|--|\/\*)\s*(.*)$/.exec(line);
    if (m && /(^|\s)AI[!?](\s|$)/.test(m[1])) {
      const body = m[1].replace(/(^|\s)AI[!?](?=\s|$)/g, ' ').replace(/\*\/\s*$/, '').trim();
      if (body.length >= 3) out.push(body);
    }
  }
  return out;
}

/**
 * The excerpt a person sees as evidence for a cited event: its own text, narrowed to what the
 * digest showed of it (the error line of a failure, the instruction comments an assistant quoted).
 */
export function eventExcerpt(e: SessionEvent, max = 400): string {
  const code = e.kind === 'assistant' ? codeInstructions(e.text) : [];
  const text = code.length ? code.join(' · ') : e.isError ? errorGist(e.text) : e.text;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const stepOf = (e: SessionEvent) => oneLine(`${e.tool?.name ?? 'tool'} ${e.tool?.input ?? e.text}`, STEP_CHARS);

/** The digest's body, as sent under its session header. */
export function digestBody(d: Pick<Digest, 'lines' | 'steps'>): string {
  const lines = d.lines.map((l) => `${l.seq} ${l.tag}: ${l.text}`);
  if (d.steps.length) lines.push(`steps: ${d.steps.map((s) => (s.seq < 0 ? s.text : `${s.seq} ${s.text}`)).join(' → ')}`);
  return lines.join('\n');
}

export function digestSession(doc: SessionDoc, budget = DIGEST_TOKENS): Digest {
  // Injected user text (system reminders, pasted context) is not the user's; a system event is
  // never typed by anyone, and only its failures are kept below.
  const events = doc.events.filter((e) => !(e.injected && e.kind === 'user') && e.branch !== 'abandoned').sort((a, b) => a.seq - b.seq);
  const lines: DigestLine[] = [];
  const steps: Step[] = [];
  // A user turn right after the agent failed or was stopped is said *to* the agent (a correction,
  // a standing wish); otherwise it asks for new work, which is a one-off by nature.
  let trouble = false;
  let sawUser = false;
  const said = new Set<string>();
  events.forEach((e, i) => {
    // aider's watch mode: the user writes instructions into the code as `// … AI!` comments, which
    // reach the log only as the assistant quotes them. They are the user's words all the same.
    if (e.kind === 'assistant' || e.kind === 'user') {
      for (const c of codeInstructions(e.text)) if (!said.has(c)) {
        said.add(c);
        lines.push({ seq: e.seq, eventId: e.id, tag: 'in code', text: oneLine(c, USER_CHARS), rank: 0 });
      }
    }
    if (e.kind === 'user') {
      const said = trouble || (sawUser && /^\s*(no\b|don'?t|do not|stop|never|always|please (?:always|never|don'?t)|wrong|instead|you (?:forgot|should|need)|use )/i.test(e.text));
      lines.push({ seq: e.seq, eventId: e.id, tag: said ? 'said' : 'task', text: oneLine(e.text, USER_CHARS), rank: 0 });
      trouble = false;
      sawUser = true;
    } else if (e.kind === 'tool_call') {
      const step = stepOf(e);
      if (steps[steps.length - 1]?.text !== step) steps.push({ seq: e.seq, eventId: e.id, text: step });
      if (e.rejected || e.interrupt) {
        lines.push({ seq: e.seq, eventId: e.id, tag: e.rejected ? 'rejected' : 'interrupted', text: step, rank: 1 });
        trouble = true;
      }
    } else if ((e.kind === 'tool_result' || e.kind === 'system') && (e.isError || e.rejected || e.interrupt)) {
      // System events carry the failures of the agent itself (a model or provider error in aider).
      const tag = e.isError ? 'error' : e.rejected ? 'rejected' : 'interrupted';
      lines.push({ seq: e.seq, eventId: e.id, tag, text: oneLine(`${e.tool?.name ? `${e.tool.name}: ` : ''}${e.isError ? errorGist(e.text) : e.text}`, ERROR_CHARS), rank: 1 });
      trouble = true;
      const next = events.slice(i + 1).find((x) => x.kind === 'tool_call' || x.kind === 'user');
      if (next?.kind === 'tool_call') lines.push({ seq: next.seq, eventId: next.id, tag: 'next', text: stepOf(next), rank: 2 });
    } else if ((e.interrupt || e.rejected) && e.kind !== 'assistant') {
      lines.push({ seq: e.seq, eventId: e.id, tag: e.rejected ? 'rejected' : 'interrupted', text: oneLine(e.text, ERROR_CHARS), rank: 1 });
      trouble = true;
    }
  });
  const unique = [...new Map(lines.map((l) => [`${l.seq}`, l])).values()].sort((a, b) => a.seq - b.seq);
  const fitted = fit(unique, steps, budget);
  const text = digestBody(fitted);
  return {
    sessionId: doc.session.id, agentId: doc.session.agentId, startedAt: doc.session.startedAt,
    ...fitted, hash: createHash('sha256').update(text).digest('hex'), tokens: estimateTokens(text),
  };
}

/**
 * Shrinks a digest into its budget: first the steps (from the middle: how work starts and ends
 * says more), then the follow-up calls, then errors, and last the user's words, which are clipped
 * shorter before any is dropped.
 */
const GAP: Step = { seq: -1, eventId: '', text: '…' };

function fit(lines: DigestLine[], steps: Step[], budget: number): { lines: DigestLine[]; steps: Step[] } {
  let ls = lines;
  let st = steps;
  const size = () => estimateTokens(digestBody({ lines: ls, steps: st }));
  if (size() > budget && st.length > 6) st = [...st.slice(0, 3), GAP, ...st.slice(-2)];
  for (const rank of [2, 1]) {
    while (size() > budget && ls.some((l) => l.rank === rank)) {
      const last = ls.map((l) => l.rank).lastIndexOf(rank);
      ls = ls.filter((_, i) => i !== last);
    }
  }
  if (size() > budget) st = [];
  for (const max of [120, 70]) if (size() > budget) ls = ls.map((l) => ({ ...l, text: l.text.length > max ? `${l.text.slice(0, max - 1)}…` : l.text }));
  // Still too long: keep the earliest and latest things the user said (the task and where it ended).
  while (size() > budget && ls.length > 2) ls = ls.filter((_, i) => i !== Math.floor(ls.length / 2));
  return { lines: ls, steps: st };
}
