// Loading and writing the index without holding it twice: in-place validation gives zod's answer,
// and the JSON written in pieces is JSON.stringify's text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeJsonDurable, writeJsonDurableSync } from '../../../electron/core/store/files';
import { IndexDoc, IndexDocInPlace, SCHEMA_VERSION } from '../../../electron/core/store/schema';
import { tempDir } from '../../helpers/env';

const session = (id: string, extra: Record<string, unknown> = {}) => ({
  id, agentId: 'claude-code:/p', tool: 'claude-code', project: '/p', title: `t ${id}`, startedAt: null, endedAt: null,
  eventCount: 3, errorCount: 0, correctionCount: 0, files: ['/x.jsonl'], importedAt: '2026-01-01T00:00:00.000Z', dreamt: false, ...extra,
});
const ledgerEntry = { path: '/x.jsonl', size: 10, mtimeMs: 1, headHash: 'h', offset: 10, format: 'claude-code', sessionIds: ['a', 'b'], importedAt: '2026-01-01T00:00:00.000Z' };
const index = (over: Record<string, unknown> = {}) => ({
  schemaVersion: SCHEMA_VERSION,
  sessions: [session('a'), session('b', { forkedFrom: 'a' })],
  ledger: { '/x.jsonl': ledgerEntry },
  locations: { a: [1, 0, 100], b: [1, 100, 50] },
  tail: { segment: 1, length: 150 },
  undreamt: ['a', 'b'],
  agents: ['claude-code:/p'],
  log: null,
  ...over,
});
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
/** Key order aside: zod answers in schema order, in-place keeps the order the file had. */
const sorted = (x: unknown): unknown =>
  Array.isArray(x) ? x.map(sorted) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted((x as Record<string, unknown>)[k])])) : x;

describe('IndexDocInPlace', () => {
  it('answers what IndexDoc.safeParse answers, keeping the parsed entries themselves', () => {
    const raw = clone(index());
    const first = raw.sessions[0];
    const r = IndexDocInPlace.safeParse(raw);
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(sorted(r.data)).toEqual(sorted(IndexDoc.parse(clone(index()))));
    expect(r.data.sessions![0]).toBe(first);
  });

  it('drops unknown keys like zod does (the entry is replaced by its validated copy)', () => {
    const raw = clone(index({ sessions: [session('a', { stray: 1 })], extra: true }));
    const r = IndexDocInPlace.safeParse(raw);
    expect(r.success && sorted(r.data)).toEqual(sorted(IndexDoc.parse(clone(raw))));
    expect(r.success && 'stray' in r.data.sessions![0]!).toBe(false);
  });

  it('names the damaged entry', () => {
    for (const [over, where] of [
      [{ sessions: [session('a'), session('b', { eventCount: -1 })] }, 'sessions.1.eventCount'],
      [{ ledger: { '/y.jsonl': { ...ledgerEntry, sessionIds: 'a' } } }, 'ledger./y.jsonl.sessionIds'],
      [{ locations: { a: [1, 0] } }, 'locations.a'],
      [{ tail: null }, 'tail'],
      [{ undreamt: ['a', 3] }, 'undreamt.1'],
      [{ locations: [] }, 'locations'],
      [{ log: { file: 'index-000001.log', length: -1, lines: 0, sessions: 0, ledger: 0 } }, 'log.length'],
    ] as const) {
      const r = IndexDocInPlace.safeParse(clone(index(over)));
      expect(r.success).toBe(false);
      expect(IndexDoc.safeParse(clone(index(over))).success).toBe(false);
      if (!r.success) expect(r.error.issues[0].path.join('.')).toContain(where);
    }
  });
});

describe('writing JSON in pieces', () => {
  it('joins to exactly JSON.stringify', () => {
    // A record of more entries than one batch (written a few thousand at a time), keys that need escaping, integer-like keys (listed first).
    const many = Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [i % 7 ? `s-${i}` : `${i}`, [1, i, 3]]));
    const docs: object[] = [index(), {}, { a: [], b: {}, c: null, d: undefined, e: 'x', f: [undefined, 1], g: { h: undefined, i: 2, 'q"u\\ote': { toJSON: () => 'J' }, f: () => 1 }, j: new Date(0), k: () => 1 }, { locations: many, tail: {} }];
    for (const doc of docs) expect([...jsonPieces(doc)].join('')).toBe(JSON.stringify(doc));
  });

  it('keeps the text of records replaced, never changed in place, and writes what replaced one', () => {
    const memo = { arrays: new Set(['lessons']), texts: new WeakMap<object, Buffer>() };
    const first = { id: 'l1', pinned: false, support: { sessions: 3 }, evidence: [{ excerpt: 'npm test failed' }] };
    const doc = { agents: [{ id: 'a1' }], lessons: [first, { id: 'l2', pinned: true, support: { sessions: 4 }, evidence: [] }] };
    expect([...jsonPieces(doc, memo)].join('')).toBe(JSON.stringify(doc));
    // Kept, and frozen through and through: changing it in place throws instead of being written stale.
    expect(memo.texts.get(first)?.toString('utf8')).toBe(JSON.stringify(first));
    expect(() => { (first as { pinned: boolean }).pinned = true; }).toThrow(TypeError);
    expect(() => { first.support.sessions = 9; }).toThrow(TypeError);
    expect(() => first.evidence.push({ excerpt: 'x' })).toThrow(TypeError);
    // Replaced (as a pin or an edit does): the new record is written.
    doc.lessons = doc.lessons.map((l) => (l.id === 'l2' ? { ...l, pinned: false } : l));
    expect([...jsonPieces(doc, memo)].join('')).toBe(JSON.stringify(doc));
    // Other arrays are never kept.
    expect(memo.texts.has(doc.agents[0]!)).toBe(false);
  });

  it('writes the file atomically, leaving no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'index.json');
    const big = index({ sessions: Array.from({ length: 5000 }, (_, i) => session(`s${i}`)) });
    writeJsonDurableSync(file, big);
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(big));
    await writeJsonDurable(file, index());
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(index()));
    expect(fs.readdirSync(dir)).toEqual(['index.json']);
  });
});
