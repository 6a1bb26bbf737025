// Generated corpora for progress tests: one session per agent per day, with planted mistakes that
// recur on a schedule (and may stop from a given day on, as if a lesson had worked), one-off noise,
// and user corrections. Signals come from the real extractor, so pattern keys are the real ones.
import type { Agent, AgentTool, Session, SessionEvent } from '../../shared/model';
import { extractSignals } from '../../electron/core/dreaming/signals';
import type { Store } from '../../electron/core/store/store';

export interface Planted {
  id: string;
  agentId: string;
  /** The shell command that fails, the error it prints, and what worked after. */
  command: string;
  error: string;
  fix: string;
  /** Happens in sessions on days where day % every === 0. */
  every: number;
  /** From this day on it no longer happens (the lesson worked); absent = never stops. */
  stopsOnDay?: number;
}

export interface Said { agentId: string; text: string; every: number; afterCommand?: string }

export interface CorpusSpec {
  start: string;
  days: number;
  agents: Agent[];
  planted: Planted[];
  /** Agents whose every session also hits this many one-off errors (varied work). */
  noise?: Record<string, number>;
  /** User corrections typed in some sessions. */
  said?: Said[];
}

/** A made-up word per number: one-off errors must differ in words, since numbers are normalized away. */
function word(n: number): string {
  const syl = ['ka', 'lo', 'mi', 'ru', 'te', 'vo', 'zi', 'pa', 'ne', 'so', 'qu', 'wy'];
  let out = '';
  for (let x = n + 13; x > 0; x = Math.floor(x / syl.length)) out += syl[x % syl.length];
  return out;
}

export const dayAt = (start: string, day: number, hour = 10) => new Date(Date.parse(start) + day * 86_400_000 + hour * 3_600_000).toISOString();

function sessionEvents(sessionId: string, at: (min: number) => string, parts: { command: string; error?: string; fix?: string; said?: string }[]): SessionEvent[] {
  const events: SessionEvent[] = [];
  let seq = 0;
  const push = (e: Omit<SessionEvent, 'id' | 'seq' | 'source' | 'timestamp'>) => {
    const i = seq++;
    events.push({ id: `${sessionId}-e${i}`, seq: i, timestamp: at(i), source: { file: `generated/${sessionId}.jsonl`, line: i + 1 }, ...e });
  };
  push({ kind: 'user', text: 'Please get the build and tests green.' });
  parts.forEach((p, k) => {
    const callId = `c${k}`;
    push({ kind: 'tool_call', text: `Bash ${p.command}`, tool: { name: 'Bash', callId, input: JSON.stringify({ command: p.command }) } });
    push({ kind: 'tool_result', text: p.error ? `Exit code 1\n${p.error}` : 'ok', isError: !!p.error, tool: { name: 'Bash', callId } });
    if (p.fix) {
      push({ kind: 'tool_call', text: `Bash ${p.fix}`, tool: { name: 'Bash', callId: `${callId}f`, input: JSON.stringify({ command: p.fix }) } });
      push({ kind: 'tool_result', text: 'done', tool: { name: 'Bash', callId: `${callId}f` } });
    }
    if (p.said) push({ kind: 'user', text: p.said });
  });
  push({ kind: 'assistant', text: 'All green now.' });
  return events;
}

/** Writes the corpus into an open (writable) store: agents, session files with signals, the index. */
export async function writeCorpus(store: Store, spec: CorpusSpec): Promise<{ keys: Record<string, string>; sessions: number }> {
  const keys: Record<string, string> = {};
  let count = 0;
  // Load the index before the first session file lands: the store rolls uncommitted session records
  // into the index when it loads, and this generator adds them itself.
  const index = store.index;
  for (const agent of spec.agents) if (!store.data.agents.some((a) => a.id === agent.id)) store.data.agents.push(agent);
  for (let day = 0; day < spec.days; day++) {
    for (const agent of spec.agents) {
      const id = `${agent.tool}-${agent.id.length}-${spec.agents.indexOf(agent)}-d${day}`;
      const parts: { command: string; error?: string; fix?: string; said?: string }[] = [{ command: 'git status' }];
      for (const p of spec.planted) {
        if (p.agentId !== agent.id || day % p.every !== 0 || (p.stopsOnDay !== undefined && day >= p.stopsOnDay)) continue;
        parts.push({ command: p.command, error: p.error, fix: p.fix });
      }
      for (let n = 0; n < (spec.noise?.[agent.id] ?? 0); n++) {
        parts.push({ command: `./scripts/job-${day}-${n}.sh`, error: `fatal: ${word(day * 16 + n)} cannot ${word(day * 16 + n + 7)} the ${word(day * 31 + n * 3)}` });
      }
      for (const s of spec.said ?? []) {
        if (s.agentId === agent.id && day % s.every === 0) parts.push({ command: s.afterCommand ?? 'ls', said: s.text });
      }
      const at = (min: number) => new Date(Date.parse(dayAt(spec.start, day)) + min * 60_000).toISOString();
      const events = sessionEvents(id, at, parts);
      const signals = extractSignals(id, agent, events);
      for (const p of spec.planted) {
        const hit = signals.find((s) => s.kind === 'tool_error' && s.excerpt.includes(p.command));
        if (p.agentId === agent.id && hit) keys[p.id] = hit.key;
      }
      const session: Session = {
        id, agentId: agent.id, tool: agent.tool as AgentTool, project: agent.project, title: `day ${day}`, startedAt: events[0].timestamp, endedAt: events.at(-1)!.timestamp,
        eventCount: events.length, errorCount: events.filter((e) => e.isError).length, correctionCount: signals.filter((s) => s.kind === 'correction').length,
        files: [`generated/${id}.jsonl`], importedAt: dayAt(spec.start, day, 23), dreamt: true,
      };
      await store.writeSessionDoc({ session, events, signals });
      index.putSession(session);
      count++;
    }
  }
  await store.writeIndex();
  await store.writeMain();
  return { keys, sessions: count };
}
