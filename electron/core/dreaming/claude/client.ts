// The one place that talks to Anthropic. The SDK's own retries are off (maxRetries: 0) because it
// would honour any Retry-After, even an hour, inside a dream the user is waiting for; here a 429
// or 5xx is retried a bounded number of times with a bounded wait, and every failure becomes a
// ClaudeFailure whose message a person can act on.
import type Anthropic from '@anthropic-ai/sdk';
import type { APIError } from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { RequestBody } from './prompt';

export type FailureKind = 'no-key' | 'auth' | 'permission' | 'not-found' | 'bad-request' | 'rate-limit' | 'server' | 'timeout' | 'network' | 'other';

export class ClaudeFailure extends Error {
  constructor(public readonly kind: FailureKind, message: string, public readonly retryAfterMs?: number) {
    super(message);
    this.name = 'ClaudeFailure';
  }
}

export interface ClientOptions {
  apiKey: string;
  /** Defaults to ANTHROPIC_BASE_URL, then Anthropic's API (the SDK's own default). */
  baseURL?: string;
  /** Per request. */
  timeoutMs: number;
  /** Retries of a 429 / 5xx / overloaded answer. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the dream falls back instead. */
  maxRetryWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const secs = Number.parseFloat(raw);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function apiMessage(err: APIError): string {
  const body = err.error as { error?: { message?: string } } | undefined;
  return (body?.error?.message ?? err.apiMessage ?? err.message ?? '').slice(0, 300);
}

/**
 * The SDK, loaded when the first request is sent: most runs of Reverie (every import, every
 * heuristic dream, every CLI query) never talk to Anthropic, and loading it costs ~25 MB.
 */
type Sdk = typeof import('@anthropic-ai/sdk');
let sdkModule: Promise<Sdk> | null = null;
const loadSdk = () => (sdkModule ??= import('@anthropic-ai/sdk'));

/** Turns whatever the SDK threw into a failure with a plain message and a kind the UI can branch on. */
export function classify(err: unknown, sdk: Sdk, model: string, timeoutMs: number): ClaudeFailure {
  const { APIConnectionError, APIConnectionTimeoutError, APIError } = sdk;
  if (err instanceof ClaudeFailure) return err;
  if (err instanceof APIConnectionTimeoutError) return new ClaudeFailure('timeout', `Anthropic did not answer within ${timeoutMs < 10_000 ? (timeoutMs / 1000).toFixed(1) : Math.round(timeoutMs / 1000)} s.`);
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: { message?: string; code?: string; cause?: { code?: string } } }).cause;
    const code = cause?.code ?? cause?.cause?.code;
    return new ClaudeFailure('network', `Could not reach Anthropic's API${code ? ` (${code})` : ''}: is the network down?`);
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const detail = apiMessage(err);
    const s = err.status;
    if (s === 401) return new ClaudeFailure('auth', `Anthropic rejected the API key (401): check the key in Settings or ANTHROPIC_API_KEY.${detail ? ` (${detail})` : ''}`);
    if (s === 403) return new ClaudeFailure('permission', `The API key may not use ${model} (403)${detail ? `: ${detail}` : ''}.`);
    if (s === 404) return new ClaudeFailure('not-found', `Anthropic does not know the model "${model}" (404): choose another in Settings.`);
    if (s === 429) {
      const wait = retryAfterMs(err.headers);
      return new ClaudeFailure('rate-limit', `Anthropic's rate limit was hit (429)${wait !== undefined ? `; it asks to retry after ${Math.ceil(wait / 1000)} s` : ''}.`, wait);
    }
    if (s >= 500) return new ClaudeFailure('server', `Anthropic's API failed (${s}${s === 529 ? ', overloaded' : ''})${detail ? `: ${detail}` : ''}.`, retryAfterMs(err.headers));
    return new ClaudeFailure('bad-request', `Anthropic refused the request (${s})${detail ? `: ${detail}` : ''}.`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ClaudeFailure('other', `The Claude engine failed: ${message}`);
}

export interface Sender { send(body: RequestBody): Promise<Message> }

export function createSender(opts: ClientOptions): Sender {
  let client: Anthropic | null = null;
  const sleep = opts.sleep ?? defaultSleep;
  return {
    async send(body) {
      const sdk = await loadSdk();
      client ??= new sdk.default({
        apiKey: opts.apiKey,
        baseURL: opts.baseURL ?? process.env.ANTHROPIC_BASE_URL ?? undefined,
        timeout: opts.timeoutMs,
        maxRetries: 0,
        logLevel: 'off',
        openTelemetry: false,
      });
      for (let attempt = 0; ; attempt++) {
        try {
          // The body is built to the Messages API's shape; the SDK's param type is wider than ours.
          return (await client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming)) as Message;
        } catch (err) {
          const failure = classify(err, sdk, body.model, opts.timeoutMs);
          const retryable = failure.kind === 'rate-limit' || failure.kind === 'server';
          if (!retryable || attempt >= opts.maxRetries) throw failure;
          const wait = failure.retryAfterMs ?? Math.min(8_000, 500 * 2 ** attempt);
          if (wait > opts.maxRetryWaitMs) throw failure;
          opts.log?.(`${failure.message} Retrying in ${(wait / 1000).toFixed(1)} s (${attempt + 1}/${opts.maxRetries}).`);
          await sleep(wait);
        }
      }
    },
  };
}
