// Robustness: real fixtures, mutated (cut, spliced, corrupted, lines shuffled or repeated), never make
// the import throw. Every run must end in a valid ImportResult and a store that still reads back.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths } from '../../../electron/core/importers';
import { Store } from '../../../electron/core/store/store';
import { ImportResult } from '../../../shared/model';
import { fixture, tempDir } from '../../helpers/env';

const OWN = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const SOURCES = [
  fixture('claude-code', 'spotter', 'short.jsonl'),
  fixture('claude-code', 'claude-code-log-synthetic', 'dag_compact_after_rewind.jsonl'),
  fixture('codex', 'claude-code-log-synthetic', 'rollout-44444444-4444-4444-8444-444444444444.jsonl'),
  fixture('codex', 'localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl'),
  fixture('gemini-cli', 'agent-sessions-synthetic', 'jsonl_v040.jsonl'),
  fixture('gemini-cli', 'm-gemini', 'session-2025-12-13T19-01-049d9bb6.json'),
  fixture('chatgpt', 'polylogue-synthetic', 'native-conversation-v1.json'),
  fixture('claude-ai', 'claude-to-sqlite', 'example.json'),
  fixture('other', 'openhands', 'basic_interactions.json'),
  fixture('other', 'cursor-agent-transcript-synthetic', 'test-session.jsonl'),
  fixture('swe-agent', '6e44b9__sweagenttestrepo-1c2844.traj'),
  fixture('aider', 'aider-website-examples', 'add-test.md'),
  path.join(OWN, 'cline', '1732550400000', 'ui_messages.json'),
  path.join(OWN, 'claude-ai', 'conversations.json'),
  path.join(OWN, 'generic', 'chat.jsonl'),
].map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'dupLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'typeFlip'; at: number };

const at = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom('{', '}', '[', ']', '"', ',', '\n', '\u0000', 'null', '{"type":null}', '\uFFFD\uFFFD')) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('typeFlip' as const), at: fc.nat() }),
);

function apply(buf: Buffer, m: Mutation): Buffer {
  const n = buf.length;
  const pos = (x: number) => (n ? x % n : 0);
  switch (m.kind) {
    case 'truncate': return buf.subarray(0, pos(m.at));
    case 'delete': return Buffer.concat([buf.subarray(0, pos(m.at)), buf.subarray(pos(m.at) + m.len)]);
    case 'insert': return Buffer.concat([buf.subarray(0, pos(m.at)), Buffer.from(m.text), buf.subarray(pos(m.at))]);
    case 'byte': { const b = Buffer.from(buf); if (n) b[pos(m.at)] = m.value; return b; }
    case 'dupLine': case 'swapLines': {
      const lines = buf.toString('utf8').split('\n');
      const i = (m.kind === 'dupLine' ? m.line : m.a) % lines.length;
      if (m.kind === 'dupLine') lines.splice(i, 0, lines[i]);
      else { const j = m.b % lines.length; [lines[i], lines[j]] = [lines[j], lines[i]]; }
      return Buffer.from(lines.join('\n'));
    }
    case 'typeFlip': {
      // Replace a JSON string value with a number/array/object: the "field drifted type" case.
      const text = buf.toString('utf8');
      const i = text.indexOf('":"', pos(m.at));
      if (i < 0) return buf;
      const end = text.indexOf('"', i + 3);
      return Buffer.from(`${text.slice(0, i + 2)}${['42', '[]', '{}', 'null', 'true'][m.at % 5]}${text.slice(end + 1)}`);
    }
  }
}

describe('fuzz: mutated real fixtures never throw out of the import', () => {
  let store: Store;
  let work: string;
  let run = 0;
  beforeAll(async () => {
    work = tempDir();
    store = await Store.open(tempDir());
  });
  afterAll(async () => {
    await store.close();
  });

  it('imports each mutant with a valid result and a readable store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: SOURCES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), at, async (which, mutations, _) => {
        const src = SOURCES[which];
        const bytes = mutations.reduce(apply, src.bytes);
        const dir = path.join(work, String(run++));
        fs.mkdirSync(dir);
        const file = path.join(dir, src.name);
        fs.writeFileSync(file, bytes);
        const result = await importPaths(store, [file]);
        expect(ImportResult.safeParse(result).success).toBe(true);
        for (const e of result.errors) expect(e.file).toBe(file);
        for (const s of store.sessions) expect(store.readSessionDoc(s.id)).not.toBeNull();
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261125) },
    );
  }, 120_000);
});
