// The API key in the desktop app: kept encrypted by the OS (safeStorage), never in clear on disk,
// refused where the OS offers no real encryption, and reachable from the page only through the
// contract's key methods, which never return the key.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract/define';
import { keyMethods, withHostMethods } from '../../../electron/main/host-methods';
import { createKeyStore, KeyStoreError, type SafeStorageLike } from '../../../electron/main/key-store';
import { tempDir } from '../../helpers/env';

const KEY = 'sk-ant-api03-unitTESTkey0123456789abcdef';

function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike & { xor: number } {
  const s = {
    xor: 0x33,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (t: string) => Buffer.concat([Buffer.from('v11'), Buffer.from(Buffer.from(t).map((b) => b ^ s.xor))]),
    decryptString: (b: Buffer) => {
      if (b.subarray(0, 3).toString() !== 'v11') throw new Error('bad header');
      return Buffer.from(b.subarray(3).map((x) => x ^ s.xor)).toString();
    },
  };
  return s;
}

describe('the key store', () => {
  it('writes only the encrypted key, owner-only, and reads it back', async () => {
    const file = path.join(tempDir(), 'userData', 'secrets.json');
    const keys = createKeyStore({ file, safeStorage: fakeSafeStorage(), platform: 'linux', env: {} });
    expect(keys.status()).toEqual({ stored: false, canStore: true });
    keys.set(`  ${KEY}\n`);
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).not.toContain(KEY);
    expect(raw).not.toContain('unitTESTkey');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.get()).toBe(KEY);
    expect(await keys.provider()).toBe(KEY);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
  });

  it('prefers the stored key, falls back to ANTHROPIC_API_KEY, and forgets on clear', async () => {
    const file = path.join(tempDir(), 'secrets.json');
    const keys = createKeyStore({ file, safeStorage: fakeSafeStorage(), platform: 'darwin', env: { ANTHROPIC_API_KEY: ' sk-from-env-000000 ' } });
    expect(await keys.provider()).toBe('sk-from-env-000000');
    keys.set(KEY);
    expect(await keys.provider()).toBe(KEY);
    keys.clear();
    expect(keys.get()).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    expect(await keys.provider()).toBe('sk-from-env-000000');
  });

  it('refuses to store where the OS has no real encryption, saying what to do', () => {
    for (const [backend, available] of [['basic_text', true], ['unknown', true], ['gnome_libsecret', false]] as const) {
      const keys = createKeyStore({ file: path.join(tempDir(), 's.json'), safeStorage: fakeSafeStorage(backend, available), platform: 'linux', env: {} });
      expect(keys.status().canStore).toBe(false);
      expect(keys.status().reason).toMatch(/ANTHROPIC_API_KEY/);
      expect(() => keys.set(KEY)).toThrow(KeyStoreError);
    }
  });

  it('refuses pasted garbage and treats an undecryptable or corrupt file as no key', () => {
    const file = path.join(tempDir(), 's.json');
    const safe = fakeSafeStorage();
    const keys = createKeyStore({ file, safeStorage: safe, platform: 'win32', env: {} });
    for (const bad of ['short', 'sk-ant with spaces', 'sk-ant-\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9', 'x'.repeat(600)]) expect(() => keys.set(bad), bad).toThrow(KeyStoreError);
    keys.set(KEY);
    fs.writeFileSync(file, Buffer.from(JSON.stringify({ version: 1, anthropic: Buffer.from('garbage').toString('base64') })));
    expect(keys.get()).toBeNull();
    fs.writeFileSync(file, '{"version": 1, "anth');
    expect(keys.get()).toBeNull();
    expect(keys.status().stored).toBe(false);
  });
});

describe('the key methods the app answers in front of the core', () => {
  const core = async (method: string): Promise<Envelope> => ({ ok: true, result: `core:${method}` });

  it('store, report and clear the key without ever returning it', async () => {
    const file = path.join(tempDir(), 's.json');
    const keys = createKeyStore({ file, safeStorage: fakeSafeStorage(), platform: 'linux', env: {} });
    const changes: string[] = [];
    const dispatch = withHostMethods(core, keyMethods(keys, {}), (t) => changes.push(t));
    expect(await dispatch('claude.keyState', {})).toEqual({ ok: true, result: { keyPresent: false, source: null, canStore: true } });
    const set = await dispatch('claude.setKey', { key: KEY });
    expect(set).toEqual({ ok: true, result: { keyPresent: true, source: 'app', canStore: true } });
    expect(JSON.stringify(set)).not.toContain(KEY);
    expect(keys.get()).toBe(KEY);
    expect(changes).toEqual(['settings']);
    expect(await dispatch('claude.clearKey', {})).toEqual({ ok: true, result: { keyPresent: false, source: null, canStore: true } });
    // Everything else reaches the core untouched.
    expect(await dispatch('claude.status', {})).toEqual({ ok: true, result: 'core:claude.status' });
    expect(await dispatch('dreams.run', { engine: 'claude' })).toEqual({ ok: true, result: 'core:dreams.run' });
  });

  it('validate payloads with the shared contract and turn refusals into envelopes', async () => {
    const keys = createKeyStore({ file: path.join(tempDir(), 's.json'), safeStorage: fakeSafeStorage('basic_text'), platform: 'linux', env: { ANTHROPIC_API_KEY: 'sk-env-0000000000' } });
    const dispatch = withHostMethods(core, keyMethods(keys, { ANTHROPIC_API_KEY: 'sk-env-0000000000' }));
    for (const bad of [{}, { key: 42 }, { key: KEY, extra: 1 }, { key: 'a b c d e f g h' }, 'sk-ant-raw-string']) {
      expect(await dispatch('claude.setKey', bad)).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
    }
    const refused = await dispatch('claude.setKey', { key: KEY });
    expect(refused).toMatchObject({ ok: false, error: { type: 'invalid-input', message: expect.stringMatching(/keyring/) } });
    expect(await dispatch('claude.keyState', {})).toMatchObject({ ok: true, result: { keyPresent: true, source: 'environment', canStore: false } });
  });
});
