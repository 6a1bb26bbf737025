// Claude Code transcripts (~/.claude/projects/<slug>/*.jsonl), FORMATS.md §1.
// The conversation is a tree (parentUuid → uuid), not the file order: rewinds leave abandoned
// siblings, compaction restarts the chain at a compact_boundary whose logicalParentUuid joins it
// back, and one API reply is split over several lines sharing message.id.
import path from 'node:path';
import type { SessionEvent } from '../../../shared/model';
import { readJsonLines } from './lines';
import { clip, textOfBlocks } from './text';
import type { FormatImporter, ParsedSession } from './types';
import { isoTime } from './values';

type Rec = Record<string, unknown>;
/** What the tree needs of a record, kept until the file ends (the record itself is turned into events at once). */
interface Node {
  uuid: string;
  parent: string | null;
  line: number;
  type: string;
  /** Ids of the tool_use blocks it holds. */
  toolUses: string[];
  /** When every block is a tool_result: the tool_use ids they answer. */
  results: string[] | null;
  /** Every block is a tool_use (vacuously true without blocks). */
  allToolUse: boolean;
}

const REJECTION = /^The user doesn't want to proceed with this tool use/;
const INTERRUPT = /^\[Request interrupted by user/;
const INJECTED = /^\s*<(command-name|command-message|local-command-stdout|local-command-caveat|system-reminder|bash-input|bash-stdout|bash-stderr)>/;
const CONVERSATIONAL = new Set(['user', 'assistant', 'system']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);

export const claudeCode: FormatImporter = {
  tool: 'claude-code',
  // One session per file, appended to while the agent works: a grown file is read from where it ended.
  appendable: true,
  detect(head) {
    // Any early line that carries the conversation envelope: sessionId + parentUuid + type.
    return head.split('\n').some((l) => l.startsWith('{') && l.includes('"sessionId"') && l.includes('"parentUuid"') && /"type"\s*:/.test(l));
  },
  async *parse(file, ctx) {
    const nodes = new Map<string, Node>();
    const events = new EventBuilder(file);
    let sessionId: string | null = null;
    let cwd: string | null = null;
    let agentId: string | null = null;
    let firstPrompt: string | null = null;
    let aiTitle: string | null = null;
    for await (const { line, value } of readJsonLines(file, ctx)) {
      const type = str(value.type);
      if (type === 'ai-title' || type === 'custom-title') aiTitle = str(value.title) ?? str(value.aiTitle) ?? str(value.customTitle) ?? aiTitle;
      const uuid = str(value.uuid);
      if (!uuid) continue;
      sessionId ??= str(value.sessionId) ?? null;
      cwd ??= str(value.cwd) ?? null;
      agentId ??= str(value.agentId) ?? null;
      // Resumed files repeat earlier records with the same uuid: the first copy wins.
      if (nodes.has(uuid)) continue;
      const parent = str(value.parentUuid) ?? str(value.logicalParentUuid) ?? null;
      const bs = blocks(value);
      nodes.set(uuid, {
        uuid,
        parent,
        line,
        type: type ?? '',
        toolUses: bs.filter((b) => b.type === 'tool_use' && typeof b.id === 'string').map((b) => b.id as string),
        results: bs.length && bs.every((b) => b.type === 'tool_result') ? bs.map((b) => String(b.tool_use_id)) : null,
        allToolUse: bs.every((b) => b.type === 'tool_use'),
      });
      events.add(uuid, line, value);
      if (!firstPrompt && type === 'user' && !value.isMeta && !value.isCompactSummary) {
        const t = userText(value);
        if (t && !INJECTED.test(t) && !INTERRUPT.test(t)) firstPrompt = t;
      }
    }
    if (!nodes.size) return;
    // Subagents: a warm-up (only prompt "Warmup") or the compaction summariser is not user work.
    const base = path.basename(file, '.jsonl');
    if (base.startsWith('agent-acompact')) return ctx.skip('compaction summariser, not user work');
    if (firstPrompt?.trim() === 'Warmup') return ctx.skip('cache warm-up subagent, not user work');

    const active = activeSet(nodes);
    const list = events.finish(active);
    if (!list.length) return;
    const first = nodes.values().next().value!;
    const id = agentId ? `${sessionId ?? base}/agent-${agentId}` : (sessionId ?? base);
    yield {
      id,
      tool: 'claude-code',
      project: cwd,
      title: clip(aiTitle ?? firstPrompt ?? 'Claude Code session', 120),
      events: list,
      rootKey: `claude-code:${first.uuid}`,
    } satisfies ParsedSession;
  },
};

/** Tool inputs (a Write's whole file) are cut before being serialized; the stored input is 2,000 chars. */
const KEEP_CHARS = 8_000;
function cutStrings(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.slice(0, KEEP_CHARS);
  if (depth <= 0 || !v || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 200).map((x) => cutStrings(x, depth - 1));
  return Object.fromEntries(Object.entries(v as Rec).map(([k, x]) => [k, cutStrings(x, depth - 1)]));
}

function userText(rec: Rec): string | undefined {
  const content = obj(rec.message)?.content;
  return typeof content === 'string' ? content : Array.isArray(content) ? textOfBlocks(content, ['text']) : undefined;
}

/**
 * The live branch ends at the latest conversational record; walking its parents gives the active
 * path. Parallel tool calls also create siblings (each result hangs off its own tool_use), so a
 * tool-result record whose tool_use is on the active path is active too, not a rewind.
 */
function activeSet(nodes: Map<string, Node>): Set<string> {
  // Map order is file order: records are added as they are read.
  const ordered = [...nodes.values()];
  let leaf = ordered[ordered.length - 1];
  for (let i = ordered.length - 1; i >= 0; i--) if (CONVERSATIONAL.has(ordered[i].type)) { leaf = ordered[i]; break; }
  const active = new Set<string>();
  for (let n: Node | undefined = leaf; n && !active.has(n.uuid); n = n.parent ? nodes.get(n.parent) : undefined) active.add(n.uuid);
  const activeToolUses = new Set<string>();
  for (const id of active) for (const t of nodes.get(id)!.toolUses) activeToolUses.add(t);
  for (const n of ordered) {
    if (active.has(n.uuid)) continue;
    if (n.results?.length && n.results.every((id) => activeToolUses.has(id))) active.add(n.uuid);
    // An assistant line of a split reply whose sibling is active belongs to the same reply.
    else if (n.type === 'assistant' && n.parent && active.has(n.parent) && n.allToolUse) {
      active.add(n.uuid);
      for (const t of n.toolUses) activeToolUses.add(t);
    }
  }
  return active;
}

function blocks(rec: Rec): Rec[] {
  const content = obj(rec.message)?.content;
  return Array.isArray(content) ? (content.filter((b) => obj(b)) as Rec[]) : [];
}

/**
 * Turns each record into events as it is read (file order: tool names are known before their
 * results, the lines of one split reply are adjacent). Only the branch waits for the whole tree.
 */
class EventBuilder {
  private readonly events: SessionEvent[] = [];
  /** The record (uuid) each event came from, for the branch. */
  private readonly origin: string[] = [];
  private readonly toolNames = new Map<string, string>();
  private lastAssistant: { messageId: string; event: SessionEvent } | null = null;
  constructor(private readonly file: string) {}

  private push: Pusher = (n, suffix, e) => {
    const event = {
      id: suffix ? `${n.uuid}#${suffix}` : n.uuid,
      seq: this.events.length,
      timestamp: isoTime(n.rec.timestamp),
      source: { file: this.file, line: n.line, record: n.uuid },
    } as SessionEvent;
    // Copied key by key rather than spread into the literal: see copyDraft in events.ts (V8 kept spread
    // copies alive into the old generation).
    for (const k of Object.keys(e) as (keyof typeof e)[]) (event as Record<string, unknown>)[k] = e[k];
    this.events.push(event);
    this.origin.push(n.uuid);
  };

  add(uuid: string, line: number, rec: Rec): void {
    const n = { uuid, line, rec };
    const push = this.push;
    const events = this.events;
    const type = str(rec.type);
    if (!type || !CONVERSATIONAL.has(type)) return;
    const msg = obj(rec.message);
    if (type === 'system') {
      const subtype = str(rec.subtype);
      if (subtype === 'compact_boundary') push(n, '', { kind: 'system', text: 'Conversation compacted', injected: true });
      else if (subtype === 'api_error') push(n, '', { kind: 'system', text: clip(str(rec.content) ?? 'API error', 500), isError: true, injected: true });
      return;
    }
    const content = msg?.content;
    if (type === 'user') {
      const injected = !!rec.isMeta || !!rec.isCompactSummary;
      if (typeof content === 'string') return pushUserText(n, content, injected, push);
      if (!Array.isArray(content)) return;
      content.forEach((b: unknown, i: number) => {
        const block = obj(b);
        if (!block) return;
        if (block.type === 'text' && typeof block.text === 'string') pushUserText(n, block.text, injected, push, String(i));
        else if (block.type === 'tool_result') {
          const text = typeof block.content === 'string' ? block.content : Array.isArray(block.content) ? textOfBlocks(block.content, ['text']) : '';
          const callId = str(block.tool_use_id);
          const rejected = REJECTION.test(text);
          push(n, String(i), {
            kind: 'tool_result',
            text: clip(text, 4000),
            tool: { name: (callId && this.toolNames.get(callId)) ?? 'unknown', callId },
            isError: block.is_error === true,
            ...(rejected ? { rejected: true } : {}),
          });
        }
      });
      return;
    }
    // assistant: one block per line, lines of one reply share message.id; merge adjacent text.
    if (!Array.isArray(content)) return;
    const messageId = str(msg?.id) ?? uuid;
    content.forEach((b: unknown, i: number) => {
      const block = obj(b);
      if (!block) return;
      if (block.type === 'text' && typeof block.text === 'string') {
        if (!block.text.trim()) return;
        const last = this.lastAssistant;
        if (last && last.messageId === messageId && events[events.length - 1] === last.event) {
          last.event.text = clip(`${last.event.text}\n${block.text}`, 8000);
          return;
        }
        push(n, String(i), { kind: 'assistant', text: clip(block.text, 8000) });
        this.lastAssistant = { messageId, event: events[events.length - 1] };
      } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking.trim()) {
        push(n, String(i), { kind: 'thinking', text: clip(block.thinking, 4000) });
      } else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        const callId = str(block.id);
        if (callId) this.toolNames.set(callId, name);
        const input = JSON.stringify(cutStrings(block.input ?? {}, 3));
        push(n, String(i), { kind: 'tool_call', text: `${name} ${clip(describeInput(block.input), 300)}`, tool: { name, callId, input: clip(input, 2000) } });
      }
    });
  }

  finish(active: Set<string>): SessionEvent[] {
    this.events.forEach((e, i) => (e.branch = active.has(this.origin[i]) ? 'active' : 'abandoned'));
    return this.events;
  }
}

interface RecordRef { uuid: string; line: number; rec: Rec }
type Pusher = (n: RecordRef, suffix: string, e: Omit<SessionEvent, 'id' | 'seq' | 'timestamp' | 'source' | 'branch'>) => void;

function pushUserText(n: RecordRef, text: string, injected: boolean, push: Pusher, suffix = ''): void {
  if (!text.trim()) return;
  if (INTERRUPT.test(text)) push(n, suffix, { kind: 'user', text, interrupt: true, injected: true });
  else push(n, suffix, { kind: 'user', text: clip(text, 8000), ...(injected || INJECTED.test(text) ? { injected: true } : {}) });
}

/** The part of a tool input a person recognizes: the command, the file, the pattern. */
export function describeInput(input: unknown): string {
  const i = obj(input);
  if (!i) return '';
  for (const k of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt']) if (typeof i[k] === 'string') return i[k] as string;
  return JSON.stringify(i);
}
