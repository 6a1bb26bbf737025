import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/contract/client';
import { openCore } from '../../../electron/core/core';
import { parseSeed } from '../../../electron/core/seeding/parse';
import { listPacks } from '../../../electron/core/seeding/packs';
import { seedLessons } from '../../../electron/core/seeding/seed';
import { sourceWorkerLauncher, PROJECT_ROOT } from '../../../electron/core/platform/node';
import { tempDir } from '../../helpers/env';

const NOW = '2026-11-01T00:00:00.000Z';

describe('parsing seed files', () => {
  it('reads bullets under headings, with kinds from the headings and continuation lines', () => {
    const doc = parseSeed(
      ['---', 'id: x', '---', '# My rules', '', '## Practices', '- **Run tests**: run `npm test` before', '  every commit.', '', '## Pitfalls', '* Do not edit dist/ by hand', '', '```', '- not a bullet', '```', '1. Never push to main'].join('\n'),
      'rules.md',
    );
    expect(doc.title).toBe('My rules');
    expect(doc.items.map((i) => [i.kind, i.title, i.text])).toEqual([
      ['practice', 'Run tests', 'Run tests: run `npm test` before every commit.'],
      ['pitfall', 'Do not edit dist/ by hand', 'Do not edit dist/ by hand'],
      ['pitfall', 'Never push to main', 'Never push to main'],
    ]);
    expect(doc.items[0].line).toBe(7);
  });

  it('takes the kind from the wording when no heading says it', () => {
    const doc = parseSeed('- Always run the linter\n- Never commit .env files\n## Conventions\n- Never push to main\n- Use conventional commits\n', 'x.md');
    expect(doc.items.map((i) => i.kind)).toEqual(['practice', 'pitfall', 'pitfall', 'practice']);
  });

  it('reads JSON lists of strings or objects', () => {
    const doc = parseSeed(JSON.stringify({ title: 'T', lessons: ['Use pnpm here', { text: 'Never force-push', kind: 'pitfall', agents: ['codex'] }] }), 'x.json');
    expect(doc.title).toBe('T');
    expect(doc.items[1]).toMatchObject({ text: 'Never force-push', kind: 'pitfall', agents: ['codex'] });
  });

  it('names the file and line of what is wrong', () => {
    expect(() => parseSeed('just prose, no bullets', 'notes.md')).toThrow(/notes\.md has no bullet points/);
    expect(() => parseSeed('{"lessons": [1]}', 'x.json')).toThrow(/x\.json: lessons\[0\] is not a seed item/);
    expect(() => parseSeed('[1,,]', 'bad.json')).toThrow(/bad\.json is not valid JSON/);
    expect(() => parseSeed(`- ${'word '.repeat(200)}`, 'long.md')).toThrow(/long\.md:1: this bullet is \d+ characters/);
    expect(() => parseSeed('   ', 'blank.md')).toThrow(/blank\.md is empty/);
  });
});

describe('seeded lessons', () => {
  const doc = parseSeed('- Run the linter before every commit.\n- Never edit generated files by hand.\n', 's.md');

  it('are marked seeded, active, team-wide and keyed by their text', () => {
    const { added } = seedLessons(doc, { existing: [], tombstones: [], agents: [], now: NOW });
    expect(added).toHaveLength(2);
    for (const l of added) expect(l).toMatchObject({ origin: 'seeded', status: 'active', agents: ['all'], evidence: [], activatedAt: NOW });
    expect(added[1].kind).toBe('pitfall');
    expect(added[0].patternKey).toBe('seed|run the linter before every commit');
  });

  it('are not added twice, and a deleted one stays deleted', () => {
    const first = seedLessons(doc, { existing: [], tombstones: [], agents: [], now: NOW }).added;
    const again = seedLessons(doc, { existing: first, tombstones: [], agents: [], now: NOW });
    expect(again.added).toHaveLength(0);
    expect(again.skipped.map((s) => s.reason)).toEqual(['already a lesson', 'already a lesson']);
    const afterDelete = seedLessons(doc, { existing: [first[1]], tombstones: [{ patternKey: first[0].patternKey, title: 'x', deletedAt: NOW }], agents: [], now: NOW });
    expect(afterDelete.added).toHaveLength(0);
    expect(afterDelete.skipped[0].reason).toMatch(/deleted this lesson before/);
  });

  it('scope to known agents by id or name, and name the known ones for an unknown one', () => {
    const agents = [{ id: 'codex:/src/api', tool: 'codex' as const, project: '/src/api', name: 'codex api' }];
    expect(seedLessons(doc, { existing: [], tombstones: [], agents, scope: ['Codex API'], now: NOW }).added[0].agents).toEqual(['codex:/src/api']);
    expect(() => seedLessons(doc, { existing: [], tombstones: [], agents, scope: ['nobody'], now: NOW })).toThrow(/No agent "nobody". Known agents: codex:\/src\/api/);
  });

  it('redact secrets pasted into a seed', () => {
    const d = parseSeed('- Use the key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789abcd for tests\n', 's.md');
    const [l] = seedLessons(d, { existing: [], tombstones: [], agents: [], now: NOW }).added;
    expect(l.text).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  });
});

describe('bundled packs', () => {
  const packs = listPacks(path.join(PROJECT_ROOT, 'resources', 'seeds'));
  it('cover general hygiene, node, python and git, each with practices and pitfalls', () => {
    expect(packs.map((p) => p.id).sort()).toEqual(['general', 'git', 'node', 'python']);
    for (const p of packs) {
      const kinds = new Set(parseSeed(p.source, p.file).items.map((i) => i.kind));
      expect(kinds, p.id).toEqual(new Set(['practice', 'pitfall']));
      expect(p.title && p.description, p.id).toBeTruthy();
    }
  });
});

describe('seeding through the contract', () => {
  it('adds a pack once, previews without storing, and reports packs as seeded', async () => {
    const dir = tempDir();
    const core = await openCore({ storeDir: dir, host: 'cli', worker: sourceWorkerLauncher(), demoDir: path.join(PROJECT_ROOT, 'resources', 'demo') });
    try {
      const api = createClient(core.dispatch);
      const preview = await api.call('seeds.preview', { packId: 'git' });
      expect(preview.added.length).toBeGreaterThan(2);
      expect(await api.call('lessons.list')).toHaveLength(0);
      const first = await api.call('lessons.seed', { packId: 'git' });
      const second = await api.call('lessons.seed', { packId: 'GIT' });
      expect(first.added).toHaveLength(preview.added.length);
      expect(first.source).toBe('pack:git');
      expect(first.added.every((l) => l.seedSource === 'pack:git')).toBe(true);
      expect(second.added).toHaveLength(0);
      expect((await api.call('lessons.list')).filter((l) => l.origin === 'seeded')).toHaveLength(first.added.length);
      const packs = await api.call('seeds.packs');
      expect(packs.find((p) => p.id === 'git')).toMatchObject({ count: first.added.length, seeded: first.added.length });
      await expect(api.call('lessons.seed', { text: '- Use pnpm', packId: 'git' })).rejects.toThrow(/either text or packId/);
      await expect(api.call('lessons.seed', { text: 'no bullets here', name: 'mine.md' })).rejects.toThrow(/mine\.md has no bullet points/);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'reverie.json'), 'utf8')).lessons).toHaveLength(first.added.length);
    } finally {
      await core.close();
    }
  });
});
