// The renderer's only way to the core: the typed client over whichever transport this page runs
// with. In Electron the preload exposes `window.reverie.invoke` (IPC); in browser mode we POST to
// the local bridge with the token the URL carried (#token=…). Nothing else crosses the boundary.
import { createClient, type Transport } from '../../shared/contract/client';
import { ContractError, Envelope, isMethod } from '../../shared/contract';

export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<unknown>;
  onChange(listener: (topic: string) => void): () => void;
}

declare global {
  interface Window { reverie?: PreloadApi }
}

const TOKEN_KEY = 'reverie.token';

function bridgeToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of the address bar (screenshots, shoulder surfing); it stays in this tab.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = window.reverie ? '' : bridgeToken();

const httpTransport: Transport = async (method, input) => {
  const res = await fetch(`/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Reverie-Token': token },
    body: JSON.stringify(input ?? {}),
  });
  return res.json();
};

export const api = createClient(window.reverie ? (m, i) => window.reverie!.invoke(m, i) : httpTransport);

/** Subscribes to "data changed" notifications (IPC events in Electron, server-sent events in browser mode). */
export function onDataChange(listener: (topic: string) => void): () => void {
  if (window.reverie) return window.reverie.onChange(listener);
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  const handler = (e: MessageEvent<string>) => listener((JSON.parse(e.data) as { topic: string }).topic);
  source.addEventListener('change', handler as EventListener);
  return () => source.close();
}

export const hasToken = () => !!window.reverie || !!token;

// ── Methods that may not exist yet ────────────────────────────────────────────────────────────
// The contract grows while the UI is built; a screen asks `has()` before offering an action so a
// missing method shows as "not available yet" instead of a failed request.

export const has = (method: string): boolean => isMethod(method);

/** Calls a method the typed contract may not declare (yet); the caller validates the result. */
export async function callLoose(method: string, input: unknown = {}): Promise<unknown> {
  if (!has(method)) throw new ContractError('unknown-method', `${method} is not available in this build yet.`);
  const raw = await (window.reverie ? window.reverie.invoke(method, input) : httpTransport(method, input));
  const env = Envelope.safeParse(raw);
  if (!env.success) throw new ContractError('failed', `Malformed reply to ${method}`);
  if (!env.data.ok) throw new ContractError(env.data.error.type, env.data.error.message);
  return env.data.result;
}

/** The menu's "show this screen" (Electron only; Cmd/Ctrl+1…6 live in the native menu there). */
export function onNavigate(listener: (screen: string) => void): () => void {
  const w = window as unknown as { reverie?: { onNavigate?: (l: (s: string) => void) => () => void } };
  return w.reverie?.onNavigate ? w.reverie.onNavigate(listener) : () => {};
}
