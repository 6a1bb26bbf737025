// Browser mode: the same contract over HTTP on 127.0.0.1, for machines without Electron and for the
// end-to-end tests. A local port is reachable by every web page the user opens and every process on
// the machine, so each request passes these checks, cheapest first:
//   1. Host must be 127.0.0.1:PORT or localhost:PORT: a DNS-rebinding page (evil.example resolving to
//      127.0.0.1) sends its own name as Host and is refused, even for the static files.
//   2. A foreign Origin (or a browser's Sec-Fetch-Site: cross-site) is refused, and no CORS header is
//      ever sent, so no other site can read a response; CORS preflights (OPTIONS) are refused outright.
//   3. /api needs the random token (header X-Reverie-Token; ?token= only for the event stream, which
//      EventSource cannot give headers), compared in constant time.
//   4. Contract calls are POST with Content-Type application/json, a body under the size limit that
//      parses as JSON; the dispatch then validates it against the method's zod schema.
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
  // No other site may embed, open or read what we serve, even where a browser ignores the CSP.
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
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

/** Hosts a local page may use to reach us; anything else is a rebinding attempt or a proxy. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Percent-decoding that refuses malformed input instead of throwing. */
function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

const refuse = (res: http.ServerResponse, status: number, type: 'unauthorized' | 'invalid-input' | 'unknown-method', message: string) => send(res, status, { ok: false, error: { type, message } });

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  let origin = '';
  let hosts = new Set<string>();
  let origins = new Set<string>();
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!hosts.has(host)) return refuse(res, 421, 'unauthorized', `Wrong Host "${host}": open ${origin}/ exactly as \`reverie serve\` printed it.`);
    const from = req.headers.origin;
    if ((from !== undefined && !origins.has(from)) || req.headers['sec-fetch-site'] === 'cross-site') {
      return refuse(res, 403, 'unauthorized', `Requests from ${from ?? 'another site'} are not allowed.`);
    }
    if (req.method === 'OPTIONS') return refuse(res, 403, 'unauthorized', 'Cross-origin requests are not allowed.');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return void handleApi(req, res, url);
    serveStatic(req, res, url);
  });

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const header = req.headers['x-reverie-token'];
    const given = typeof header === 'string' ? header : url.pathname === '/api/events' ? url.searchParams.get('token') : null;
    if (!tokenMatches(given, token)) return refuse(res, 401, 'unauthorized', 'Missing or wrong token. Open the URL that `reverie serve` printed.');
    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
    if (req.method !== 'POST') return refuse(res, 405, 'invalid-input', 'Use POST with a JSON body.');
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'invalid-input', 'Content-Type must be application/json.');
    const method = decode(url.pathname.slice('/api/'.length));
    if (!method || method.length > 100) return refuse(res, 404, 'unknown-method', 'No such method.');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, 'invalid-input', `Request body over ${maxBody} bytes.`);
      return void req.resume();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      if (tooBig) return;
      size += c.length;
      if (size > maxBody) {
        // Chunked uploads declare no length: stop buffering, answer, and drop the rest.
        tooBig = true;
        chunks.length = 0;
        res.setHeader('Connection', 'close');
        refuse(res, 413, 'invalid-input', `Request body over ${maxBody} bytes.`);
      } else chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', async () => {
      if (tooBig || res.headersSent) return;
      let input: unknown;
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
        input = text.trim() ? JSON.parse(text) : {};
      } catch {
        return refuse(res, 400, 'invalid-input', 'The request body is not valid JSON.');
      }
      try {
        const envelope = await opts.dispatch(method, input);
        const status = envelope.ok ? 200 : envelope.error.type === 'unknown-method' ? 404 : envelope.error.type === 'invalid-input' ? 400 : 200;
        send(res, status, envelope);
      } catch (err) {
        send(res, 500, { ok: false, error: { type: 'failed', message: err instanceof Error ? err.message : String(err) } });
      }
    });
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const onChange = (topic: string) => res.write(`event: change\ndata: ${JSON.stringify({ topic })}\n\n`);
    // The running dream's progress (or null when it ended), throttled by the scheduler.
    const onProgress = (running: unknown) => res.write(`event: progress\ndata: ${JSON.stringify(running ?? null)}\n\n`);
    opts.events?.on('change', onChange);
    opts.events?.on('progress', onProgress);
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(ping);
      opts.events?.off('change', onChange);
      opts.events?.off('progress', onProgress);
    });
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const pathname = decode(url.pathname);
    if (!opts.staticDir || (req.method !== 'GET' && req.method !== 'HEAD') || pathname === null || pathname.includes('\0')) {
      res.writeHead(404, SECURITY_HEADERS);
      return void res.end('Not found');
    }
    const root = path.resolve(opts.staticDir);
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
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
  hosts = allowedHosts(port);
  origins = new Set([...hosts].map((h) => `http://${h}`));
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
