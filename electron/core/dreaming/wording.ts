// Wording a pattern as a lesson: imperative, specific, short, and naming the fix when one is known.
// Choices are by majority across sessions with deterministic tie-breaks, so the same evidence
// always reads the same way (and a full dream words a lesson exactly as incremental ones did).
import type { LessonKind } from '../../../shared/model';
import { clip } from '../importers/text';
import type { Pattern } from './mine';
import { SHELL, commandWords } from './signals';

/** Most frequent value by number of sessions; ties go to the shorter, then the smaller text. */
export function majority(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) {
    const b = best === undefined ? -1 : counts.get(best)!;
    if (n > b || (n === b && (v.length < best!.length || (v.length === best!.length && v < best!)))) best = v;
  }
  return best;
}

export const lessonKindOf = (p: Pattern): LessonKind => (p.family === 'error' ? 'mistake' : p.family === 'workflow' ? 'workflow' : 'preference');

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  const cap = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
};

/** Strips the conversational run-up ("no,", "actually", "please") so a correction reads as a rule. */
export function imperative(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 3; i++)
    t = t
      .replace(/^(no+|nope|nah|wrong|incorrect)\s*[,.!:;-]+\s*/i, '')
      .replace(/^(actually|wait|hold on|hmm+|ugh|ok(ay)?|so|and|also|again|please|pls|hey)\b[,.!:;\s-]*/i, '')
      .replace(/^(i said|i told you|as i said|like i said)[,:]?\s*/i, '')
      .replace(/^(you should|you need to|you must|make sure (to|you)|remember to|be sure to)\s+/i, '')
      .replace(/^(from now on|going forward|in (the )?future)[,:]?\s*/i, '')
      .replace(/^(you )?to (?=\w)/i, '');
  return sentence(t || text);
}

/**
 * An action as a person would type it, minus what differs per session: the tool name prefix goes
 * (`Bash npm test` → `npm test`), file paths and ids become placeholders, so the majority across
 * sessions is one command rather than N variants.
 */
export function generalAction(action: string | undefined, tool?: string): string | undefined {
  if (!action) return undefined;
  let a = action.split('\n')[0].trim();
  const name = /^(\S+)\s/.exec(a)?.[1];
  if (name && (name === tool || SHELL.test(name))) {
    a = a.slice(name.length).trim();
    // A shell line reads best as its commands: `git add .gitignore && git commit -m "…"` → `git add && git commit`.
    if (SHELL.test(name) || (tool && SHELL.test(tool))) {
      const words = commandWords(a);
      if (words) return clip(words, 90);
    }
  }
  a = a
    .replace(/(["'])(?:(?!\1).){1,80}\1/g, (m) => (/[\\/.]/.test(m) ? '<file>' : m))
    .replace(/(?:[A-Za-z]:)?(?:[\w.@~+-]*[\\/][\w.@~+-]+)+[\\/]?/g, (m) => (/^(https?:|\w+:\/\/)/.test(m) ? m : '<path>'))
    .replace(/\b[\w-]+\.(?:test|spec)\.\w+\b|\b[\w-]+\.(?:ts|tsx|js|jsx|py|rs|go|rb|java|json|md)\b/g, '<file>')
    .replace(/\b[0-9a-f]{7,40}\b/g, (m) => (/\d/.test(m) ? '<id>' : m))
    .replace(/\s+/g, ' ');
  return clip(a, 90) || undefined;
}

/** An error's gist with what differs per occurrence (paths, ids, quoted names) made generic. */
export function generalGist(gist: string): string {
  return clip(
    gist
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
      .replace(/\b0x[0-9a-f]+\b/gi, '<addr>')
      .replace(/(["'`])(?:(?!\1).){1,120}\1/g, (m) => (/[\\/.]/.test(m) ? `${m[0]}…${m[0]}` : m))
      .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+)+[\\/]?(?::\d+(?::\d+)?)?/g, '<path>')
      .replace(/ — at .*$/, '')
      .replace(/(\D)\d{3,}\b/g, '$1…'),
    140,
  );
}

export function wordingOf(p: Pattern): { title: string; text: string } {
  const perSession = [...p.sessions.values()];
  if (p.family === 'error') {
    const tool = majority(perSession.map((o) => o.tool)) ?? 'a tool';
    const gist = majority(perSession.map((o) => generalGist(o.x.split('\n')[0].trim()))) ?? p.key;
    const fix = majority(p.obs.map(({ o }) => generalAction(o.f, tool)));
    const call = majority(perSession.map((o) => generalAction(o.c, tool)));
    const title = clip(`${call ? `${call}` : tool} fails: ${gist}`, 90);
    if (fix && call && fix !== call) return { title, text: `Run ${code(fix)} before ${code(call)}: otherwise it fails with "${gist}".` };
    if (fix) return { title, text: `When ${tool} fails with "${gist}", do what worked before: ${code(fix)}.` };
    return { title, text: `${call ? code(call) : tool} fails with "${gist}" again and again: check why before running it, and don't retry it unchanged.` };
  }
  if (p.family === 'workflow') {
    const steps = p.key.slice(p.key.indexOf('|') + 1);
    return { title: clip(`Workflow: ${steps}`, 90), text: `Follow the routine that worked before, in this order: ${steps}.` };
  }
  const text = imperative(clip(majority(perSession.map((o) => o.x)) ?? p.key, 240));
  return { title: clip(text.replace(/[.!]$/, ''), 80), text };
}
