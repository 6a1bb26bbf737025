// Browser mode's defences, over real HTTP against a real core in a temp store: each request that
// must be refused is sent exactly as an attacker would (no token, wrong token, another site's
// Origin, a rebinding Host, a CORS preflight, broken bodies), and the same request done right works.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../electron/bridge/server';
import { openCore, type Core } from '../../../electron/core/core';
import { sourceWorkerLauncher } from '../../../electron/core/platform/node';
import { tempDir } from '../../helpers/env';

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string; json: any }

let core: Core;
let bridge: Bridge;
const MAX = 4096;

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: bridge.port, method: opts.method ?? 'POST', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    // A server that stops reading an oversize upload may reset the socket after answering.
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

const good = () => ({ 'Content-Type': 'application/json', 'X-Reverie-Token': bridge.token });
const call = (method: string, body: string, headers: Record<string, string> = {}) => request({ path: `/api/${method}`, headers: { ...good(), ...headers }, body });

beforeAll(async () => {
  core = await openCore({ storeDir: path.join(tempDir(), 'store'), host: 'browser', worker: sourceWorkerLauncher() });
  bridge = await startBridge({ dispatch: core.dispatch, events: core.events, maxBodyBytes: MAX, staticDir: null });
});
afterAll(async () => {
  await bridge?.close();
  await core?.close();
});

describe('browser-mode bridge', () => {
  it('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.url).toBe(`${bridge.origin}/#token=${bridge.token}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('answers a valid call with a real result from the store, without any CORS header', async () => {
    const r = await call('app.info', '{}', { Origin: bridge.origin });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, result: { host: 'browser', storeDir: core.store.dir, empty: true } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // localhost is the same machine and port: allowed too.
    const viaLocalhost = await call('app.info', '{}', { Host: `localhost:${bridge.port}`, Origin: `http://localhost:${bridge.port}` });
    expect(viaLocalhost.status).toBe(200);
  });

  it('refuses a request without the token, or with a wrong one, before running anything', async () => {
    const none = await request({ path: '/api/app.info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
    const wrong = await call('app.info', '{}', { 'X-Reverie-Token': `${bridge.token.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    const short = await call('app.info', '{}', { 'X-Reverie-Token': 'x' });
    expect(short.status).toBe(401);
    // The query-string token is for the event stream only; a contract call must use the header.
    const inQuery = await request({ path: `/api/app.info?token=${bridge.token}`, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(inQuery.status).toBe(401);
    const events = await request({ method: 'GET', path: '/api/events' });
    expect(events.status).toBe(401);
  });

  it('refuses another origin even with the right token, and sends no Access-Control-Allow-Origin', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null', `http://127.0.0.1.evil.example:${bridge.port}`]) {
      const r = await call('app.info', '{}', { Origin: origin });
      expect(r.status, origin).toBe(403);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    const crossSite = await call('app.info', '{}', { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses CORS preflights', async () => {
    const r = await request({ method: 'OPTIONS', path: '/api/lessons.delete', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-reverie-token,content-type' } });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['access-control-allow-headers']).toBeUndefined();
    const same = await request({ method: 'OPTIONS', path: '/api/app.info', headers: good() });
    expect(same.status).toBe(403);
  });

  it('refuses a Host other than 127.0.0.1:PORT / localhost:PORT (DNS rebinding), for the API and the page', async () => {
    for (const host of ['evil.example', `evil.example:${bridge.port}`, '127.0.0.1', `127.0.0.1:${bridge.port + 1}`, `[::1]:${bridge.port}`]) {
      const api = await call('app.info', '{}', { Host: host });
      expect(api.status, host).toBe(421);
      const page = await request({ method: 'GET', path: '/', headers: { Host: host } });
      expect(page.status, host).toBe(421);
    }
  });

  it('refuses malformed JSON, a wrong content type, oversize bodies and non-POST calls', async () => {
    const bad = await call('app.info', '{"oops":');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/not valid JSON/);
    const notUtf8 = await call('app.info', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) as unknown as string);
    expect(notUtf8.status).toBe(400);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      const r = await call('app.info', '{}', { 'Content-Type': type });
      expect(r.status, type).toBe(415);
    }
    const big = await call('app.info', JSON.stringify({ pad: 'x'.repeat(MAX) }));
    expect(big.status).toBe(413);
    const get = await request({ method: 'GET', path: '/api/app.info', headers: good() });
    expect(get.status).toBe(405);
  });

  it('refuses an oversize chunked body that declares no length', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: bridge.port, method: 'POST', path: '/api/app.info', headers: { ...good(), 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('x'.repeat(MAX / 2));
      req.end();
    });
    expect(r).toBe(413);
  });

  it('passes well-formed JSON of the wrong shape to the contract, which rejects it by name', async () => {
    const wrongType = await call('lessons.pin', JSON.stringify({ id: 'x', pinned: 'yes' }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.json).toMatchObject({ ok: false, error: { type: 'invalid-input', message: expect.stringMatching(/pinned/) } });
    const unknown = await call('store.dropEverything', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.type).toBe('unknown-method');
    const badEscape = await call('%E0%A4%A', '{}');
    expect(badEscape.status).toBe(404);
    // The server survived all of the above.
    expect((await call('app.info', '{}')).status).toBe(200);
  });

  it('never serves files outside the UI folder', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'ui'));
    fs.writeFileSync(path.join(dir, 'ui', 'index.html'), '<p>the UI</p>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'SECRET');
    const withStatic = await startBridge({ dispatch: core.dispatch, staticDir: path.join(dir, 'ui') });
    try {
      const get = (p: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: withStatic.port, path: p }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
      expect((await get('/')).body).toBe('<p>the UI</p>');
      for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/ui/..%2f..%2fsecret.txt']) {
        const r = await get(p);
        expect(r.body, p).not.toContain('SECRET');
        expect([200, 403], p).toContain(r.status);
      }
      expect((await get('/..%2fsecret.txt')).status).toBe(403);
      expect((await get('/%E0%A4%A')).status).toBe(404);
    } finally {
      await withStatic.close();
    }
  });
});
