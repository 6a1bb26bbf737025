// Wording a pattern as a lesson: imperative, specific, short, and naming the fix when one is known.
// Choices are by majority across sessions with deterministic tie-breaks, so the same evidence
// always reads the same way (and a full dream words a lesson exactly as incremental ones did).
import type { LessonKind } from '../../../shared/model';
import { clip } from '../importers/text';
import type { Pattern } from './mine';

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
      .replace(/^(no+|nope|nah|wrong|incorrect|actually|wait|hold on|hmm+|ugh|ok(ay)?|so|and|also|again|please|pls|hey)\b[,.!:;\s-]*/i, '')
      .replace(/^(i said|i told you|as i said|like i said)[,:]?\s*/i, '')
      .replace(/^(you should|you need to|you must|make sure (to|you)|remember to|be sure to)\s+/i, '')
      .replace(/^(from now on|going forward|in (the )?future)[,:]?\s*/i, '');
  return sentence(t || text);
}

/** The failing command without its arguments' noise, for the lesson text. */
const shortCall = (c: string | undefined) => (c ? clip(c.replace(/\s+/g, ' ').trim(), 90) : undefined);

export function wordingOf(p: Pattern): { title: string; text: string } {
  const perSession = [...p.sessions.values()];
  if (p.family === 'error') {
    const tool = majority(perSession.map((o) => o.tool)) ?? 'a tool';
    const gist = clip((majority(perSession.map((o) => o.x)) ?? p.key).split('\n')[0].trim(), 140);
    const fix = shortCall(majority(p.obs.map(({ o }) => o.f)));
    const call = shortCall(majority(perSession.map((o) => o.c)));
    const title = clip(`${tool} fails: ${gist}`, 90);
    if (fix && call && fix !== call) return { title, text: `Instead of ${code(call)}, do what worked: ${code(fix)} — the first one fails with "${gist}".` };
    if (fix) return { title, text: `When ${tool} fails with "${gist}", do what worked before: ${code(fix)}.` };
    return { title, text: `${tool} keeps failing with "${gist}"${call ? ` on ${code(call)}` : ''}; find the cause before retrying the same call.` };
  }
  if (p.family === 'workflow') {
    const steps = p.key.slice(p.key.indexOf('|') + 1);
    return { title: clip(`Workflow: ${steps}`, 90), text: `Follow the routine that worked in ${p.sessions.size} sessions: ${steps}.` };
  }
  const text = imperative(clip(majority(perSession.map((o) => o.x)) ?? p.key, 240));
  return { title: clip(text.replace(/[.!]$/, ''), 80), text };
}

/** Negative instructions: "don't", "never", "stop", "avoid", "no more". */
export function polarity(text: string): 1 | -1 {
  return /\b(don'?t|dont|do not|never|stop|avoid|no more|not|without|shouldn'?t|must not)\b/i.test(text) ? -1 : 1;
}
