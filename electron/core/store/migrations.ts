// Schema migrations: each step takes the raw JSON of version N and returns version N+1. They run on
// plain objects before validation, so a step only has to know the shape it upgrades from. The
// store keeps a copy of the file as it was before migrating (see store.ts), so a bad step loses nothing.
import { ContractError } from '../../../shared/contract/define';
import { SCHEMA_VERSION, emptySchedulerState } from './schema';

type Raw = Record<string, unknown>;
export type DocKind = 'main' | 'index';

/** steps[kind][n] upgrades a document of version n to n + 1. */
const steps: Record<DocKind, Record<number, (doc: Raw) => Raw>> = {
  main: {
    // v2 adds the scheduler's persisted state; a v1 store has never run a scheduled dream.
    1: (doc) => ({ ...doc, schemaVersion: 2, scheduler: emptySchedulerState() }),
    // v3 changed only the session storage; the version moves in step with the index.
    2: (doc) => ({ ...doc, schemaVersion: 3 }),
    // v4 changed only the session index; the version moves in step with it.
    3: (doc) => ({ ...doc, schemaVersion: 4 }),
    // v5: the dreams stay inline until the store's first writable open moves them to a log (store.ts).
    4: (doc) => ({ ...doc, schemaVersion: 5, dreamLog: null }),
  },
  index: {
    // Nothing changed in the index in v2; the version moves in step with the main document.
    1: (doc) => ({ ...doc, schemaVersion: 2 }),
    // v3: sessions move into segment files. The documents only learn that their sessions are still in
    // the old per-file layout; the store converts the files at its first writable open (store.ts).
    2: (doc) => ({ ...doc, schemaVersion: 3, locations: {}, tail: { segment: 1, length: 0 }, legacyFiles: true }),
    // v4: the head keeps which sessions are not dreamt over and which agents sessions name; the summaries
    // and the ledger stay inline until the store's first writable open moves them to a log (store.ts).
    3: (doc) => {
      const sessions = Array.isArray(doc.sessions) ? (doc.sessions as Raw[]) : [];
      const ids = (pick: (s: Raw) => unknown) => [...new Set(sessions.map(pick).filter((x): x is string => typeof x === 'string'))];
      return { ...doc, schemaVersion: 4, undreamt: ids((s) => (s?.dreamt === false ? s.id : undefined)), agents: ids((s) => s?.agentId), log: null };
    },
    // Nothing changed in the index in v5; the version moves in step with the main document.
    4: (doc) => ({ ...doc, schemaVersion: 5 }),
  },
};

export interface Migrated { doc: unknown; from: number | null }

/**
 * Brings a parsed document up to SCHEMA_VERSION. Returns `from` = the version it had when it was
 * older, null when it was current (or has no readable version; validation will say what is wrong).
 * A document from a newer Reverie is refused outright: guessing would lose the user's data.
 */
export function migrate(kind: DocKind, raw: unknown, file: string): Migrated {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { doc: raw, from: null };
  let doc = raw as Raw;
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { doc, from: null };
  if (version > SCHEMA_VERSION) {
    throw new ContractError('failed', `${file} was written by a newer Reverie (store version ${version}; this one reads up to ${SCHEMA_VERSION}). Update Reverie to open it; nothing was changed.`);
  }
  if (version === SCHEMA_VERSION) return { doc, from: null };
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = steps[kind][v];
    if (!step) throw new ContractError('failed', `No migration for ${kind} documents from version ${v}; ${file} was left as it is.`);
    doc = step(doc);
  }
  return { doc, from: version };
}
