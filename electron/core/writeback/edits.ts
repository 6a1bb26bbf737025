// Mapping a hand-edited block back to lessons: lines that are still identical are left alone; an
// edited line is paired with the written line it shares the most words with; what is left over was
// added or removed. Pairing reuses the seeding text analysis, so "about the same thing" means the
// same here as in contradiction checks.
import type { BlockEdit } from '../../../shared/contract/writeback';
import { relation } from '../seeding/text';

export const PLACEHOLDER = '(no active lessons for this agent yet)';

export function blockEdits(written: { lessonId: string; text: string }[], bullets: string[]): BlockEdit[] {
  const now = bullets.filter((b) => b !== PLACEHOLDER);
  const leftWritten = written.filter((w) => !now.includes(w.text));
  const leftNow = now.filter((b) => !written.some((w) => w.text === b));
  const edits: BlockEdit[] = [];
  for (const w of leftWritten) {
    let best = -1;
    let bestScore = 0;
    leftNow.forEach((b, i) => {
      const r = relation(w.text, b);
      const score = r.shared.length >= 2 || r.overlap >= 0.5 ? r.overlap : 0;
      if (score > bestScore) [best, bestScore] = [i, score];
    });
    if (best >= 0) {
      edits.push({ kind: 'changed', lessonId: w.lessonId, before: w.text, after: leftNow[best] });
      leftNow.splice(best, 1);
    } else {
      edits.push({ kind: 'removed', lessonId: w.lessonId, before: w.text, after: null });
    }
  }
  for (const b of leftNow) edits.push({ kind: 'added', lessonId: null, before: null, after: b });
  return edits;
}

export function describeEdits(edits: BlockEdit[]): string {
  const n = (k: BlockEdit['kind']) => edits.filter((e) => e.kind === k).length;
  const parts = [n('changed') && `${n('changed')} changed`, n('added') && `${n('added')} added`, n('removed') && `${n('removed')} removed`].filter(Boolean);
  return `the block was edited by hand (${parts.join(', ') || 'formatting only'}); run adopt to take the edits as lesson edits, or apply with force to overwrite them`;
}
