// The discovery pass's pieces without a server: digests (what a session turns into, within its
// budget, redacted), citations resolved against what Claude was shown, support recounted through
// the observation index, and Reverie's rules on what a found pattern may become.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session, SessionEvent, Signal, Tombstone } from '../../../shared/model';
import { Curation } from '../../../electron/core/dreaming/claude/apply';
import { codeInstructions, digestSession, DIGEST_TOKENS } from '../../../electron/core/dreaming/claude/digest';
import { buildDiscoveryRequest, packDigests, resolveCitations } from '../../../electron/core/dreaming/claude/discovery';
import { LEDGER_FILE, loadLedger, type Candidate } from '../../../electron/core/dreaming/claude/ledger';
import { gatherMaterial } from '../../../electron/core/dreaming/claude/prompt';
import { recount, type RecountContext } from '../../../electron/core/dreaming/claude/recount';
import { indexOfSignals } from '../../../electron/core/dreaming/observations';
import type { SessionDoc } from '../../../electron/core/store/schema';
import { tempDir } from '../../helpers/env';
import { heuristic, lesson, makeInput } from './fixtures';

const at = (day: number, minute = 0) => new Date(Date.parse('2026-11-01T09:00:00Z') + day * 86_400_000 + minute * 60_000).toISOString();

function doc(n: number, events: Omit<SessionEvent, 'id' | 'seq' | 'timestamp' | 'source'>[], signals: Omit<Signal, 'id' | 'sessionId' | 'agentId' | 'timestamp'>[] = [], agent = 'aider:/src/app'): SessionDoc {
  const id = `s${n}`;
  const evs = events.map((e, i) => ({ ...e, id: `${id}:e${i}`, seq: i, timestamp: at(n, i), source: { file: `/logs/${id}.md`, line: i + 1 } })) as SessionEvent[];
  const session: Session = { id, agentId: agent, tool: 'aider', project: '/src/app', title: id, startedAt: at(n), endedAt: at(n, events.length), eventCount: evs.length, errorCount: 0, correctionCount: 0, files: [], importedAt: at(n), dreamt: false };
  return { session, events: evs, signals: signals.map((s, i) => ({ ...s, id: `${id}:sig${i}`, sessionId: id, agentId: agent, timestamp: at(n, 1) })) as Signal[] };
}

/** A session where the user asks for work, the agent fails, and the user states the same rule in new words. */
const ruleSession = (n: number, wording: string, withSignal = true) => doc(n, [
  { kind: 'user', text: `Add the export button to report ${n}` },
  { kind: 'assistant', text: 'Adding it.' },
  { kind: 'tool_call', text: 'pip install requests', tool: { name: 'run', input: 'pip install requests' } },
  { kind: 'tool_result', text: 'error: externally-managed-environment', isError: true, tool: { name: 'run' } },
  { kind: 'tool_call', text: 'uv pip install requests', tool: { name: 'run', input: 'uv pip install requests' } },
  { kind: 'user', text: wording },
], withSignal ? [{ kind: 'correction', key: `correction|${wording.toLowerCase()}`, text: wording, eventIds: [`s${n}:e5`], excerpt: wording }] : []);

describe('digests', () => {
  it('keeps what the user said (tasks marked), errors with the next call, and the steps, each line citable', () => {
    const d = digestSession(ruleSession(1, 'always use uv, never plain pip — my token is ghp_PLANTED0123456789abcdefghijklmnopqrstuv'));
    const text = d.lines.map((l) => `${l.seq} ${l.tag}: ${l.text}`).join('\n');
    expect(text).toMatch(/^0 task: Add the export button to report 1$/m);
    expect(text).toMatch(/^3 error: run: error: externally-managed-environment$/m);
    expect(text).toMatch(/^4 next: run uv pip install requests$/m);
    expect(text).toMatch(/^5 said: always use uv, never plain pip/m);
    expect(JSON.stringify(d)).not.toContain('ghp_PLANTED');
    expect(d.steps.map((s) => s.seq)).toEqual([2, 4]);
    expect(d.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the instructions a user wrote as AI comments in the code (aider watch mode), not prose that mentions them', () => {
    expect(codeInstructions('    // AI! no-await-in-loop\nI will address the "AI!" comment.\n█//refactor this to avoid await in loop. AI!\n# AI? what is missing here\n// AI!')).toEqual([
      'no-await-in-loop', 'refactor this to avoid await in loop.', 'what is missing here',
    ]);
    const d = digestSession(doc(4, [{ kind: 'user', text: 'process the comments' }, { kind: 'assistant', text: 'Removing the comment:\n```\n  // AI! no-await-in-loop\n```' }]));
    expect(d.lines.map((l) => `${l.seq} ${l.tag}: ${l.text}`)).toEqual(['0 task: process the comments', '1 in code: no-await-in-loop']);
  });

  it('stays within its token budget on a long session, keeping the user\'s words first', () => {
    const events: Omit<SessionEvent, 'id' | 'seq' | 'timestamp' | 'source'>[] = [];
    for (let i = 0; i < 200; i++) {
      events.push({ kind: 'user', text: `Please look at module ${i} and tell me what it does, in detail, with examples ${'x'.repeat(100)}` });
      events.push({ kind: 'tool_call', text: `cat src/module-${i}.py`, tool: { name: 'run', input: `cat src/module-${i}.py` } });
      events.push({ kind: 'tool_result', text: `Traceback: ImportError in module ${i}`, isError: true, tool: { name: 'run' } });
    }
    const d = digestSession(doc(2, events));
    expect(d.tokens).toBeLessThanOrEqual(DIGEST_TOKENS);
    expect(d.lines.length).toBeGreaterThan(1);
    expect(d.lines[0].tag).toBe('task');
    // Injected text (system reminders) and abandoned branches are not the user's.
    const injected = digestSession(doc(3, [{ kind: 'user', text: '<system-reminder>secret context</system-reminder>', injected: true }, { kind: 'user', text: 'real request' }]));
    expect(injected.lines.map((l) => l.text)).toEqual(['real request']);
  });

  it('packs digests into batches in order, and a citation of a line Claude was not shown is dropped', () => {
    const digests = [1, 2, 3, 4, 5].map((n) => digestSession(ruleSession(n, `rule in wording ${n}`)));
    const batches = packDigests(digests, 2);
    expect(batches.map((b) => b.digests.map((d) => d.sessionId))).toEqual([['s1', 's2'], ['s3', 's4'], ['s5']]);
    const body = buildDiscoveryRequest(batches[0], { 'aider:/src/app': 'aider:app' }, { model: 'claude-sonnet-5-5' });
    expect(body.messages[0].content[0].text).toMatch(/^<sessions>\n## S1 aider:app 2026-11-02\n0 task:/);
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    const r = resolveCitations(batches[0], { patterns: [
      { kind: 'preference', title: 'Use uv', text: 'Install Python packages with uv, never pip.', evidence: ['S1#5', 'S2#5', 'S3#5', 'S1#77'] },
      { kind: 'mistake', title: 'Invented', text: 'Cites nothing it was shown at all.', evidence: ['S9#1'] },
    ] });
    expect(r.patterns).toEqual([{ kind: 'preference', title: 'Use uv', text: 'Install Python packages with uv, never pip.', cites: [{ sessionId: 's1', eventId: 's1:e5' }, { sessionId: 's2', eventId: 's2:e5' }] }]);
    expect(r.droppedCites).toEqual(['S3#5', 'S1#77', 'S9#1']);
  });
});

describe('what a found pattern becomes', () => {
  // Sessions 1–5 voice one rule; the heuristics key each wording apart (sub-threshold).
  const docs = new Map([1, 2, 3, 4, 5].map((n) => [`s${n}`, ruleSession(n, ['always use uv, never plain pip', 'uv only for installs please', 'no pip here, we use uv', 'use uv pip, not pip', 'installs go through uv'][n - 1])]));
  // One more session says the first wording again: support the index finds, though Claude never cited it.
  docs.set('s6', ruleSession(6, 'always use uv, never plain pip'));
  const signals = [...docs.values()].flatMap((d) => d.signals);
  const ctx: RecountContext = { index: indexOfSignals(signals), read: (id) => docs.get(id) ?? null, agentNames: {} };
  const candidate = (sessions: number[], over: Partial<Candidate> = {}): Candidate => ({
    id: 'k-uv', kind: 'preference', title: 'Install with uv', text: 'Install Python packages with uv, never with plain pip.',
    cites: sessions.map((n) => ({ sessionId: `s${n}`, eventId: `s${n}:e5` })), firstProposedAt: at(9), ...over,
  });

  it('recounts support through the observation index: cited sessions plus every session carrying their keys', () => {
    const r = recount(candidate([1, 2]), ctx);
    // Cited: s1, s2. s6 carries s1's signal key. Claude's own claim plays no part.
    expect([...r.sessions].sort()).toEqual(['s1', 's2', 's6']);
    expect(r.support.sessions).toBe(3);
    expect(r.keys).toEqual(['correction|always use uv, never plain pip', 'correction|uv only for installs please']);
    // Evidence: Reverie's copy of real events, cited ones first.
    expect(r.evidence.map((e) => e.excerpt)).toEqual(['uv only for installs please', 'always use uv, never plain pip', 'always use uv, never plain pip']);
    // A citation of an event that does not exist (anymore) counts for nothing.
    expect(recount(candidate([1], { cites: [{ sessionId: 's1', eventId: 's1:e999' }, { sessionId: 's404', eventId: 'x' }] }), ctx).support.sessions).toBe(0);
  });

  function curate(found: Candidate[], over: Parameters<typeof makeInput>[0] = {}) {
    const input = makeInput({ signals: [], ...over });
    const h = heuristic(input, []);
    const c = new Curation(input, h, gatherMaterial(input, h, []));
    const out = c.discovered(found.map((f) => recount(f, ctx)));
    return { out, changes: c.result(), dropped: c.dropped };
  }

  it('adds a lesson at the minimum support, keeps one below it waiting, and never takes the claimed count', () => {
    const { out, changes } = curate([candidate([1, 2, 3])]);
    expect(out.added).toBe(1);
    expect(changes[0]).toMatchObject({ op: 'add', after: { kind: 'preference', title: 'Install with uv', origin: 'learned', status: 'active', support: { sessions: 4 } } });
    expect(changes[0].after!.signalKeys).toContain('claude-cite|s1|s1:e5');
    const waiting = curate([candidate([3, 4])]);
    expect(waiting.out.waiting.length).toBe(1);
    expect(waiting.changes).toEqual([]);
  });

  it('one meaning, one lesson: reinforces the lesson that owns its keys or says the same, never rewords a locked one', () => {
    const owned = lesson('uv', { kind: 'preference', text: 'Prefer uv.', signalKeys: ['correction|no pip here, we use uv'], support: { sessions: 2, agents: 1, occurrences: 2, firstSeen: at(1), lastSeen: at(2) } });
    const byKey = curate([candidate([1, 2, 3])], { lessons: [owned] });
    expect(byKey.changes.map((c) => [c.op, c.lessonId])).toEqual([['reinforce', 'uv']]);
    expect(byKey.changes[0].after!.text).toBe('Prefer uv.');
    expect(byKey.changes[0].after!.support.sessions).toBe(4);
    const seeded = lesson('seed', { kind: 'preference', origin: 'seeded', text: 'Install Python packages with uv, never with pip.', support: { sessions: 0, agents: 0, occurrences: 0, firstSeen: null, lastSeen: null } });
    const byText = curate([candidate([1, 2, 3])], { lessons: [seeded] });
    expect(byText.changes.map((c) => [c.op, c.lessonId])).toEqual([['reinforce', 'seed']]);
    expect(byText.changes[0].after!.text).toBe(seeded.text);
    const pinned = curate([candidate([1, 2, 3])], { lessons: [{ ...seeded, pinned: true }] });
    expect(pinned.changes).toEqual([]);
  });

  it('a lesson that holds one of its events among other things is not the pattern; one holding most of its sessions is', () => {
    const support = { sessions: 3, agents: 1, occurrences: 3, firstSeen: at(1), lastSeen: at(3) };
    // Holds s3's wording and another wish: 1 of the pattern's 4 sessions.
    const other = lesson('scope', { kind: 'preference', text: 'Only change the files you are asked to.', signalKeys: ['correction|no pip here, we use uv', 'correction|leave other files alone'], support });
    const apart = curate([candidate([1, 2, 3])], { lessons: [other] });
    expect(apart.changes.map((c) => [c.op, c.after!.title])).toEqual([['add', 'Install with uv']]);
    expect(apart.changes[0].after!.support.sessions).toBe(4);
    // One key, one lesson: the wording the other lesson holds stays its own.
    expect(apart.changes[0].after!.signalKeys).not.toContain('correction|no pip here, we use uv');
    expect(apart.changes[0].after!.signalKeys).toContain('correction|always use uv, never plain pip');
    // Holds s1's and s2's wordings (s1, s2, s6: 3 of 4) besides another wish: that lesson is the pattern.
    const most = lesson('most', { kind: 'preference', text: 'Mind the package tools.', signalKeys: ['correction|always use uv, never plain pip', 'correction|uv only for installs please', 'correction|leave other files alone'], support });
    expect(curate([candidate([1, 2, 3])], { lessons: [most] }).changes.map((c) => [c.op, c.lessonId, c.after!.support.sessions])).toEqual([['reinforce', 'most', 4]]);
  });

  it('honours tombstones like the heuristic engine: deleted forever, undone until it recurs in more sessions, deleted texts by wording', () => {
    const first = curate([candidate([1, 2, 3])]).changes[0].after!;
    const deleted: Tombstone[] = [{ patternKey: first.patternKey, title: first.title, deletedAt: at(10), reason: 'deleted' }];
    expect(curate([candidate([1, 2, 3, 4, 5])], { tombstones: deleted }).changes).toEqual([]);
    const undone: Tombstone[] = [{ patternKey: first.patternKey, title: first.title, deletedAt: at(10), reason: 'undone', sessions: 4 }];
    expect(curate([candidate([1, 2, 3])], { tombstones: undone }).changes).toEqual([]);
    expect(curate([candidate([1, 2, 3, 4])], { tombstones: undone }).changes.map((c) => c.op)).toEqual(['add']);
    const text: Tombstone[] = [{ patternKey: 'seed-key', title: 'uv', text: 'Install Python packages with uv, never with pip.', deletedAt: at(10), reason: 'deleted' }];
    const r = curate([candidate([1, 2, 3])], { tombstones: text });
    expect(r.changes).toEqual([]);
    expect(r.dropped.join()).toMatch(/reads like a lesson the user deleted/);
  });
});

describe('the ledger', () => {
  it('a damaged ledger is kept aside and replaced by an empty one, with a note', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LEDGER_FILE), '{"version":1,"read":');
    const r = loadLedger(dir);
    expect(r.ledger.read).toEqual({});
    expect(r.note).toMatch(/claude\.json was unreadable: it is not valid JSON .* kept as claude\.json\.damaged-\d+/);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('claude.json.damaged-'))).toBe(true);
  });
});
