import { createHash } from 'node:crypto';
import path from 'node:path';
// Tiny, defensive accessors for untyped records: every format drifts between versions, so a missing
// or oddly typed field must read as "absent", never throw.
export type Rec = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const obj = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const recs = (v: unknown): Rec[] => arr(v).filter((x): x is Rec => !!obj(x));

/**
 * Normalizes the many time encodings of FORMATS.md §10.6 to ISO-8601 UTC, or null:
 * ISO strings (with or without zone; no zone is read as UTC), epoch seconds (float), epoch ms.
 */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isoTime(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    const ms = v < 1e11 ? v * 1000 : v;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  // Already canonical (Claude Code, Codex write exactly this): no Date round trip per event.
  if (v.length === 24 && CANONICAL.test(v)) return v;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v.replace(' ', 'T')}Z`;
  const d = new Date(zoned);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Parses JSON held in a string field (Codex arguments, Cline `text`), or undefined. */
export function parseJsonString(v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** A stable id for formats without their own session id: the file name plus a short hash of its folder. */
export function fileKey(file: string): string {
  const dir = createHash('sha1').update(path.dirname(path.resolve(file))).digest('hex').slice(0, 8);
  return `${path.basename(file)}@${dir}`;
}

/**
 * Scopes an id read from a file's contents (a generic `"id": "chat"`, a record index) to that file:
 * such ids are only unique within their file, and two unrelated files both saying "chat" must never
 * become one session. The same path always gives the same scope, so re-importing a file (or a grown
 * one) maps to the same ids. Formats with real global ids (Claude Code, Codex) do not use this.
 */
export function fileScoped(localId: string, file: string): string {
  const scope = createHash('sha1').update(path.resolve(file)).digest('hex').slice(0, 10);
  return `${localId}@${scope}`;
}
