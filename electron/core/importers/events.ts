// Builds the normalized event list of one session. Every format importer pushes drafts; this
// keeps the id/seq/source bookkeeping and the size limits in one place.
import type { SessionEvent } from '../../../shared/model';
import { clip } from './text';

export type EventDraft = Omit<SessionEvent, 'seq' | 'source' | 'timestamp'> & {
  timestamp?: string | null;
  /** 1-based line (line formats) or record index (documents). */
  line?: number;
  record?: string;
};

/** Stored text is for reading and mining, not archiving: long outputs keep their start (where errors are). */
const LIMIT: Record<SessionEvent['kind'], number> = { user: 8000, assistant: 8000, thinking: 4000, tool_call: 600, tool_result: 4000, system: 2000 };

/**
 * A shallow copy of a draft's fields but line, record and timestamp, in their order (what
 * `const { line, record, timestamp, ...rest } = draft` gives). Spread into a literal,
 * once per event, made V8 keep a fifth of everything an import allocates alive past two young-generation
 * collections: promoted to the old generation as garbage, it grew the heap by ~90 MB over a 14 MB ChatGPT
 * export before a full collection. Copied key by key, the events die young like the rest.
 */
function copyDraft(d: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(d)) if (k !== 'line' && k !== 'record' && k !== 'timestamp') out[k] = (d as Record<string, unknown>)[k];
  return out;
}

export class EventList {
  readonly list: SessionEvent[] = [];
  private readonly ids = new Set<string>();
  constructor(private readonly file: string) {}

  /** Adds an event; a draft whose id was already added (a mirrored record) is dropped. Returns the stored event. */
  add(d: EventDraft): SessionEvent | undefined {
    if (this.ids.has(d.id)) return undefined;
    const { line, record, timestamp } = d;
    const text = clip(d.text ?? '', LIMIT[d.kind]);
    if (!text.trim() && d.kind !== 'tool_result' && d.kind !== 'tool_call') return undefined;
    const tool = d.tool ? { ...d.tool, ...(d.tool.input !== undefined ? { input: clip(d.tool.input, 2000) } : {}) } : undefined;
    // The draft's own fields in their order, less where it came from (line, record) and when (set below).
    const e = copyDraft(d) as SessionEvent;
    if (tool) e.tool = tool;
    e.text = text;
    e.seq = this.list.length;
    e.timestamp = timestamp ?? null;
    e.source = { file: this.file, ...(line !== undefined ? { line } : {}), ...(record !== undefined ? { record } : {}) };
    this.ids.add(d.id);
    this.list.push(e);
    return e;
  }

  /** Drops events already added (a fallback copy that turned out to be a duplicate). */
  remove(pred: (e: SessionEvent) => boolean): void {
    for (let i = this.list.length - 1; i >= 0; i--) if (pred(this.list[i])) this.list.splice(i, 1);
  }

  get length(): number { return this.list.length; }
  /** Final list with seq renumbered (importers may splice or drop while building). */
  done(): SessionEvent[] {
    this.list.forEach((e, seq) => (e.seq = seq));
    return this.list;
  }
}

/** Heuristic for formats with no error flag (SWE-agent, Aider, OpenHands text): the usual failure markers at line starts. */
export const ERROR_TEXT = /(^|\n)\s*(Traceback \(most recent call last\)|[A-Za-z]*Error: |error: |E\s+[A-Za-z]*Error|fatal: |bash: .*: command not found|.*: No such file or directory|FAILED |Exit code:? [1-9]|Failed to apply edit|SearchReplaceNoExactMatch)/;
