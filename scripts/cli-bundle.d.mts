// Types for cli-bundle.mjs (plain JavaScript: bin/reverie.mjs loads it before any TypeScript can run).
export type BundleState = { state: 'missing' } | { state: 'stale'; changed: string } | { state: 'fresh' };
export interface BundleOptions {
  /** The project root the entries, inputs and settings are relative to. */
  root?: string;
  /** Where the bundles and meta.json go. */
  out?: string;
  /** Output name → entry source. */
  entries?: Record<string, string>;
  /** Files that shape the bundles besides the sources they import (one not there counts as changed once it appears). */
  settings?: string[];
}
export const ROOT: string;
export const CLI_OUT: string;
export const ENTRIES: Record<string, string>;
export const SETTINGS: string[];
export function bundleState(opts?: BundleOptions): BundleState;
export function buildBundle(opts?: BundleOptions): Promise<void>;
export function ensureCliBundle(log: (line: string) => void, opts?: BundleOptions): Promise<string | null>;
