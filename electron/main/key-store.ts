// The user's Anthropic API key, kept with Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows, the Secret Service / KWallet on Linux). Only the encrypted bytes are written, to a small
// file in userData with owner-only permissions, and never to the JSON store. When the OS offers no
// real encryption (Linux without a keyring, where safeStorage falls back to a hard-coded password),
// storing is refused with a message, rather than quietly keeping the key in the clear.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export interface KeyStatus {
  /** A key is stored in this app. */
  stored: boolean;
  /** The OS can encrypt a key for us. */
  canStore: boolean;
  /** Why not, when it cannot. */
  reason?: string;
}

export interface KeyStore {
  status(): KeyStatus;
  /** The stored key, or null (none stored, or it cannot be decrypted any more). */
  get(): string | null;
  set(key: string): void;
  clear(): void;
  /**
   * The provider the core's Claude engine calls (CoreOptions.apiKey): the key stored here, else
   * ANTHROPIC_API_KEY from the environment, else null.
   */
  provider(): Promise<string | null>;
}

export class KeyStoreError extends Error {}

const File = z.object({ version: z.literal(1), anthropic: z.string().min(1) });

/** An Anthropic key is printable ASCII without spaces; this refuses pasted garbage and newlines. */
const KeyText = z.string().trim().min(8).max(512).regex(/^[\x21-\x7e]+$/, 'The key has characters an API key never has.');

export function createKeyStore(opts: { file: string; safeStorage: SafeStorageLike; platform: NodeJS.Platform; env?: NodeJS.ProcessEnv }): KeyStore {
  const { file, safeStorage } = opts;
  const env = opts.env ?? process.env;

  function canStore(): { ok: boolean; reason?: string } {
    if (!safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'This system offers no encrypted storage for secrets. Set ANTHROPIC_API_KEY in the environment instead.' };
    if (opts.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
      // 'basic_text' is Chromium's fallback when no keyring is running: the "encryption" key is a
      // constant, so the file would be as good as clear text.
      if (backend === 'basic_text' || backend === 'unknown') {
        return { ok: false, reason: `No keyring is available (safeStorage backend: ${backend}). Start GNOME Keyring or KWallet, or set ANTHROPIC_API_KEY in the environment instead.` };
      }
    }
    return { ok: true };
  }

  function read(): Buffer | null {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = File.safeParse(JSON.parse(raw));
      return parsed.success ? Buffer.from(parsed.data.anthropic, 'base64') : null;
    } catch {
      return null;
    }
  }

  const store: KeyStore = {
    status() {
      const c = canStore();
      return { stored: read() !== null, canStore: c.ok, ...(c.reason ? { reason: c.reason } : {}) };
    },
    get() {
      const enc = read();
      if (!enc) return null;
      try {
        return safeStorage.decryptString(enc);
      } catch {
        // The OS key changed (a new keyring, another user account): the key is lost, not leaked.
        return null;
      }
    },
    set(key) {
      const c = canStore();
      if (!c.ok) throw new KeyStoreError(c.reason);
      const parsed = KeyText.safeParse(key);
      if (!parsed.success) throw new KeyStoreError(parsed.error.issues[0]?.message ?? 'Not an API key.');
      const encrypted = safeStorage.encryptString(parsed.data);
      const body = `${JSON.stringify({ version: 1, anthropic: encrypted.toString('base64') })}\n`;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, body, { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    clear() {
      fs.rmSync(file, { force: true });
    },
    async provider() {
      return store.get() ?? (env.ANTHROPIC_API_KEY?.trim() || null);
    },
  };
  return store;
}
