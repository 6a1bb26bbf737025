// What goes into a block: the lessons that apply to the agent (its own plus team lessons), most
// important first, cut to the size budget. No dates or counts in the text, so rendering the same
// lessons twice gives the same bytes (a second write-back changes nothing).
import type { Lesson } from '../../../shared/model';
import { BEGIN } from './block';
import type { FileFormat } from './targets';

export const HEADING = '## Lessons from past sessions (Reverie)';
export const NOTE = '<!-- Kept up to date by Reverie. Edit a line here and Reverie offers it back as a lesson edit; text outside this block is never touched. -->';

/** Lessons that belong in an agent's file: active, not under a contradiction flag, scoped to it or to everyone. */
export function applicableLessons(lessons: Lesson[], agentIds: string[], teamOnly = false): Lesson[] {
  return lessons.filter(
    (l) => l.status === 'active' && !l.contradiction && (l.agents.includes('all') || (!teamOnly && l.agents.some((a) => agentIds.includes(a)))),
  );
}

const KIND_WEIGHT: Record<Lesson['kind'], number> = { mistake: 0.3, pitfall: 0.25, preference: 0.2, workflow: 0.1, practice: 0 };

/**
 * Importance: pinned first; then what the user said or the sessions showed (confidence grown by the
 * number of sessions) over generic seeded advice; mistakes and pitfalls a little above the rest.
 */
export function importance(l: Lesson): number {
  const evidence = l.confidence * (1 + Math.log2(1 + l.support.sessions));
  const origin = l.origin === 'user' ? 1 : l.userEdited ? 0.5 : 0;
  return (l.pinned ? 100 : 0) + evidence + origin + KIND_WEIGHT[l.kind];
}

export function rankForWriteback(lessons: Lesson[]): Lesson[] {
  return [...lessons].sort((a, b) => importance(b) - importance(a) || a.id.localeCompare(b.id));
}

/** One bullet per lesson: its text on one line (agents read these on every turn; no room for prose). */
export function bulletFor(l: Lesson): string {
  // A lesson quoting HTML comments (or our own markers) must not be able to open or close the block.
  const text = l.text.replace(/<!--|-->/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

export interface Rendered {
  inner: string;
  lines: { lessonId: string; text: string }[];
  omitted: string[];
}

/** The block's inner text (between the markers) with as many lessons as fit `maxChars` and `maxLessons`. */
export function renderBlock(lessons: Lesson[], opts: { maxChars: number; maxLessons: number; eol: string }): Rendered {
  const { eol } = opts;
  const head = [NOTE, HEADING, ''];
  const frame = BEGIN.length + head.join(eol).length + eol.length * 3 + 20;
  const lines: Rendered['lines'] = [];
  const omitted: string[] = [];
  let size = frame;
  for (const l of rankForWriteback(lessons)) {
    const text = bulletFor(l);
    const cost = text.length + 2 + eol.length;
    if (lines.length >= opts.maxLessons || size + cost > opts.maxChars) {
      omitted.push(l.id);
      continue;
    }
    size += cost;
    lines.push({ lessonId: l.id, text });
  }
  const body = lines.length ? lines.map((x) => `- ${x.text}`) : ['- (no active lessons for this agent yet)'];
  return { inner: `${eol}${[...head, ...body].join(eol)}${eol}`, lines, omitted };
}

/** The whole file for a new target: Cursor rules need front matter to be applied to every request. */
export function newFileText(format: FileFormat, eol: string): string {
  if (format === 'mdc') return ['---', 'description: Lessons Reverie learned from this project\'s past agent sessions', 'alwaysApply: true', '---', '', ''].join(eol);
  return '';
}
