// Taking a hand-edited block back into the store: the user's wording wins (userEdited, so a dream
// will not reword it), a line they added becomes a lesson of their own, a line they removed retires
// its lesson (undoable from the Lessons screen, unlike a delete). Then the block as it stands is
// recorded as ours, so the next write-back compares against it instead of flagging it again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { ContractError } from '../../../shared/contract/define';
import type { Lesson } from '../../../shared/model';
import { normalizeSeedText } from '../seeding/seed';
import { polarity } from '../seeding/text';
import { blockBullets, blockHash, findBlock } from './block';
import { blockEdits, PLACEHOLDER } from './edits';
import type { WritebackState } from './state';

export interface Adopted { changed: Lesson[]; added: Lesson[]; retired: Lesson[] }

export function adoptBlock(file: string, lessons: Lesson[], state: WritebackState, now: string): Adopted {
  const written = state.files[file];
  if (!written) throw new ContractError('not-found', `Reverie has not written ${file}; run write-back first (known files: ${Object.keys(state.files).join(', ') || 'none'}).`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContractError('failed', `Cannot read ${file}: ${(err as Error).message}`);
  }
  let found;
  try {
    found = findBlock(text);
  } catch (err) {
    throw new ContractError('failed', `${file}: ${(err as Error).message}`);
  }
  if (!found) throw new ContractError('failed', `${file} no longer has a Reverie block; nothing to adopt.`);
  const bullets = blockBullets(found.inner).filter((b) => b !== PLACEHOLDER);
  const out: Adopted = { changed: [], added: [], retired: [] };
  const lineOwner = new Map(written.lines.map((l) => [l.text, l.lessonId]));
  // A lesson is replaced by its new version, never changed in place (the store keeps each written lesson's text by identity).
  const replace = (at: number, next: Lesson) => (lessons[at] = next);
  for (const e of blockEdits(written.lines, bullets)) {
    const at = e.lessonId ? lessons.findIndex((l) => l.id === e.lessonId) : -1;
    const lesson = at >= 0 ? lessons[at] : undefined;
    if (e.kind === 'changed' && lesson && e.after) {
      out.changed.push(replace(at, { ...lesson, text: e.after, userEdited: true, updatedAt: now }));
      lineOwner.set(e.after, lesson.id);
    } else if (e.kind === 'removed' && lesson && lesson.status !== 'retired') {
      out.retired.push(replace(at, { ...lesson, status: 'retired', updatedAt: now }));
    } else if (e.kind === 'added' && e.after) {
      const patternKey = `user|${normalizeSeedText(e.after)}`;
      const existing = lessons.find((l) => l.patternKey === patternKey);
      if (existing) {
        lineOwner.set(e.after, existing.id);
        continue;
      }
      const lesson: Lesson = {
        id: `u-${createHash('sha1').update(patternKey).digest('hex').slice(0, 12)}`,
        kind: polarity(e.after) === 'dont' ? 'pitfall' : 'practice',
        title: e.after.length > 80 ? `${e.after.slice(0, 79)}…` : e.after,
        text: e.after,
        agents: written.agentIds,
        support: { sessions: 0, agents: 0, occurrences: 0, firstSeen: null, lastSeen: null },
        confidence: 0.9,
        evidence: [],
        origin: 'user',
        status: 'active',
        pinned: false,
        patternKey,
        userEdited: true,
        createdAt: now,
        updatedAt: now,
        activatedAt: now,
      };
      lessons.push(lesson);
      out.added.push(lesson);
      lineOwner.set(e.after, lesson.id);
    }
  }
  state.files[file] = {
    ...written,
    hash: blockHash(found.inner),
    lines: bullets.filter((b) => lineOwner.has(b)).map((b) => ({ lessonId: lineOwner.get(b)!, text: b })),
    writtenAt: now,
  };
  return out;
}
