// The import pipeline end to end on real files in temp folders: idempotent and incremental ledger,
// a session continued in another file, subagents, and bad input reported per file without loss.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../electron/core/importers';
import { ImportResult, type ImportError } from '../../shared/model';
import { collectFiles } from '../../electron/core/importers/files';
import { fixture, runCli, tempDir } from '../helpers/env';
import { storesClosedAfterEach } from '../helpers/open-stores';

const { openStore, closeNow } = storesClosedAfterEach();

/** Every byte the store holds, as one hash (file names + contents), to prove "nothing changed". */
function storeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (/lock|backups?/.test(name)) continue;
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());

describe('ledger: idempotent and incremental', () => {
  it('the same files twice change nothing', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const first = await importPaths(store, [fixture('claude-code'), fixture('codex'), fixture('gemini-cli')]);
    expect(ImportResult.parse(first)).toEqual(first);
    expect(first.sessions).toBe(14);
    const before = storeHash(dir);
    const again = await importPaths(store, [fixture('claude-code'), fixture('codex'), fixture('gemini-cli')]);
    expect([again.sessions, again.events, again.skipped]).toEqual([0, 0, first.files]);
    expect(storeHash(dir)).toBe(before);
  });

  it('a grown file imports only its new records', async () => {
    const src = tempDir();
    const all = lines(fixture('claude-code', 'spotter', 'tool_heavy.jsonl'));
    const file = path.join(src, 'd6e0bada-1959-4eec-a9d2-0bfade768d8f.jsonl');
    const cut = Math.floor(all.length / 2);
    fs.writeFileSync(file, `${all.slice(0, cut).join('\n')}\n`);
    const store = await openStore();
    const a = await importPaths(store, [src]);
    fs.appendFileSync(file, `${all.slice(cut).join('\n')}\n`);
    const b = await importPaths(store, [src]);
    expect(a.sessions).toBe(1);
    expect(b.sessions).toBe(1);
    // The whole file imported at once gives 21 events (formats.test.ts): the two halves add up to it.
    expect(a.events + b.events).toBe(21);
    expect(b.events).toBeGreaterThan(0);
    expect(store.sessions).toHaveLength(1);
    expect(store.readSessionDoc(store.sessions[0].id)!.events).toHaveLength(21);
  });

  it('a session resumed into a new file (new session id, repeated uuids) merges into one session', async () => {
    const src = tempDir();
    const all = lines(fixture('claude-code', 'spotter', 'tool_heavy.jsonl'));
    const cut = Math.floor(all.length * 0.6);
    fs.writeFileSync(path.join(src, 'first.jsonl'), `${all.slice(0, cut).join('\n')}\n`);
    // Resume: a new file, a new sessionId, the earlier records repeated with their uuids, then more.
    const resumed = all.map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      if ('sessionId' in r) r.sessionId = 'ffffffff-0000-4000-8000-000000000001';
      return JSON.stringify(r);
    });
    fs.writeFileSync(path.join(src, 'second.jsonl'), `${resumed.join('\n')}\n`);
    const store = await openStore();
    const r = await importPaths(store, [src]);
    expect(r.errors).toEqual([]);
    expect(store.sessions).toHaveLength(1);
    const doc = store.readSessionDoc(store.sessions[0].id)!;
    expect(doc.events).toHaveLength(21);
    expect(new Set(doc.events.map((e) => e.id)).size).toBe(21);
    expect(doc.session.files.map((f) => path.basename(f)).sort()).toEqual(['first.jsonl', 'second.jsonl']);
    // And later, in another run, the ledger still knows the root.
    fs.writeFileSync(path.join(src, 'third.jsonl'), `${resumed.join('\n')}\n`);
    await importPaths(store, [path.join(src, 'third.jsonl')]);
    expect(store.sessions).toHaveLength(1);
  });

  it('a project folder with subagents/: the subagent is its own session, the compaction summariser is skipped', async () => {
    const store = await openStore();
    const r = await importPaths(store, [fixture('claude-code', 'spotter')]);
    expect(r.errors).toEqual([]);
    expect([r.files, r.sessions, r.skipped]).toEqual([4, 3, 1]);
    expect(store.sessions.map((s) => s.id).sort()).toEqual([
      '4d5611e5-241a-462a-8d15-5122611a9569/agent-a2898e3',
      '55604662-cf2a-4331-851a-ec234028f8ca',
      'd6e0bada-1959-4eec-a9d2-0bfade768d8f',
    ]);
    // One agent per tool + project, with a readable name.
    expect(store.data.agents.map((a) => [a.id, a.name])).toContainEqual(['claude-code:/home/marco/projects/spotter', 'Claude Code · spotter']);
  });
});

describe('unrelated files never share a session', () => {
  const chat = (word: string, n = 2) => ({ id: 'chat', title: `${word} chat`, messages: Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `${word} message ${i}` })) });

  it('two generic files with the same "id" are two sessions; each file re-imported or grown maps to its own ids', async () => {
    const src = tempDir();
    const a = path.join(src, 'a.json');
    const b = path.join(src, 'b.json');
    fs.writeFileSync(a, JSON.stringify(chat('alpha')));
    fs.writeFileSync(b, JSON.stringify(chat('beta')));
    const store = await openStore();
    const first = await importPaths(store, [a]);
    const second = await importPaths(store, [b]);
    expect([first.sessions, first.events]).toEqual([1, 2]);
    expect([second.sessions, second.events]).toEqual([1, 2]);
    expect(store.sessions).toHaveLength(2);
    const texts = store.sessions.map((s) => store.readSessionDoc(s.id)!.events.map((e) => e.text).join(' ')).sort();
    expect(texts).toEqual(['alpha message 0 alpha message 1', 'beta message 0 beta message 1']);
    // The same file again, and then grown: same session, only the new messages are added.
    const ids = store.sessions.map((s) => s.id).sort();
    fs.writeFileSync(a, JSON.stringify(chat('alpha', 3)));
    const grown = await importPaths(store, [a, b]);
    expect([grown.sessions, grown.events, grown.skipped]).toEqual([1, 1, 1]);
    expect(store.sessions.map((s) => s.id).sort()).toEqual(ids);
  });

  it('a Codex session id met in two files still merges; events numbered by line in each file are all kept', async () => {
    const src = tempDir();
    const source = fixture('codex', 'localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl');
    const all = lines(source);
    // Both files carry the session header (same global id); the second holds other records at the same line numbers.
    const cut = Math.floor(all.length / 2);
    fs.writeFileSync(path.join(src, 'one.jsonl'), `${all.slice(0, cut).join('\n')}\n`);
    fs.writeFileSync(path.join(src, 'two.jsonl'), `${[all[0], ...all.slice(cut)].join('\n')}\n`);
    const whole = await openStore();
    const w = await importPaths(whole, [source]);
    const store = await openStore();
    const r = await importPaths(store, [src]);
    expect(r.errors).toEqual([]);
    expect(store.sessions).toHaveLength(1);
    expect(store.sessions[0].id).toBe(whole.sessions[0].id);
    expect(r.events).toBe(w.events);
    const again = await importPaths(store, [path.join(src, 'one.jsonl'), path.join(src, 'two.jsonl')]);
    expect([again.sessions, again.events]).toEqual([0, 0]);
  });
});

describe('a crash between the two document writes', () => {
  it('agents the index refers to but reverie.json lacks are restored at the next import, even when every file is skipped', async () => {
    const dir = tempDir();
    let store = await openStore(dir);
    await importPaths(store, [fixture('claude-code', 'spotter')]);
    await importPaths(store, [fixture('codex', 'localpush')], { agent: 'pusher' });
    const agents = [...store.data.agents].sort((a, b) => a.id.localeCompare(b.id));
    expect(agents.length).toBeGreaterThan(1);
    await closeNow(store);
    // Killed after index.json was saved but before reverie.json: the main document has no agents.
    const main = JSON.parse(fs.readFileSync(path.join(dir, 'reverie.json'), 'utf8')) as { agents: unknown[] };
    main.agents = [];
    fs.writeFileSync(path.join(dir, 'reverie.json'), JSON.stringify(main));
    store = await openStore(dir);
    const r = await importPaths(store, [fixture('claude-code', 'spotter'), fixture('codex', 'localpush')]);
    expect([r.sessions, r.events]).toEqual([0, 0]);
    expect([...store.data.agents].sort((a, b) => a.id.localeCompare(b.id))).toEqual(agents);
    await closeNow(store);
    // And it was saved.
    store = await openStore(dir);
    expect(store.data.agents).toHaveLength(agents.length);
    for (const s of store.sessions) expect(store.data.agents.map((a) => a.id)).toContain(s.agentId);
  });
});

describe('folder links', () => {
  it('a link back to a parent does not loop, and a file reached through two links imports once', async () => {
    const src = tempDir();
    const real = path.join(src, 'real');
    fs.mkdirSync(real);
    fs.copyFileSync(fixture('claude-code', 'spotter', 'tool_heavy.jsonl'), path.join(real, 'd6e0bada-1959-4eec-a9d2-0bfade768d8f.jsonl'));
    fs.symlinkSync(src, path.join(real, 'up'), 'dir');
    fs.symlinkSync(real, path.join(src, 'one'), 'dir');
    fs.symlinkSync(real, path.join(src, 'two'), 'dir');
    const errors: ImportError[] = [];
    const files = collectFiles([src], errors);
    expect(errors).toEqual([]);
    expect(files.map((f) => path.relative(src, f.file))).toEqual([path.join('one', 'd6e0bada-1959-4eec-a9d2-0bfade768d8f.jsonl')]);
    const store = await openStore();
    const r = await importPaths(store, [src, path.join(src, 'two')]);
    expect(r.errors).toEqual([]);
    expect([r.files, r.sessions, r.events]).toEqual([1, 1, 21]);
  });
});

describe('bad input: an error per file, the rest imports, nothing stored is lost', () => {
  it('truncated last line, garbage lines, empty, binary, invalid JSON, unknown format, unreadable', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    const good = await importPaths(store, [fixture('gemini-cli')]);
    expect(good.sessions).toBe(3);

    const bad = tempDir();
    const short = lines(fixture('claude-code', 'spotter', 'short.jsonl'));
    const truncated = path.join(bad, 'truncated.jsonl');
    fs.writeFileSync(truncated, `${short.join('\n')}\n${short[short.length - 1].slice(0, 40)}`);
    const garbage = path.join(bad, 'garbage.jsonl');
    fs.writeFileSync(garbage, [short[0], 'not json at all', short[1], '{"half":', ...short.slice(2)].join('\n'));
    fs.writeFileSync(path.join(bad, 'empty.jsonl'), '');
    fs.writeFileSync(path.join(bad, 'binary.jsonl'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    fs.writeFileSync(path.join(bad, 'invalid.json'), '{"sessionId": "x", "projectHash": "y", "messages": [1, 2,, }');
    fs.writeFileSync(path.join(bad, 'unknown.json'), '{"hello": "world"}');
    fs.symlinkSync(path.join(bad, 'gone.jsonl'), path.join(bad, 'dangling.jsonl'));
    const codexCopy = path.join(bad, 'rollout.jsonl');
    fs.copyFileSync(fixture('codex', 'localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl'), codexCopy);

    const r = await importPaths(store, [bad]);
    const why = (name: string) => r.errors.filter((e) => path.basename(e.file) === name);
    expect(why('truncated.jsonl')).toEqual([{ file: truncated, line: short.length + 1, reason: expect.stringMatching(/^truncated last line/) }]);
    expect(why('garbage.jsonl').map((e) => e.line)).toEqual([2, 4]);
    expect(why('empty.jsonl')[0].reason).toBe('empty file');
    expect(why('binary.jsonl')[0].reason).toMatch(/binary/);
    expect(why('invalid.json')[0].reason).toMatch(/could not be read as gemini-cli: .*not valid JSON/);
    expect(why('unknown.json')[0].reason).toMatch(/unknown format/);
    expect(why('dangling.jsonl')[0].reason).toMatch(/cannot read: no such file/);
    // The readable parts imported: truncated + garbage (the same session, merged) and the Codex copy.
    expect(r.sessions).toBe(2);
    expect(store.sessions.map((s) => s.id)).toEqual(expect.arrayContaining(['55604662-cf2a-4331-851a-ec234028f8ca', 'codex:019c8bfe-ec25-79e0-97d7-bda6a9c575ff']));
    // What was stored before is all still there.
    expect(store.sessions.filter((s) => s.tool === 'gemini-cli')).toHaveLength(3);
    for (const s of store.sessions) expect(store.readSessionDoc(s.id)!.events.length).toBe(s.eventCount);
  });

  it('the CLI exits 1 when no path given can be read, 0 when one of them can; read commands refuse a folder that is no store', () => {
    const storeDir = path.join(tempDir(), 'store');
    const gone = runCli(['import', '/nonexistent-reverie-path', '--store', storeDir]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/Nothing to import: the path given cannot be read \(\/nonexistent-reverie-path: no such file or folder\)/);
    // Nothing was created for it.
    expect(fs.existsSync(storeDir)).toBe(false);
    const typo = runCli(['lessons', '--store', storeDir, '--json']);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain(`No Reverie store at ${storeDir}`);
    const some = runCli(['import', '/nonexistent-reverie-path', fixture('aider'), '--store', storeDir, '--json']);
    expect(some.code).toBe(0);
    expect(ImportResult.parse(some.json).errors.map((e) => e.file)).toEqual(['/nonexistent-reverie-path']);
    // The store exists now: an empty lesson list is an answer, not an error.
    const listed = runCli(['lessons', '--store', storeDir, '--json']);
    expect(listed.code).toBe(0);
    expect(listed.json).toEqual([]);
  });

  it('the CLI exits 0 with per-file errors, and --agent names the agent', () => {
    const storeDir = tempDir();
    const bad = tempDir();
    fs.writeFileSync(path.join(bad, 'empty.jsonl'), '');
    const r = runCli(['import', bad, fixture('aider'), '--agent', 'docs-bot', '--store', storeDir, '--json']);
    expect(r.code).toBe(0);
    const json = ImportResult.parse(r.json);
    expect(json.errors.map((e) => path.basename(e.file))).toEqual(['empty.jsonl']);
    expect(json.sessions).toBe(1);
    const main = JSON.parse(fs.readFileSync(path.join(storeDir, 'reverie.json'), 'utf8')) as { agents: { id: string; name: string }[] };
    expect(main.agents).toContainEqual(expect.objectContaining({ id: 'aider:docs-bot', name: 'docs-bot' }));
    // --json keeps stderr free of progress output.
    expect(r.stderr).toBe('');
  });
});
