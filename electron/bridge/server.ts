// Browser mode: the same contract over HTTP on 127.0.0.1, for machines without Electron and for the
// end-to-end tests. Every /api request must carry the random token; requests from another origin
// are refused (no CORS headers are ever sent, and a foreign Origin gets 403).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Dispatch } from '../core/rpc';

export interface BridgeOptions {
  dispatch: Dispatch;
  /** Core change events, forwarded to the page as server-sent events. */
  events?: EventEmitter;
  port?: number;
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string | null;
  token?: string;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

export interface Bridge { url: string; origin: string; token: string; port: number; close(): Promise<void> }

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(text);
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) return void handleApi(req, res, url);
    serveStatic(req, res, url);
  });

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const given = (req.headers['x-reverie-token'] as string | undefined) ?? (url.pathname === '/api/events' ? url.searchParams.get('token') : null);
    if (!tokenMatches(given, token)) return send(res, 401, { ok: false, error: { type: 'unauthorized', message: 'Missing or wrong token. Open the URL that `reverie serve` printed.' } });
    if (req.headers.origin && req.headers.origin !== origin) return send(res, 403, { ok: false, error: { type: 'unauthorized', message: `Requests from ${req.headers.origin} are not allowed.` } });
    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { type: 'invalid-input', message: 'Use POST with a JSON body.' } });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, { ok: false, error: { type: 'invalid-input', message: 'Content-Type must be application/json.' } });
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) {
        send(res, 413, { ok: false, error: { type: 'invalid-input', message: `Request body over ${maxBody} bytes.` } });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', async () => {
      if (res.headersSent) return;
      let input: unknown;
      try {
        input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return send(res, 400, { ok: false, error: { type: 'invalid-input', message: 'The request body is not valid JSON.' } });
      }
      const envelope = await opts.dispatch(method, input);
      const status = envelope.ok ? 200 : envelope.error.type === 'unknown-method' ? 404 : envelope.error.type === 'invalid-input' ? 400 : 200;
      send(res, status, envelope);
    });
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const onChange = (topic: string) => res.write(`event: change\ndata: ${JSON.stringify({ topic })}\n\n`);
    opts.events?.on('change', onChange);
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(ping);
      opts.events?.off('change', onChange);
    });
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (!opts.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, SECURITY_HEADERS);
      return void res.end('Not found');
    }
    const root = path.resolve(opts.staticDir);
    let file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root)) {
      res.writeHead(403, SECURITY_HEADERS);
      return void res.end('Forbidden');
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, SECURITY_HEADERS);
        return void res.end('Not found — build the UI with `npm run build`.');
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
