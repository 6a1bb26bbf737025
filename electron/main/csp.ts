// The Content-Security-Policy of the desktop window. The page is our own bundle: scripts only from
// our origin (no inline script, no eval), no plugins, no framing, no base-tag tricks, and no network
// at all (connect-src 'none': in Electron the page reaches the core through the preload's IPC, never
// by fetch). Inline styles are allowed because React sets style attributes.
// The same policy is in renderer/index.html's <meta>; here it is also sent as a response header,
// because a file:// page gets no HTTP headers and the header (unlike the meta tag) cannot be removed
// by script that runs before it.
export const DESKTOP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "worker-src 'self'",
].join('; ');

/** In development the page comes from Vite's dev server, which needs its websocket for hot reload. */
export function devCsp(rendererUrl: string): string {
  const u = new URL(rendererUrl);
  const ws = `ws://${u.host}`;
  return DESKTOP_CSP.replace("connect-src 'none'", `connect-src 'self' ${ws}`).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
}

/**
 * What `session.webRequest.onHeadersReceived` answers: the response's headers with our CSP set,
 * replacing any Content-Security-Policy the response carried (header names are case-insensitive).
 */
export function withCsp(headers: Record<string, string | string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
