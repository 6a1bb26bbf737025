// The IPC boundary, built from plain functions so it can be tested without Electron.
// Two checks happen before a payload reaches the core: who sent it (only our window's top frame,
// showing our own page), and its shape (a method name and one argument). The core's dispatch then
// validates the argument against the method's zod schema, so every payload is checked against the
// shared contract exactly once, and every failure returns as an Envelope, never as a thrown error.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '../../shared/contract/define';
import type { Dispatch } from '../core/rpc';

/** The parts of Electron's IpcMainInvokeEvent the checks read. */
export interface SenderFrame { url: string; parent: unknown | null }
export interface InvokeEvent {
  sender: unknown;
  senderFrame: SenderFrame | null | undefined;
}

export type SenderCheck = (event: InvokeEvent) => boolean;

export interface TrustedSenderOptions {
  /** The webContents of our one window, or null while it is closed. */
  webContents: () => unknown;
  /** The renderer's index.html on disk (packaged and built runs load it with loadFile). */
  rendererIndex: string;
  /** Vite's dev server URL when running `electron-vite dev`; never set in a packaged app. */
  devServerUrl?: string | null;
}

/** True when `url` is our page: the built index.html itself, or (in development) the dev server. */
export function isOurPage(url: string, rendererIndex: string, devServerUrl?: string | null): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'file:') {
    // Hash and query are the page's own business; the file must be exactly our index.html.
    u.hash = '';
    u.search = '';
    try {
      return path.resolve(fileURLToPath(u)) === path.resolve(rendererIndex);
    } catch {
      return false;
    }
  }
  if (devServerUrl) {
    try {
      return u.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

export function trustedSender(opts: TrustedSenderOptions): SenderCheck {
  return (event) => {
    const ours = opts.webContents();
    if (!ours || event.sender !== ours) return false;
    const frame = event.senderFrame;
    // A destroyed or navigated-away frame has no senderFrame; a subframe has a parent.
    if (!frame || frame.parent) return false;
    return isOurPage(frame.url, opts.rendererIndex, opts.devServerUrl);
  };
}

const fail = (type: 'unauthorized' | 'invalid-input' | 'failed', message: string): Envelope => ({ ok: false, error: { type, message } });

/**
 * The handler for IPC_INVOKE: `ipcRenderer.invoke(IPC_INVOKE, method, input)` from the preload.
 * Anything else (a non-string method, extra arguments, a call from a frame that is not our page)
 * is refused here; the argument's shape is the dispatch's job.
 */
export function createInvokeHandler(dispatch: Dispatch, isTrusted: SenderCheck) {
  return async (event: InvokeEvent, ...args: unknown[]): Promise<Envelope> => {
    if (!isTrusted(event)) return fail('unauthorized', 'This call did not come from the Reverie window.');
    if (args.length < 1 || args.length > 2) return fail('invalid-input', `Expected (method, input), got ${args.length} argument(s).`);
    const [method, input] = args;
    if (typeof method !== 'string' || method.length === 0 || method.length > 100) return fail('invalid-input', 'The method name must be a non-empty string.');
    try {
      return await dispatch(method, input);
    } catch (err) {
      // The dispatch already turns handler errors into envelopes; this is the last line of defence.
      return fail('failed', err instanceof Error ? err.message : String(err));
    }
  };
}
