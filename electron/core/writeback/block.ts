// The managed block: Reverie owns the text between its two markers and nothing else. Everything
// here is pure string work, so "never touches text outside the markers" is testable byte for byte.
import { createHash } from 'node:crypto';

export const BEGIN = '<!-- reverie:begin -->';
export const END = '<!-- reverie:end -->';

export interface FoundBlock {
  /** Text before the begin marker, kept verbatim. */
  before: string;
  /** Text between the markers (without them). */
  inner: string;
  /** Text after the end marker, kept verbatim. */
  after: string;
}

/** The block in a file, null when there is none; throws with a plain reason when the markers are broken. */
export function findBlock(text: string): FoundBlock | null {
  const b = text.indexOf(BEGIN);
  const e = text.indexOf(END);
  if (b < 0 && e < 0) return null;
  if (b < 0) throw new Error(`it has "${END}" without "${BEGIN}"; fix or remove the marker by hand`);
  if (e < 0) throw new Error(`it has "${BEGIN}" without "${END}"; fix or remove the marker by hand`);
  if (e < b) throw new Error('its Reverie end marker comes before the begin marker');
  if (text.indexOf(BEGIN, b + 1) >= 0 || text.indexOf(END, e + 1) >= 0) throw new Error('it has more than one Reverie block; keep one');
  return { before: text.slice(0, b), inner: text.slice(b + BEGIN.length, e), after: text.slice(e + END.length) };
}

/** The file with its block's inner text replaced, or the block appended when there is none. */
export function replaceBlock(text: string, inner: string, eol: string): string {
  const found = findBlock(text);
  if (found) return `${found.before}${BEGIN}${inner}${END}${found.after}`;
  if (!text.trim()) return `${BEGIN}${inner}${END}${eol}`;
  // Appended after the user's own text, separated by one blank line; their text stays byte for byte.
  const sep = text.endsWith(`${eol}${eol}`) ? '' : text.endsWith(eol) ? eol : `${eol}${eol}`;
  return `${text}${sep}${BEGIN}${inner}${END}${eol}`;
}

/** Line endings follow the file's own (a CRLF file stays CRLF). */
export const eolOf = (text: string) => (/\r\n/.test(text) ? '\r\n' : '\n');

/** Hash of a block's inner text, line endings and trailing spaces normalized (editors change those). */
export function blockHash(inner: string): string {
  const norm = inner.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd()).join('\n').trim();
  return createHash('sha256').update(norm).digest('hex');
}

/** The bullet lines of a block, trimmed, without the "- " (what the user sees as the lessons). */
export function blockBullets(inner: string): string[] {
  return inner
    .split(/\r?\n/)
    .map((l) => /^\s*[-*+]\s+(.*\S)\s*$/.exec(l)?.[1])
    .filter((l): l is string => !!l);
}
