// The bundled seed packs: markdown files in resources/seeds, one per ecosystem, each with a small
// front matter (id, title, description). Read from disk on request so a pack edit needs no rebuild.
import fs from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../../shared/contract/define';
import { PROJECT_ROOT } from '../platform/node';

export interface PackFile { id: string; title: string; description: string; file: string; source: string }

/**
 * resources/seeds sits beside resources/demo in every layout (sources, packaged app), so a host that
 * knows its demo folder knows its seeds folder; REVERIE_SEEDS_DIR overrides both for tests.
 */
export function seedsDir(demoDir: string | null): string {
  if (process.env.REVERIE_SEEDS_DIR) return process.env.REVERIE_SEEDS_DIR;
  const beside = demoDir ? path.join(path.dirname(demoDir), 'seeds') : null;
  return beside && fs.existsSync(beside) ? beside : path.join(PROJECT_ROOT, 'resources', 'seeds');
}

/** `key: value` lines between the leading `---` fences; only flat strings are needed here. */
export function frontMatter(source: string): Record<string, string> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!m) return {};
  const out: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (kv) out[kv[1]] = kv[2].trim().replace(/^["']|["']$/g, '');
  }
  return out;
}

export function listPacks(dir: string): PackFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.(md|json)$/i.test(n)).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    const source = fs.readFileSync(file, 'utf8');
    const meta = frontMatter(source);
    const id = meta.id || name.replace(/\.(md|json)$/i, '');
    return { id, title: meta.title || id, description: meta.description || '', file, source };
  });
}

export function findPack(dir: string, id: string): PackFile {
  const packs = listPacks(dir);
  const hit = packs.find((p) => p.id.toLowerCase() === id.toLowerCase());
  if (!hit) throw new ContractError('not-found', `No seed pack "${id}". Packs: ${packs.map((p) => p.id).join(', ') || `none found in ${dir}`}.`);
  return hit;
}
