// Reading seed sources: a markdown file of bullets (one practice or pitfall per bullet, grouped by
// headings) or a JSON list. Problems are reported with the line or item they are on; nothing is
// half-read (the caller gets either every item or an error).
import { z } from 'zod';
import { ContractError } from '../../../shared/contract/define';
import { LessonKind } from '../../../shared/model';
import { describeZodError } from '../rpc';
import { polarity } from './text';

export interface SeedItem {
  title: string;
  text: string;
  kind: 'practice' | 'pitfall' | LessonKind;
  /** Agent ids or names; absent = every agent (a team lesson). */
  agents?: string[];
  /** Where it came from, for error messages and the lesson's provenance. */
  line?: number;
}

export interface SeedDoc { title: string | null; items: SeedItem[] }

export const MAX_SEED_BYTES = 1_000_000;
export const MAX_ITEMS = 300;
export const MAX_TEXT = 600;

const PITFALL_HEADING = /pitfall|avoid|mistake|don'?t|never|anti-?pattern|gotcha|trap|danger/i;
// Only headings that say "do" decide; neutral ones ("Rules", "Conventions") leave it to each bullet's wording.
const PRACTICE_HEADING = /practice|\bdo\b|\bdos\b|habit|workflow/i;

/** Kind from the section heading when it says so, else from the bullet's own wording. */
export function kindFor(text: string, heading: string | null): 'practice' | 'pitfall' {
  if (heading && PITFALL_HEADING.test(heading)) return 'pitfall';
  if (heading && PRACTICE_HEADING.test(heading)) return 'practice';
  return polarity(text) === 'dont' ? 'pitfall' : 'practice';
}

/** "**Title**: text" or "**Title.** text" gives a title; otherwise the first sentence, shortened. */
function splitTitle(raw: string): { title: string; text: string } {
  const m = /^\*\*(.+?)\*\*[:.—–-]?\s*(.*)$/s.exec(raw);
  if (m && m[2].trim()) {
    // The text is what gets written into an agent's file on its own, so it keeps the title's words:
    // "**Don't amend pushed commits**: add a new commit" → "Don't amend pushed commits: add a new commit".
    const title = m[1].trim().replace(/[.:]$/, '');
    return { title, text: `${title}${/[.!?]$/.test(title) ? ' ' : ': '}${m[2].trim()}` };
  }
  const text = (m ? m[1] : raw).trim();
  const first = text.split(/(?<=[.!?])\s/)[0].replace(/[.!?]$/, '');
  return { title: first.length > 80 ? `${first.slice(0, 79)}…` : first, text };
}

export function parseSeedMarkdown(source: string, name: string): SeedDoc {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let title: string | null = null;
  let heading: string | null = null;
  let inFence = false;
  let i = 0;
  // YAML front matter is metadata, not practices.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, j) => j > 0 && l.trim() === '---');
    if (end > 0) i = end + 1;
  }
  const items: SeedItem[] = [];
  let current: { raw: string; line: number; heading: string | null } | null = null;
  const flush = () => {
    if (!current) return;
    const raw = current.raw.replace(/\s+/g, ' ').trim();
    if (raw) {
      if (raw.length > MAX_TEXT) throw new ContractError('failed', `${name}:${current.line}: this bullet is ${raw.length} characters; keep each practice under ${MAX_TEXT}.`);
      const { title: t, text } = splitTitle(raw);
      items.push({ title: t, text, kind: kindFor(text, current.heading), line: current.line });
    }
    current = null;
  };
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) { flush(); inFence = !inFence; continue; }
    if (inFence) continue;
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      if (h[1].length === 1 && title === null) title = h[2];
      else heading = h[2];
      continue;
    }
    const bullet = /^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (bullet) {
      flush();
      current = { raw: bullet[1], line: i + 1, heading };
      continue;
    }
    // An indented line continues the bullet above it; a blank or flush-left line ends it.
    if (current && /^\s+\S/.test(line)) current.raw += ` ${line.trim()}`;
    else flush();
  }
  flush();
  if (!items.length) throw new ContractError('failed', `${name} has no bullet points: write one practice or pitfall per "- " line (headings such as "## Pitfalls" set the kind).`);
  return { title, items };
}

const JsonObjectItem = z.object({
  text: z.string().trim().min(3).max(MAX_TEXT),
  title: z.string().trim().min(1).max(120).optional(),
  kind: LessonKind.optional(),
  agents: z.array(z.string().min(1)).min(1).optional(),
}).strict();
const JsonItem = z.union([z.string().min(3).max(MAX_TEXT), JsonObjectItem]);
const JsonSeed = z.object({ name: z.string().optional(), title: z.string().optional(), lessons: z.array(z.unknown()) });

export function parseSeedJson(source: string, name: string): SeedDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (err) {
    throw new ContractError('failed', `${name} is not valid JSON (${(err as Error).message}).`);
  }
  const shape = 'an array of strings or of {text, title?, kind?, agents?}, or {lessons: [...]}';
  // The outer shape first, then each item on its own: a union error would only say "invalid input".
  const outer = Array.isArray(raw) ? { lessons: raw as unknown[] } : JsonSeed.safeParse(raw).data;
  if (!outer) throw new ContractError('failed', `${name} is not a seed list (${shape}).`);
  const list = outer.lessons.map((it, i) => {
    const r = JsonItem.safeParse(it);
    if (!r.success) {
      const obj = typeof it === 'object' && it !== null ? JsonObjectItem.safeParse(it) : null;
      const detail = obj?.error ? describeZodError(obj.error) : `expected a string of 3–${MAX_TEXT} characters or an object`;
      throw new ContractError('failed', `${name}: lessons[${i}] is not a seed item (${shape}): ${detail}`);
    }
    return r.data;
  });
  if (!list.length) throw new ContractError('failed', `${name} lists no lessons.`);
  const items = list.map((it, i): SeedItem => {
    if (typeof it === 'string') {
      const { title, text } = splitTitle(it.trim());
      return { title, text, kind: kindFor(text, null), line: i };
    }
    const { title, text } = it.title ? { title: it.title, text: it.text } : splitTitle(it.text);
    return { title, text, kind: it.kind ?? kindFor(text, null), ...(it.agents ? { agents: it.agents } : {}), line: i };
  });
  return { title: Array.isArray(raw) ? null : (outer.title ?? outer.name ?? null), items };
}

export function parseSeed(source: string, name: string, format?: 'md' | 'json'): SeedDoc {
  if (Buffer.byteLength(source) > MAX_SEED_BYTES) throw new ContractError('failed', `${name} is larger than 1 MB; a seed file is a short list of practices.`);
  if (!source.trim()) throw new ContractError('failed', `${name} is empty.`);
  const fmt = format ?? (/\.json$/i.test(name) || /^\s*[[{]/.test(source) ? 'json' : 'md');
  const doc = fmt === 'json' ? parseSeedJson(source, name) : parseSeedMarkdown(source, name);
  if (doc.items.length > MAX_ITEMS) throw new ContractError('failed', `${name} has ${doc.items.length} items; seed at most ${MAX_ITEMS} at a time.`);
  return doc;
}
