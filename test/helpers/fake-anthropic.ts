// A fake Anthropic Messages API: a real HTTP server on 127.0.0.1 that the real SDK reaches through
// ANTHROPIC_BASE_URL (or baseURL). It checks every request (auth, model, max_tokens, cache_control,
// size, no secret in any string) and answers from a script: good, malformed, 429, 500, slow, …
// Good answers are computed from the request itself (the <lessons> and <clusters> blocks), so they
// reference the real handles. Token usage is simulated (≈4 characters per token) with a prefix
// cache, so tests can compare runs with and without prompt caching.
//
// Standalone (e.g. for the Playwright test):
//   npx tsx test/helpers/fake-anthropic.ts --port 8788 --script good [--secrets a,b] [--slow-ms 5000]
// Control endpoints: GET /__fake/requests, POST /__fake/script {"script":"500"}, POST /__fake/reset.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { redact } from '../../electron/core/redaction';

export type Step = 'good' | 'malformed' | 'no-tool' | 'bogus' | 'empty' | '429' | '500' | '401' | '403' | 'slow';

/** Named scripts: steps played in order, then `then` for every further request. */
export const SCRIPTS: Record<string, { steps: Step[]; then: Step }> = {
  good: { steps: [], then: 'good' },
  empty: { steps: [], then: 'empty' },
  'malformed-once': { steps: ['malformed'], then: 'good' },
  'no-tool-once': { steps: ['no-tool'], then: 'good' },
  malformed: { steps: [], then: 'malformed' },
  bogus: { steps: [], then: 'bogus' },
  '429-once': { steps: ['429'], then: 'good' },
  '429': { steps: [], then: '429' },
  '500-once': { steps: ['500'], then: 'good' },
  '500': { steps: [], then: '500' },
  '401': { steps: [], then: '401' },
  '403': { steps: [], then: '403' },
  slow: { steps: [], then: 'slow' },
};

export interface FakeOptions {
  port?: number;
  script?: string | { steps: Step[]; then: Step };
  /** Strings that must never reach the server (secrets planted in imported sessions). */
  secrets?: string[];
  /** When set, requests must carry exactly this key. */
  apiKey?: string;
  maxBodyBytes?: number;
  /** Require a cache_control breakpoint (off to measure a run without caching). */
  requireCache?: boolean;
  retryAfterSeconds?: number;
  slowMs?: number;
  /**
   * Recorded tool calls for discovery requests (record_patterns), keyed by the request's hash
   * (sha256 of the body as sent, see requestHash in core): a good answer to a request recorded
   * here is that tool input. An unrecorded discovery request gets an empty list of patterns.
   */
  recorded?: Record<string, unknown>;
}

export interface Usage { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }

export interface RecordedRequest {
  body: Record<string, unknown> | null;
  bytes: number;
  violations: string[];
  answer: Step | 'refused';
  usage?: Usage;
  /** sha256 of the body as received: the key of `recorded` answers. */
  hash?: string;
}

export interface FakeAnthropic {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Every violation of every request, prefixed with the request number. */
  violations(): string[];
  setScript(script: string | { steps: Step[]; then: Step }): void;
  reset(): void;
  close(): Promise<void>;
}

const tokens = (s: string) => Math.ceil(s.length / 4);
const MIN_CACHEABLE = 512;

interface LessonLine { id: string; kind: string; title: string; text: string; locked?: boolean }
interface ClusterLine { id: string; lesson?: string; kind: string; sessions: number; evidence: { id: string; text: string }[] }

function section<T>(text: string, tag: string): T[] {
  const m = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(text);
  if (!m) return [];
  return m[1].split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}

const textOf = (blocks: unknown): string =>
  Array.isArray(blocks) ? blocks.map((b) => (b && typeof b === 'object' && 'text' in b ? String((b as { text: unknown }).text) : '')).join('\n') : typeof blocks === 'string' ? blocks : '';

const STOP = new Set(['always', 'never', 'please', 'instead', 'should', 'don\'t', 'from', 'with', 'that', 'this', 'when', 'make', 'sure', 'your', 'them', 'then', 'user', 'tool', 'call', 'rejected']);

/** A plausible good answer: sharpen each unlocked lesson of the batch, add one preference that
 * several sub-threshold clusters share a distinctive word about (if they reach the minimum). */
export function goodAnswer(body: Record<string, unknown>): { changes: unknown[] } {
  const system = textOf(body.system);
  const user = textOf((body.messages as { content: unknown }[] | undefined)?.[0]?.content);
  const lessons = section<LessonLine>(system, 'lessons');
  const clusters = section<ClusterLine>(user, 'clusters');
  const min = Number(/span at least (\d+) sessions/.exec(system)?.[1] ?? 3);
  const changes: unknown[] = [];
  for (const c of clusters) {
    const l = lessons.find((x) => x.id === c.lesson);
    if (!l || l.locked) continue;
    changes.push({
      op: 'sharpen', lesson: l.id, text: `Before repeating it, check why it failed: ${l.text}`.slice(0, 400),
      reason: `Made actionable from ${c.evidence.length} excerpt(s) across ${c.sessions} sessions.`,
    });
  }
  const subtle = clusters.filter((c) => !c.lesson);
  const byWord = new Map<string, ClusterLine[]>();
  for (const c of subtle) {
    const words = new Set(c.evidence.flatMap((e) => e.text.toLowerCase().match(/[a-z][a-z0-9-]{3,}/g) ?? []).filter((w) => !STOP.has(w)));
    for (const w of words) (byWord.get(w) ?? byWord.set(w, []).get(w)!).push(c);
  }
  const best = [...byWord.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
  if (best && best[1].length >= 2 && best[1].reduce((n, c) => n + c.sessions, 0) >= min) {
    // Within the schema's limits, as a real answer must be (12 clusters, 8 evidence ids).
    const [word, group] = [best[0], best[1].slice(0, 8)];
    changes.push({
      op: 'add', kind: 'preference', title: `Follow the user's standing wish about ${word}`,
      text: `The user keeps asking for this; do it without being told: ${group[0].evidence[0].text}`.slice(0, 400),
      clusters: group.map((c) => c.id), evidence: group.map((c) => c.evidence[0].id),
      reason: `${group.length} differently worded corrections about "${word}" across ${group.reduce((n, c) => n + c.sessions, 0)} sessions.`,
    });
  }
  return { changes };
}

/** Valid against the schema, but breaking the lesson rules: every change must be refused. */
function bogusAnswer(body: Record<string, unknown>): { changes: unknown[] } {
  const lessons = section<LessonLine>(textOf(body.system), 'lessons');
  const clusters = section<ClusterLine>(textOf((body.messages as { content: unknown }[])[0].content), 'clusters');
  const locked = lessons.find((l) => l.locked);
  const one = clusters.find((c) => !c.lesson);
  return {
    changes: [
      { op: 'sharpen', lesson: 'L999', text: 'Invented lesson handle text', reason: 'no such lesson' },
      ...(locked ? [{ op: 'sharpen', lesson: locked.id, text: 'Reword a pinned lesson anyway', reason: 'locked' }, { op: 'retire', lesson: locked.id, reason: 'retire a pinned one' }] : []),
      ...(one ? [{ op: 'add', kind: 'preference', title: 'A one-off', text: 'Learn from one single session', clusters: [one.id], evidence: ['E9999'], reason: 'invented evidence' }] : []),
      ...(one ? [{ op: 'add', kind: 'preference', title: 'A one-off', text: 'Learn from one single session', clusters: [one.id], evidence: [one.evidence[0].id], reason: 'too little support' }] : []),
    ],
  };
}

function collectStrings(v: unknown, out: string[]): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => collectStrings(x, out));
  return out;
}

function check(req: http.IncomingMessage, raw: string, body: Record<string, unknown> | null, opts: FakeOptions): string[] {
  const v: string[] = [];
  const auth = req.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!auth) v.push('no API key header');
  else if (opts.apiKey && auth !== opts.apiKey) v.push('wrong API key');
  if (!req.headers['anthropic-version']) v.push('no anthropic-version header');
  if (!body) return [...v, 'body is not JSON'];
  if (typeof body.model !== 'string' || !body.model) v.push('model missing');
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1 || (body.max_tokens as number) > 128_000) v.push('max_tokens missing or out of range');
  const bytes = Buffer.byteLength(raw);
  if (bytes > (opts.maxBodyBytes ?? 120_000)) v.push(`body of ${bytes} bytes exceeds the budget`);
  const system = Array.isArray(body.system) ? (body.system as Record<string, unknown>[]) : [];
  const cached = system.some((b) => (b.cache_control as { type?: string } | undefined)?.type === 'ephemeral');
  if ((opts.requireCache ?? true) && !cached) v.push('no cache_control breakpoint on the system prompt');
  if (!Array.isArray(body.tools) || !(body.tools as { input_schema?: unknown }[]).every((t) => t.input_schema)) v.push('tools missing');
  const strings = collectStrings(body, []);
  const all = strings.join('\n');
  for (const s of opts.secrets ?? []) if (s && (raw.includes(s) || all.includes(s))) v.push(`planted secret ${s.slice(0, 6)}… was sent`);
  for (const s of strings) if (redact(s) !== s) { v.push(`an unredacted secret-like string was sent: ${redact(s).match(/«redacted:[a-z-]+»/)?.[0]}`); break; }
  return v;
}

export async function startFakeAnthropic(opts: FakeOptions = {}): Promise<FakeAnthropic> {
  let script = typeof opts.script === 'object' ? opts.script : SCRIPTS[opts.script ?? 'good'];
  if (!script) throw new Error(`Unknown script "${String(opts.script)}"; known: ${Object.keys(SCRIPTS).join(', ')}`);
  let step = 0;
  const requests: RecordedRequest[] = [];
  const cache = new Map<string, number>();
  let n = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${n}`, ...headers });
        res.end(JSON.stringify(value));
      };
      const url = req.url ?? '';
      if (url.startsWith('/__fake/')) {
        if (req.method === 'GET' && url === '/__fake/requests') return json(200, { requests, violations: fake.violations() });
        if (req.method === 'POST' && url === '/__fake/reset') return fake.reset(), json(200, { ok: true });
        if (req.method === 'POST' && url === '/__fake/script') {
          try {
            fake.setScript((JSON.parse(raw) as { script: string }).script);
            return json(200, { ok: true });
          } catch (err) {
            return json(400, { error: String(err) });
          }
        }
        return json(404, { error: 'unknown control endpoint' });
      }
      if (req.method !== 'POST' || !/\/v1\/messages(\?|$)/.test(url)) return json(404, { type: 'error', error: { type: 'not_found_error', message: `fake-anthropic has no ${req.method} ${url}` } });
      n++;
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch { /* reported by check() */ }
      const violations = check(req, raw, body, opts);
      const rec: RecordedRequest = { body, bytes: Buffer.byteLength(raw), violations, answer: 'refused' };
      requests.push(rec);
      if (violations.length) return json(400, { type: 'error', error: { type: 'invalid_request_error', message: `fake-anthropic: ${violations.join('; ')}` } });
      const now = step < script.steps.length ? script.steps[step] : script.then;
      step++;
      rec.answer = now;
      if (now === '429') return json(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' } }, { 'retry-after': String(opts.retryAfterSeconds ?? 1) });
      if (now === '500') return json(500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
      if (now === '401') return json(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      if (now === '403') return json(403, { type: 'error', error: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' } });

      const b = body!;
      const tool = (b.tools as { name?: string }[])[0]?.name === 'record_patterns' ? 'record_patterns' : 'record_changes';
      rec.hash = createHash('sha256').update(JSON.stringify(b)).digest('hex');
      const input = tool === 'record_patterns'
        ? now === 'malformed' ? { patterns: [{ kind: 'habit', title: 'x', evidence: [] }] } : now === 'empty' ? { patterns: [] } : (opts.recorded?.[rec.hash] ?? { patterns: [] })
        : now === 'malformed'
          ? { changes: [{ op: 'sharpen', lesson: 'the first lesson', text: 'short' }] }
          : now === 'bogus' ? bogusAnswer(b) : now === 'empty' ? { changes: [] } : goodAnswer(b);
      const content = now === 'no-tool'
        ? [{ type: 'text', text: 'Here are my thoughts on the lessons, in prose instead of a tool call.' }]
        : [{ type: 'tool_use', id: `toolu_fake_${n}`, name: tool, input, caller: { type: 'direct' } }];
      // Simulated usage: the prefix (tools + system) is cached when it carries a breakpoint.
      const prefix = JSON.stringify(b.tools) + JSON.stringify(b.system);
      const rest = tokens(JSON.stringify(b.messages));
      const cacheable = Array.isArray(b.system) && (b.system as Record<string, unknown>[]).some((x) => x.cache_control) && tokens(prefix) >= MIN_CACHEABLE;
      const hash = createHash('sha256').update(`${String(b.model)}\n${prefix}`).digest('hex');
      const hit = cacheable && (cache.get(hash) ?? 0) > Date.now();
      if (cacheable) cache.set(hash, Date.now() + 5 * 60_000);
      const usage: Usage = {
        input_tokens: rest + (cacheable ? 0 : tokens(prefix)),
        output_tokens: 20 + tokens(JSON.stringify(content)),
        cache_creation_input_tokens: cacheable && !hit ? tokens(prefix) : 0,
        cache_read_input_tokens: hit ? tokens(prefix) : 0,
      };
      rec.usage = usage;
      const answer = { id: `msg_fake_${n}`, type: 'message', role: 'assistant', model: b.model, content, stop_reason: now === 'no-tool' ? 'end_turn' : 'tool_use', stop_sequence: null, usage };
      if (now === 'slow') setTimeout(() => json(200, answer), opts.slowMs ?? 5_000).unref();
      else json(200, answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const fake: FakeAnthropic = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    violations: () => requests.flatMap((r, i) => r.violations.map((v) => `#${i + 1}: ${v}`)),
    setScript(s) {
      const next = typeof s === 'object' ? s : SCRIPTS[s];
      if (!next) throw new Error(`Unknown script "${String(s)}"`);
      script = next;
      step = 0;
    },
    reset() {
      requests.length = 0;
      cache.clear();
      step = 0;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}

// ── standalone ────────────────────────────────────────────────────────────────────────────────
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const fake = await startFakeAnthropic({
    port: Number(arg('port') ?? 0),
    script: arg('script') ?? 'good',
    secrets: arg('secrets')?.split(',').filter(Boolean),
    slowMs: arg('slow-ms') ? Number(arg('slow-ms')) : undefined,
    retryAfterSeconds: arg('retry-after') ? Number(arg('retry-after')) : undefined,
  });
  process.stdout.write(`fake-anthropic listening on ${fake.url} (script ${arg('script') ?? 'good'})\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
