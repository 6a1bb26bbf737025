// Uploads (shared/contract/uploads.ts): files the page sends by content, staged in the store and
// imported through the same pipeline as a path. Each file is moved to uploads/<sha256>/<name>, so
// the same content uploaded again has the same path and the ledger skips it; its events keep
// pointing at a file that exists (evidence stays openable).
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../../shared/contract/define';
import type { CoreContext, DomainHandlers } from '../context';
import { importPaths } from '../importers';

const STAGING = '.staging';

export function uploadHandlers(ctx: CoreContext): DomainHandlers<'uploads.begin' | 'uploads.chunk' | 'uploads.finish'> {
  const root = () => path.join(ctx.store.dir, 'uploads');
  const staging = (id: string) => path.join(root(), STAGING, id);
  // Resolves inside the staging folder or refuses: the schema already bans "..", this is the belt.
  const target = (id: string, rel: string) => {
    const base = staging(id);
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep)) throw new ContractError('invalid-input', `Upload path escapes its folder: ${rel}`);
    return file;
  };
  return {
    async 'uploads.begin'() {
      const uploadId = randomUUID();
      fs.mkdirSync(staging(uploadId), { recursive: true });
      return { uploadId };
    },
    async 'uploads.chunk'({ uploadId, path: rel, text, first }) {
      if (!fs.existsSync(staging(uploadId))) throw new ContractError('not-found', `No open upload ${uploadId} (begin one first).`);
      const file = target(uploadId, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (first) fs.writeFileSync(file, text);
      else fs.appendFileSync(file, text);
      return { bytes: fs.statSync(file).size };
    },
    async 'uploads.finish'({ uploadId, agent }) {
      const base = staging(uploadId);
      if (!fs.existsSync(base)) throw new ContractError('not-found', `No open upload ${uploadId}.`);
      const names = new Map<string, string>();
      const placed: string[] = [];
      try {
        for (const rel of listFiles(base)) {
          const from = path.join(base, rel);
          const hash = createHash('sha256').update(fs.readFileSync(from)).digest('hex').slice(0, 20);
          const to = path.join(root(), hash, rel);
          if (fs.existsSync(to)) fs.rmSync(from);
          else {
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.renameSync(from, to);
          }
          names.set(to, rel);
          placed.push(to);
        }
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
      if (placed.length === 0) throw new ContractError('invalid-input', 'The upload holds no files.');
      const result = await ctx.exclusive(() => importPaths(ctx.store, placed, { agent, worker: ctx.worker }));
      ctx.notify('sessions');
      // Name files as the user dropped them, not by their place in the store.
      return { ...result, errors: result.errors.map((e) => ({ ...e, file: names.get(e.file) ?? e.file })) };
    },
  };
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? path.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}
