// A Claude Code log that grows while its agent works is read from where the last import ended (its
// earlier part hashing as it did), and the session ends up exactly as a whole read of the final file
// would store it. A rewritten or shortened file is read whole again.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../electron/core/importers';
import { Store } from '../../electron/core/store/store';
import { tempDir } from '../helpers/env';

const SID = '5e55a0a1-0000-4000-8000-00000000a99e';
const base = { sessionId: SID, cwd: '/home/dev/src/shop', version: '2.1.38', userType: 'external', isSidechain: false };

/** Turn i: a prompt, a Bash call, its result (every third fails), a reply; uuids chain the records. */
function turn(i: number): Record<string, unknown>[] {
  const t = (k: number) => new Date(Date.parse('2026-03-01T10:00:00.000Z') + i * 60_000 + k * 1000).toISOString();
  const fail = i % 3 === 1;
  return [
    { ...base, type: 'user', uuid: `u${i}`, parentUuid: i ? `a${i - 1}` : null, timestamp: t(0), message: { role: 'user', content: i === 4 ? 'no, use pnpm instead of npm' : `step ${i}: run the tests` } },
    { ...base, type: 'assistant', uuid: `c${i}`, parentUuid: `u${i}`, timestamp: t(1), message: { id: `msg_c${i}`, role: 'assistant', model: 'x', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Bash', input: { command: `npm test -- part-${i}` } }] } },
    { ...base, type: 'user', uuid: `r${i}`, parentUuid: `c${i}`, timestamp: t(2), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: fail ? `Error: Cannot find module './gen/schema-${i}'` : 'ok', is_error: fail }] }, toolUseResult: { stdout: fail ? '' : 'ok', stderr: fail ? 'Error' : '' } },
    { ...base, type: 'assistant', uuid: `a${i}`, parentUuid: `r${i}`, timestamp: t(3), message: { id: `msg_a${i}`, role: 'assistant', model: 'x', content: [{ type: 'text', text: `Done with step ${i}.` }] } },
  ];
}
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => turn(from + k)).flat().map((r) => `${JSON.stringify(r)}\n`).join('');

async function importInto(storeDir: string, file: string) {
  const store = await Store.open(storeDir);
  try {
    const r = await importPaths(store, [file]);
    const doc = store.readSessionDoc(store.sessions[0]!.id)!;
    return { r, doc, entry: store.index.ledgerEntry(file)!, sessions: store.sessions.length };
  } finally {
    await store.close();
  }
}

/** What must be the same however the file was read. */
const shape = (doc: Awaited<ReturnType<typeof importInto>>['doc']) => ({
  session: { ...doc.session, importedAt: null, dreamt: null },
  events: doc.events.map((e) => ({ id: e.id, seq: e.seq, kind: e.kind, text: e.text, tool: e.tool, isError: e.isError ?? false, line: e.source.line })),
  signals: doc.signals.map((s) => ({ kind: s.kind, key: s.key, eventIds: s.eventIds })),
});

describe('a grown session log', () => {
  it('is read from where it ended and stored exactly as a whole read of the final file', async () => {
    const logs = tempDir();
    const file = path.join(logs, `${SID}.jsonl`);
    fs.writeFileSync(file, lines(0, 3));
    const storeA = tempDir();
    const first = await importInto(storeA, file);
    expect(first.r.resumed).toBeUndefined();
    expect(first.entry.lines).toBe(12);
    expect(first.entry.offset).toBe(fs.statSync(file).size);

    // The agent writes on, the last record cut mid-line (still being written).
    const more = lines(3, 6);
    fs.appendFileSync(file, more.slice(0, -40));
    const second = await importInto(storeA, file);
    expect(second.r.resumed).toBe(1);
    expect(second.r.errors.map((e) => e.reason)).toEqual([expect.stringMatching(/^truncated last line, skipped/)]);
    expect(second.entry.offset).toBeLessThan(fs.statSync(file).size); // the cut line is read again next time

    fs.appendFileSync(file, more.slice(-40) + lines(6, 9));
    const third = await importInto(storeA, file);
    expect(third.r.resumed).toBe(1);
    expect(third.r.errors).toEqual([]);
    expect(third.sessions).toBe(1);
    expect(third.entry.offset).toBe(fs.statSync(file).size);

    const whole = await importInto(tempDir(), file);
    expect(whole.r.resumed).toBeUndefined();
    expect(shape(third.doc)).toEqual(shape(whole.doc));
    expect(third.doc.events).toHaveLength(36);
    expect(third.doc.signals.length).toBeGreaterThan(0);
  });

  it('a file whose earlier part changed, or that got shorter, is read whole again and nothing stored is lost', async () => {
    const logs = tempDir();
    const file = path.join(logs, `${SID}.jsonl`);
    fs.writeFileSync(file, lines(0, 4));
    const store = tempDir();
    await importInto(store, file);
    // Rewritten in the middle (same length, same first 4 KB) and grown: the prefix hash no longer matches.
    const text = fs.readFileSync(file, 'utf8').replace('Done with step 2.', 'Done with step Z.');
    fs.writeFileSync(file, text + lines(4, 5));
    const rewritten = await importInto(store, file);
    expect(rewritten.r.resumed).toBeUndefined();
    expect(rewritten.doc.events.map((e) => e.text)).toContain('Done with step Z.');
    expect(rewritten.doc.events).toHaveLength(20);
    // Cut back to its first turns: read whole, the stored events stay (nothing stored is dropped).
    fs.writeFileSync(file, lines(0, 2));
    const shorter = await importInto(store, file);
    expect(shorter.r.resumed).toBeUndefined();
    expect(shorter.r.errors).toEqual([]);
    expect(shorter.doc.events).toHaveLength(20);
  });
});
