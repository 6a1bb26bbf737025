// Turning parsed seed items into seeded lessons: origin 'seeded', active at once (the user chose
// them), no evidence yet (GUIDE §3 exempts seeded lessons), keyed `seed|<normalized text>` so the
// same practice seeded twice is one lesson, and a deleted one stays deleted.
import { createHash } from 'node:crypto';
import { ContractError } from '../../../shared/contract/define';
import type { Agent, Lesson, LessonKind, Tombstone } from '../../../shared/model';
import { redact } from '../redaction';
import type { SeedDoc } from './parse';

export const normalizeSeedText = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
export const seedPatternKey = (text: string) => `seed|${normalizeSeedText(text)}`;
export const seededLessonId = (patternKey: string) => `s-${createHash('sha1').update(patternKey).digest('hex').slice(0, 12)}`;

export interface SeedSkip { title: string; text: string; reason: string }
export interface SeedOutcome { added: Lesson[]; skipped: SeedSkip[] }

export interface SeedOptions {
  existing: Lesson[];
  tombstones: Tombstone[];
  agents: Agent[];
  /** Agent ids or names every item applies to (overrides per-item agents); absent = team lessons. */
  scope?: string[];
  now: string;
  /** `pack:<id>` or the file name, kept on each lesson as its seedSource. */
  source?: string;
}

/** Agent ids from ids or display names (case-insensitive); an unknown one is an error that lists the known ones. */
export function resolveAgents(refs: string[], agents: Agent[]): string[] {
  return refs.map((ref) => {
    if (ref === 'all') return 'all';
    const r = ref.toLowerCase();
    const hit = agents.find((a) => a.id.toLowerCase() === r || a.name.toLowerCase() === r);
    if (!hit) throw new ContractError('not-found', `No agent "${ref}". Known agents: ${agents.map((a) => a.id).join(', ') || 'none yet (import sessions first)'}.`);
    return hit.id;
  });
}

export function seedLessons(doc: SeedDoc, opts: SeedOptions): SeedOutcome {
  const byKey = new Set(opts.existing.map((l) => l.patternKey));
  const dead = new Set(opts.tombstones.map((t) => t.patternKey));
  const scope = opts.scope?.length ? resolveAgents(opts.scope, opts.agents) : null;
  const added: Lesson[] = [];
  const skipped: SeedSkip[] = [];
  for (const item of doc.items) {
    // Seeds come from files the user pasted or picked: they get the same redaction as imports.
    const text = redact(item.text);
    const title = redact(item.title);
    const patternKey = seedPatternKey(text);
    if (!normalizeSeedText(text)) {
      skipped.push({ title, text, reason: 'no words to learn from' });
      continue;
    }
    if (byKey.has(patternKey)) {
      skipped.push({ title, text, reason: added.some((l) => l.patternKey === patternKey) ? 'listed twice in this seed' : 'already a lesson' });
      continue;
    }
    if (dead.has(patternKey)) {
      skipped.push({ title, text, reason: 'you deleted this lesson before; restore it from the Lessons screen to bring it back' });
      continue;
    }
    const agents = scope ?? (item.agents ? resolveAgents(item.agents, opts.agents) : ['all']);
    const lesson: Lesson = {
      id: seededLessonId(patternKey),
      kind: item.kind as LessonKind,
      title,
      text,
      agents: [...new Set(agents)],
      support: { sessions: 0, agents: 0, occurrences: 0, firstSeen: null, lastSeen: null },
      confidence: 0.5,
      evidence: [],
      origin: 'seeded',
      status: 'active',
      pinned: false,
      patternKey,
      userEdited: false,
      createdAt: opts.now,
      updatedAt: opts.now,
      activatedAt: opts.now,
      ...(opts.source ? { seedSource: opts.source } : {}),
    };
    byKey.add(patternKey);
    added.push(lesson);
  }
  return { added, skipped };
}
