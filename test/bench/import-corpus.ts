// Generates a Claude Code corpus of a given size for the import benchmark: real transcripts from
// test/fixtures/real replayed with fresh session ids and uuids, chained into session files of
// a few MB (the size of real long sessions) across several project folders, as ~/.claude/projects
// looks after months of use. Cached in the OS temp folder by size, so repeated runs skip generation.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/env';

const SOURCES = [
  fixture('claude-code', 'claude-reliability', 'python-to-rust-port', 'transcript.jsonl'),
  fixture('claude-code', 'spotter', '4d5611e5-241a-462a-8d15-5122611a9569', 'subagents', 'agent-a2898e3.jsonl'),
  fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'),
  fixture('claude-code', 'spotter', 'tool_heavy.jsonl'),
  fixture('claude-code', 'spotter', 'short.jsonl'),
];
const FILE_TARGET_BYTES = 3 * 1024 * 1024;
const PROJECTS = 12;

export interface Corpus { dir: string; files: string[]; bytes: number }

export function corpusDir(mb: number): string {
  return path.join(os.tmpdir(), `reverie-bench-claude-${mb}mb`);
}

export function ensureCorpus(mb: number, log: (s: string) => void = () => {}): Corpus {
  const dir = corpusDir(mb);
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    log(`generating a ${mb} MB Claude Code corpus in ${dir} …`);
    generate(dir, mb * 1024 * 1024);
    fs.writeFileSync(marker, new Date().toISOString());
  }
  return listCorpus(dir);
}

/** The session files of a generated corpus (one folder per project). */
function listCorpus(dir: string): Corpus {
  const files: string[] = [];
  for (const p of fs.readdirSync(dir)) {
    const sub = path.join(dir, p);
    if (fs.statSync(sub).isDirectory()) for (const f of fs.readdirSync(sub)) files.push(path.join(sub, f));
  }
  return { dir, files, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

/**
 * Many small Claude Code sessions (the common shape: ~/.claude/projects after months of short sessions):
 * `sessions` files of about `kb` KB each, cut from the same real transcripts. Cached like the large corpus.
 */
export function ensureSmallCorpus(sessions: number, kb: number, log: (s: string) => void = () => {}): Corpus {
  const dir = path.join(os.tmpdir(), `reverie-bench-claude-${sessions}x${kb}kb`);
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    log(`generating ${sessions} Claude Code sessions of ~${kb} KB in ${dir} …`);
    generate(dir, Infinity, kb * 1024, sessions);
    fs.writeFileSync(marker, new Date().toISOString());
  }
  return listCorpus(dir);
}

function generate(dir: string, targetBytes: number, fileBytes = FILE_TARGET_BYTES, maxFiles = Infinity): void {
  const sources = SOURCES.map((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>));
  let total = 0;
  let n = 0;
  while (total < targetBytes && n < maxFiles) {
    const project = `/home/dev/src/project-${n % PROJECTS}`;
    const folder = path.join(dir, project.replace(/[^A-Za-z0-9]/g, '-'));
    fs.mkdirSync(folder, { recursive: true });
    const sessionId = randomUUID();
    const out: string[] = [];
    let size = 0;
    let previousLeaf: string | null = null;
    let day = Date.parse('2026-01-01T09:00:00Z') + n * 3_600_000;
    for (let k = 0; size < fileBytes; k++) {
      const src = sources[(n + k) % sources.length];
      const ids = new Map<string, string>();
      const map = (u: unknown) => (typeof u === 'string' ? (ids.get(u) ?? (ids.set(u, randomUUID()), ids.get(u)!)) : u);
      let last: string | null = null;
      for (const rec of src) {
        // A small session ends within a transcript (every line stays a whole record).
        if (size >= fileBytes) break;
        const r = { ...rec };
        if ('sessionId' in r) r.sessionId = sessionId;
        if (typeof r.cwd === 'string') r.cwd = project;
        if (typeof r.uuid === 'string') r.uuid = last = map(r.uuid) as string;
        // Chain each replayed transcript onto the previous one: one long session per file.
        if ('parentUuid' in r) r.parentUuid = r.parentUuid === null ? previousLeaf : map(r.parentUuid);
        if (typeof r.logicalParentUuid === 'string') r.logicalParentUuid = map(r.logicalParentUuid);
        if (typeof r.agentId === 'string') delete r.agentId;
        if (typeof r.timestamp === 'string') r.timestamp = new Date((day += 1000)).toISOString();
        const line = JSON.stringify(r);
        out.push(line);
        size += line.length + 1;
      }
      previousLeaf = last;
    }
    fs.writeFileSync(path.join(folder, `${sessionId}.jsonl`), `${out.join('\n')}\n`);
    total += size;
    n++;
  }
}

/**
 * A ChatGPT export (one conversations.json array) of about `mb` MB, written as a stream: the real
 * chatgpt2graph conversation repeated with fresh conversation and node ids.
 */
export function ensureChatgptExport(mb: number, log: (s: string) => void = () => {}): Corpus {
  const dir = path.join(os.tmpdir(), `reverie-bench-chatgpt-${mb}mb`);
  const file = path.join(dir, 'conversations.json');
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    log(`generating a ${mb} MB ChatGPT export in ${dir} …`);
    const [conv] = JSON.parse(fs.readFileSync(fixture('chatgpt', 'chatgpt2graph', 'conversations.json'), 'utf8')) as Record<string, unknown>[];
    const template = JSON.stringify(conv);
    const nodeIds = Object.keys(conv.mapping as object);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '[');
    let size = 1;
    for (let i = 0; size < mb * 1024 * 1024; i++) {
      let text = template.replaceAll(String(conv.id), randomUUID()).replaceAll(String(conv.conversation_id), randomUUID());
      for (const id of nodeIds) text = text.replaceAll(id, `${id.slice(0, 24)}${String(i).padStart(12, '0')}`);
      const chunk = `${i ? ',' : ''}${text}`;
      fs.writeSync(fd, chunk);
      size += chunk.length;
    }
    fs.writeSync(fd, ']');
    fs.closeSync(fd);
    fs.writeFileSync(marker, new Date().toISOString());
  }
  return { dir, files: [file], bytes: fs.statSync(file).size };
}
