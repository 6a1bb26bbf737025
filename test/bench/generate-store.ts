// Generates a big store directly in the store's file format (no import, no parsing of transcripts):
// session files with normalized events and signals, the session index and a main document with
// lessons. Deterministic (seeded), and fast: 10,000 sessions / 2,000,000 events in seconds.
// Signals draw their keys from a shared pool, so patterns recur across sessions and agents the way
// real work does, and a dream over the store has real mining to do.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Agent, Lesson, Session, SessionEvent, Signal } from '../../shared/model';
import { extractSignals } from '../../electron/core/dreaming/signals';
import { emptyIndex, emptyMain } from '../../electron/core/store/schema';
import { LogAppender, ledgerLine, logName, sessionLine } from '../../electron/core/store/index-log';
import { SegmentWriter } from '../../electron/core/store/segments';
import { INDEX_FILE, MAIN_FILE, SESSIONS_DIR } from '../../electron/core/store/store';
import { prng } from '../helpers/prng';

export interface GenerateOptions {
  sessions?: number;
  eventsPerSession?: number;
  agents?: number;
  lessons?: number;
  signalsPerSession?: number;
  /** How many distinct signal keys exist; fewer = more recurrence. */
  keyPool?: number;
  seed?: number;
  /**
   * 'pool' (default): signals drawn from the shared key pool, so an incremental dream has recurring
   * patterns to mine. 'extracted': the signals import would store, extracted from the generated
   * events, so a full dream (which extracts again) and an incremental one see the same signals, as
   * in a real store.
   */
  signals?: 'pool' | 'extracted';
  /**
   * With 'extracted': the chance that an error or a user message is one from a small pool of real
   * ones (a missing module, a port in use, "always use pnpm"…) instead of random words, so the
   * same mistakes and wishes recur in thousands of sessions, as after a year of work. 0: none.
   */
  recurring?: number;
}

export interface Generated { sessions: number; events: number; signals: number; lessons: number; bytes: number; ms: number }


const WORDS = ['build', 'test', 'lint', 'deploy', 'migrate', 'schema', 'cache', 'router', 'auth', 'token', 'query', 'index', 'worker', 'bundle', 'config', 'docker', 'commit', 'branch', 'fixture', 'render'];
const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob'];
const RECURRING_ERRORS = [
  "Error: Cannot find module 'express'",
  'npm ERR! missing script: build',
  "ModuleNotFoundError: No module named 'requests'",
  "error TS2307: Cannot find module './types' or its corresponding type declarations.",
  'fatal: not a git repository (or any of the parent directories): .git',
  'Error: listen EADDRINUSE: address already in use :::3000',
  'django.db.utils.OperationalError: no such table: app_order',
  'error[E0432]: unresolved import `crate::config`',
];
const RECURRING_WISHES = [
  'Always use pnpm, never npm.',
  "Don't add comments to the code.",
  'Use tabs for indentation, not spaces.',
  'Never commit directly to main.',
  'Run the tests before you commit.',
  'Please write the test before the fix.',
];
const KINDS: Signal['kind'][] = ['tool_error', 'tool_error', 'correction', 'preference', 'workflow', 'rejection'];

export function generateStore(dir: string, o: GenerateOptions = {}): Generated {
  const started = Date.now();
  const nSessions = o.sessions ?? 10_000;
  const perSession = o.eventsPerSession ?? 200;
  const nAgents = o.agents ?? 12;
  const nLessons = o.lessons ?? 300;
  const perSignals = o.signalsPerSession ?? 6;
  const keyPool = o.keyPool ?? 400;
  const rnd = prng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

  fs.mkdirSync(path.join(dir, SESSIONS_DIR), { recursive: true });
  const writer = new SegmentWriter(path.join(dir, SESSIONS_DIR), 1);
  const agents: Agent[] = Array.from({ length: nAgents }, (_, i) => ({ id: `claude-code:/home/dev/src/project-${i}`, tool: 'claude-code', project: `/home/dev/src/project-${i}`, name: `Claude Code · project-${i}` }));
  const keys = Array.from({ length: keyPool }, (_, i) => ({ key: `k${i}:${words(3).replace(/ /g, '-')}`, kind: KINDS[i % KINDS.length]!, text: `${words(6)} failed: ${words(4)}` }));
  const index = emptyIndex();
  // The session index's log: one summary and one ledger entry per session (index-log.ts).
  const log = new LogAppender(path.join(dir, logName(1)), 0);
  const firstIds: string[] = [];
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  let bytes = 0;
  let signalsTotal = 0;

  for (let s = 0; s < nSessions; s++) {
    const id = createHash('sha1').update(`session-${s}`).digest('hex').slice(0, 20);
    const agent = agents[s % nAgents]!;
    const file = `/home/dev/.claude/projects/project-${s % nAgents}/${id}.jsonl`;
    const start = t0 + s * 600_000;
    const events: SessionEvent[] = new Array(perSession);
    let errors = 0;
    for (let e = 0; e < perSession; e++) {
      const kind = (['user', 'assistant', 'tool_call', 'tool_result'] as const)[e % 4]!;
      const isError = kind === 'tool_result' && rnd() < 0.08;
      if (isError) errors++;
      const recurring = (isError || kind === 'user') && o.recurring && rnd() < (isError ? Math.min(1, 5 * o.recurring) : o.recurring) ? pick(isError ? RECURRING_ERRORS : RECURRING_WISHES) : undefined;
      const ev: SessionEvent = { id: `${id}-${e}`, seq: e, kind, text: recurring ?? (kind === 'tool_call' ? `${pick(TOOLS)} ${words(2)}` : words(8)), timestamp: new Date(start + e * 2000).toISOString(), source: { file, line: e + 1 } };
      if (kind === 'tool_call' || kind === 'tool_result') ev.tool = { name: pick(TOOLS), callId: `c${e >> 1}` };
      if (isError) ev.isError = true;
      events[e] = ev;
    }
    const signals: Signal[] = o.signals === 'extracted' ? extractSignals({ id, agentId: agent.id, events, project: agent.project }) : [];
    for (let g = 0; o.signals !== 'extracted' && g < perSignals; g++) {
      // Skewed towards the first keys: some patterns recur everywhere, most rarely.
      const k = keys[Math.floor(rnd() * rnd() * keyPool)]!;
      const at = Math.floor(rnd() * perSession);
      signals.push({ id: `${id}-sig${g}`, sessionId: id, agentId: agent.id, kind: k.kind, key: k.key, text: k.text, ...(k.kind === 'tool_error' ? { tool: 'Bash', fix: `run ${words(2)} first` } : {}), ...(k.kind === 'workflow' ? { steps: ['Read src', 'Edit src', 'Bash test'] } : {}), eventIds: [events[at]!.id], excerpt: k.text, timestamp: events[at]!.timestamp });
    }
    signalsTotal += signals.length;
    const session: Session = {
      id, agentId: agent.id, tool: 'claude-code', project: agent.project, title: words(5), startedAt: events[0]!.timestamp, endedAt: events[perSession - 1]!.timestamp,
      eventCount: perSession, errorCount: errors, correctionCount: signals.filter((x) => x.kind === 'correction' || x.kind === 'rejection').length,
      files: [file], importedAt: new Date(start + 3_600_000).toISOString(), dreamt: false,
    };
    const text = JSON.stringify({ session, events, signals });
    index.locations[id] = writer.append(text);
    bytes += text.length;
    log.append(sessionLine(session));
    log.append(ledgerLine({ path: file, size: text.length, mtimeMs: start, headHash: id, offset: text.length, format: 'claude-code', sessionIds: [id], importedAt: session.importedAt }));
    index.undreamt.push(id);
    if (firstIds.length < nLessons) firstIds.push(id);
  }

  writer.sync();
  index.tail = { segment: writer.segment, length: writer.length };
  writer.close();
  index.log = { file: logName(1), length: log.sync(), lines: 2 * nSessions, sessions: nSessions, ledger: nSessions };
  log.close();
  index.agents = agents.map((a) => a.id);
  const main = emptyMain();
  main.agents = agents;
  main.lessons = Array.from({ length: nLessons }, (_, i): Lesson => {
    const k = keys[i % keyPool]!;
    const at = new Date(t0 + i * 3_600_000).toISOString();
    return {
      id: `l-${i.toString(36).padStart(4, '0')}`, kind: (['mistake', 'preference', 'workflow', 'practice', 'pitfall'] as const)[i % 5]!, title: `Lesson ${i}: ${words(4)}`, text: `When ${words(6)}, ${words(8)}.`,
      agents: i % 7 === 0 ? ['all'] : [agents[i % nAgents]!.id], support: { sessions: 3 + (i % 40), agents: 1 + (i % 4), occurrences: 5 + i, firstSeen: at, lastSeen: at }, confidence: 0.5 + (i % 50) / 100,
      evidence: [{ sessionId: firstIds[i % firstIds.length]!, eventId: `${firstIds[i % firstIds.length]!}-0`, agent: agents[i % nAgents]!.name, excerpt: k.text }],
      origin: 'learned', status: i % 10 === 0 ? 'candidate' : 'active', pinned: i % 25 === 0, patternKey: k.key, userEdited: false, createdAt: at, updatedAt: at, activatedAt: at,
    };
  });
  const mainText = JSON.stringify(main);
  const indexText = JSON.stringify(index);
  fs.writeFileSync(path.join(dir, MAIN_FILE), mainText);
  fs.writeFileSync(path.join(dir, INDEX_FILE), indexText);
  bytes += mainText.length + indexText.length;
  return { sessions: nSessions, events: nSessions * perSession, signals: signalsTotal, lessons: nLessons, bytes, ms: Date.now() - started };
}
