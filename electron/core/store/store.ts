// The store: a lowdb main document (settings, agents, lessons, tombstones, dreams), a lowdb index
// (sessions, import ledger) and one file per session (events + signals). Opening the app reads only
// the two small documents; a dream reads only the session files it needs.
import fs from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { ContractError } from '../../../shared/contract/define';
import type { Session } from '../../../shared/model';
import { describeZodError } from '../rpc';
import { acquireWriterLock } from './lock';
import { IndexDoc, MainDoc, SessionDoc, emptyIndex, emptyMain } from './schema';

export interface OpenOptions {
  /** Who is opening (shown to a second writer). */
  host?: string;
  /** Read-only opens take no lock and refuse writes. */
  readOnly?: boolean;
}

function validatedFile<T>(file: string, schema: z.ZodType<T>): DataFile<T> {
  return new DataFile<T>(file, {
    parse: (text) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new ContractError('failed', `${file} is not valid JSON (${(err as Error).message})`);
      }
      const r = schema.safeParse(raw);
      if (!r.success) throw new ContractError('failed', `${file} does not match the store schema: ${describeZodError(r.error)}`);
      return r.data;
    },
    stringify: (data) => JSON.stringify(data),
  });
}

/** Two-level fan-out keeps folders small at 10,000 sessions; ids are sanitized for every OS. */
export function sessionFilePath(dir: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(dir, 'sessions', safe.slice(0, 2), `${safe}.json`);
}

/** Reads and validates one session file; null when it does not exist. Safe without the lock (files are replaced atomically). */
export function readSessionFile(dir: string, id: string): SessionDoc | null {
  let text: string;
  try {
    text = fs.readFileSync(sessionFilePath(dir, id), 'utf8');
  } catch {
    return null;
  }
  const r = SessionDoc.safeParse(JSON.parse(text));
  if (!r.success) throw new ContractError('failed', `Session file for ${id} is damaged: ${describeZodError(r.error)}`);
  return r.data;
}

export class Store {
  private constructor(
    readonly dir: string,
    readonly main: Low<MainDoc>,
    readonly index: Low<IndexDoc>,
    readonly readOnly: boolean,
    private release: (() => Promise<void>) | null,
  ) {}

  static async open(dir: string, opts: OpenOptions = {}): Promise<Store> {
    const abs = path.resolve(dir);
    fs.mkdirSync(path.join(abs, 'sessions'), { recursive: true });
    const release = opts.readOnly ? null : await acquireWriterLock(abs, opts.host ?? 'reverie');
    try {
      const main = new Low(validatedFile(path.join(abs, 'reverie.json'), MainDoc), emptyMain());
      const index = new Low(validatedFile(path.join(abs, 'index.json'), IndexDoc), emptyIndex());
      await main.read();
      await index.read();
      return new Store(abs, main, index, !!opts.readOnly, release);
    } catch (err) {
      await release?.();
      throw err;
    }
  }

  get data(): MainDoc { return this.main.data; }
  get sessions(): Session[] { return this.index.data.sessions; }

  private assertWritable(): void {
    if (this.readOnly) throw new ContractError('locked', 'This store is open read-only.');
  }

  async writeMain(): Promise<void> { this.assertWritable(); await this.main.write(); }
  async writeIndex(): Promise<void> { this.assertWritable(); await this.index.write(); }

  sessionFile(id: string): string {
    return sessionFilePath(this.dir, id);
  }

  async writeSessionDoc(doc: SessionDoc): Promise<void> {
    this.assertWritable();
    const file = this.sessionFile(doc.session.id);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(doc));
  }

  readSessionDoc(id: string): SessionDoc | null {
    return readSessionFile(this.dir, id);
  }

  async close(): Promise<void> {
    const release = this.release;
    this.release = null;
    await release?.();
  }
}
