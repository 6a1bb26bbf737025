// Signals: what in one session may matter across sessions. Extracted once, at import, and stored
// with the session, so a dream never re-reads transcripts.
import { createHash } from 'node:crypto';
import type { Agent, SessionEvent, Signal } from '../../../shared/model';
import { clip } from '../importers/text';

/**
 * Normalizes an error message into a signature: the parts that differ between two occurrences of
 * "the same" error (paths, numbers, ids, timestamps, durations, quoted names) are replaced by
 * placeholders, so equal signatures mean the same mistake.
 */
export function errorSignature(text: string): string {
  const firstLines = text
    .replace(/<\/?tool_use_error>/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Exit code|Wall time|Process exited|Output:)/i.test(l))
    .slice(0, 2)
    .join(' ');
  return clip(
    firstLines
      .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
      .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{7,64}\b(?=[^a-z]|$)/gi, (m) => (/\d/.test(m) ? '<hex>' : m))
      .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+)+[\\/]?(?::\d+(?::\d+)?)?/g, '<path>')
      .replace(/\b[\w.-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|rb|json|md|toml|yaml|yml|lock|txt|ex|exs|c|h|cpp|css|html|sh)\b/g, '<file>')
      .replace(/(["'`])(?:(?!\1).){1,80}\1/g, '<name>')
      .replace(/\b\d+(\.\d+)?\s?(ms|s|sec|seconds|m|min|minutes|h)\b/g, '<duration>')
      .replace(/\b\d+(\.\d+)?\b/g, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase(),
    200,
  );
}

/** The readable heart of an error: its meaningful lines, with the exit code as a suffix. */
export function errorGist(text: string): string {
  const clean = text.replace(/<\/?tool_use_error>/g, '').trim();
  const code = /^Exit code (\d+)/m.exec(clean)?.[1];
  const lines = clean.split('\n').map((l) => l.trim()).filter((l) => l && !/^(Exit code|Wall time|Process exited|Output:)/i.test(l));
  const gist = lines.slice(0, 3).join(' — ') || clean;
  return clip(code ? `${gist} (exit code ${code})` : gist, 300);
}

/** The command or target of a tool call, normalized the same way, so "the fix" compares across sessions. */
export function actionSignature(e: SessionEvent): string {
  const name = e.tool?.name ?? 'tool';
  let target = e.text.startsWith(name) ? e.text.slice(name.length).trim() : e.text;
  target = target.split('\n')[0].replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+)+/g, '<path>').replace(/\s+/g, ' ');
  return clip(`${name} ${target}`.trim(), 160);
}

// Wording a user reaches for when correcting an agent or stating a standing preference.
const CORRECTION = /^(no[,.!\s]|nope|don'?t|do not|stop|never|wrong|that'?s (wrong|not)|not like that|instead|actually[, ]|please don'?t|why did you|you (should|shouldn'?t|forgot|broke))/i;
const PREFERENCE = /\b(always|never|from now on|in (the )?future|remember to|make sure (to|you)|prefer|please use|use \S+ (instead|not)|we use|i (want|like|prefer) you to)\b/i;

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** Normalizes a user sentence to a key: lower case, no punctuation or stop words. Clustering refines it. */
export function preferenceKey(text: string): string {
  const stop = new Set(['the', 'a', 'an', 'please', 'you', 'to', 'and', 'it', 'this', 'that', 'of', 'in', 'for', 'on', 'i', 'we', 'just', 'no', 'not', 'be', 'is', 'are']);
  return text
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !stop.has(w))
    .slice(0, 12)
    .join(' ');
}

export function extractSignals(sessionId: string, agent: Agent, events: SessionEvent[]): Signal[] {
  const signals: Signal[] = [];
  const live = events.filter((e) => e.branch !== 'abandoned');
  const calls = new Map<string, SessionEvent>();
  for (const e of live) if (e.kind === 'tool_call' && e.tool?.callId) calls.set(e.tool.callId, e);
  const add = (s: Omit<Signal, 'id' | 'sessionId' | 'agentId'>) =>
    signals.push({ id: `${sessionId}:${s.kind}:${hash(s.eventIds.join('|'))}`, sessionId, agentId: agent.id, ...s });

  live.forEach((e, i) => {
    // "Sibling tool call errored" is a consequence of another failure in the same batch, not a mistake.
    if (e.kind === 'tool_result' && e.isError && !e.rejected && !/Sibling tool call errored/i.test(e.text)) {
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      const tool = e.tool?.name ?? call?.tool?.name ?? 'tool';
      // The fix: the next successful call of the same tool after this failure.
      const fix = findFix(live, i, tool);
      const sig = errorSignature(e.text);
      if (!sig) return;
      add({
        kind: 'tool_error',
        key: `${tool.toLowerCase()}|${sig}`,
        text: errorGist(e.text),
        tool,
        ...(fix ? { fix: clip(fix.text, 300) } : {}),
        eventIds: [...(call ? [call.id] : []), e.id, ...(fix ? [fix.id] : [])],
        excerpt: clip(`${call ? `${call.text}\n→ ` : ''}${e.text}`, 400),
        timestamp: e.timestamp,
      });
    } else if (e.kind === 'tool_result' && e.rejected) {
      const next = live.slice(i + 1).find((x) => x.kind === 'user' && !x.injected);
      const call = e.tool?.callId ? calls.get(e.tool.callId) : undefined;
      if (!next) return;
      add({
        kind: 'rejection',
        key: `rejection|${preferenceKey(next.text)}`,
        text: clip(next.text, 300),
        tool: e.tool?.name,
        eventIds: [...(call ? [call.id] : []), e.id, next.id],
        excerpt: clip(`${call?.text ?? 'tool call'} — rejected; user: ${next.text}`, 400),
        timestamp: next.timestamp,
      });
    } else if (e.kind === 'user' && !e.injected) {
      const sentence = e.text.trim().split('\n')[0];
      const kind = CORRECTION.test(sentence) && i > 0 ? 'correction' : PREFERENCE.test(sentence) ? 'preference' : null;
      if (!kind || sentence.length > 400) return;
      add({ kind, key: `${kind}|${preferenceKey(sentence)}`, text: clip(sentence, 300), eventIds: [e.id], excerpt: clip(sentence, 400), timestamp: e.timestamp });
    }
  });
  return signals;
}

function findFix(events: SessionEvent[], from: number, tool: string): SessionEvent | undefined {
  for (let j = from + 1; j < events.length && j < from + 40; j++) {
    const r = events[j];
    if (r.kind !== 'tool_result' || r.isError || r.tool?.name !== tool) continue;
    const call = events.slice(from, j).reverse().find((c) => c.kind === 'tool_call' && c.tool?.callId === r.tool?.callId);
    return call;
  }
  return undefined;
}
