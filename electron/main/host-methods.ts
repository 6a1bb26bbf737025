// Contract methods the desktop app answers itself, in front of the core's dispatch: the API key.
// The key is a secret of this machine's user, so it stays in the main process (encrypted by the
// OS through safeStorage, electron/main/key-store.ts) and the core only ever reads it through its
// apiKey() seam. Browser mode and the CLI have no key store; the core answers them with a message
// saying to set ANTHROPIC_API_KEY instead (electron/core/handlers/claude.ts).
// Inputs and results are checked against the same shared contract as every other method.
import { contract, type Method, type Output, type ParsedInput } from '../../shared/contract';
import type { Envelope } from '../../shared/contract/define';
import type { Dispatch } from '../core/rpc';
import { describeZodError } from '../core/rpc';
import { KeyStoreError, type KeyStore } from './key-store';

type HostHandlers = { [M in Method]?: (input: ParsedInput<M>) => Promise<Output<M>> };

/** A dispatch that answers `methods` here and passes every other call to `dispatch`. */
export function withHostMethods(dispatch: Dispatch, methods: HostHandlers, onChange?: (topic: string) => void): Dispatch {
  return async (method, input) => {
    const own = Object.prototype.hasOwnProperty.call(methods, method) ? (methods[method as Method] as ((i: unknown) => Promise<unknown>) | undefined) : undefined;
    if (!own) return dispatch(method, input);
    const spec = contract[method as Method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { type: 'invalid-input', message: `${method}: ${describeZodError(parsed.error)}` } };
    try {
      const out = spec.output.safeParse(await own(parsed.data));
      if (!out.success) return { ok: false, error: { type: 'failed', message: `${method} returned an invalid result: ${describeZodError(out.error)}` } };
      if (spec.mutates) onChange?.('settings');
      return { ok: true, result: out.data } satisfies Envelope;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { type: err instanceof KeyStoreError ? 'invalid-input' : 'failed', message } };
    }
  };
}

/** The key methods, answered from the app's safeStorage-backed key store. */
export function keyMethods(keys: KeyStore, env: NodeJS.ProcessEnv = process.env): HostHandlers {
  const state = async (): Promise<Output<'claude.keyState'>> => {
    const s = keys.status();
    // A stored key that no longer decrypts (a new keyring, another account) does not count.
    const stored = s.stored && keys.get() !== null;
    const fromEnv = !!env.ANTHROPIC_API_KEY?.trim();
    return {
      keyPresent: stored || fromEnv,
      source: stored ? 'app' : fromEnv ? 'environment' : null,
      canStore: s.canStore,
      ...(s.reason ? { reason: s.reason } : {}),
    };
  };
  return {
    'claude.keyState': state,
    async 'claude.setKey'({ key }) {
      keys.set(key);
      return state();
    },
    async 'claude.clearKey'() {
      keys.clear();
      return state();
    },
  };
}
