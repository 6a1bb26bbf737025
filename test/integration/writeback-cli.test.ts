// Seeding, write-back and progress through the real CLI: real Claude Code sessions replayed into a
// temp project folder (so the agent's project exists on this machine), a pack seeded, the block
// previewed, written, written again (no change), hand-edited (left alone, then adopted).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressReport } from '../../shared/contract/progress';
import type { SeedResult } from '../../shared/contract/seeds';
import type { WritebackResult } from '../../shared/contract/writeback';
import type { Lesson } from '../../shared/model';
import { fixture, replayClaudeSession, runCli, tempDir } from '../helpers/env';

describe('CLI: seed → writeback → progress', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  const project = path.join(work, 'shop');
  const claudeMd = path.join(project, 'CLAUDE.md');
  const s = (...args: string[]) => runCli([...args, '--store', store]);

  beforeAll(() => {
    fs.mkdirSync(project);
    fs.writeFileSync(claudeMd, '# Shop\n\nHand-written intro stays as is.\n\n- Never use npm here; use pnpm.\n');
    replayClaudeSession(fixture('claude-code', 'claude-reliability', 'coverage-test-fix', 'transcript.jsonl'), path.join(work, 'logs'), 2, () => project);
    expect(s('import', path.join(work, 'logs'), '--json').code).toBe(0);
  });

  it('seeds from a file and a pack, once', () => {
    const file = path.join(work, 'mine.md');
    fs.writeFileSync(file, '# Mine\n\n## Practices\n- Run the linter before every commit.\n\n## Pitfalls\n- Never edit generated files by hand.\n');
    const first = s('seed', file, '--json');
    expect(first.code).toBe(0);
    expect((first.json as SeedResult).added.map((l) => [l.kind, l.origin])).toEqual([['practice', 'seeded'], ['pitfall', 'seeded']]);
    expect((s('seed', file, '--json').json as SeedResult).added).toHaveLength(0);
    const pack = s('seed', '--pack', 'git', '--json');
    expect(pack.code).toBe(0);
    expect((pack.json as SeedResult).added.length).toBeGreaterThan(3);
    const lessons = s('lessons', '--json').json as Lesson[];
    expect(lessons.filter((l) => l.origin === 'seeded').length).toBe(2 + (pack.json as SeedResult).added.length);
    const bad = s('seed', path.join(work, 'missing.md'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read .*missing\.md: no such file/);
  });

  it('previews, writes, and a second run changes nothing', () => {
    const dry = s('writeback', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const t = (dry.json as WritebackResult).targets.find((x) => x.file === claudeMd)!;
    expect(t).toMatchObject({ status: 'insert', written: false });
    expect(t.diff).toMatch(/\+<!-- reverie:begin -->/);
    expect(fs.readFileSync(claudeMd, 'utf8')).not.toContain('reverie:begin');

    const human = s('writeback', '--dry-run');
    expect(human.stdout).toMatch(/would add a block to .*CLAUDE\.md/);

    const applied = s('writeback', '--json');
    expect(applied.code).toBe(0);
    const written = (applied.json as WritebackResult).targets.find((x) => x.file === claudeMd)!;
    expect(written).toMatchObject({ status: 'insert', written: true });
    expect(fs.existsSync(written.backup!)).toBe(true);
    const text = fs.readFileSync(claudeMd, 'utf8');
    expect(text.startsWith('# Shop\n\nHand-written intro stays as is.\n\n- Never use npm here; use pnpm.\n')).toBe(true);
    expect(text).toContain('- Never edit generated files by hand.');

    const again = s('writeback', '--json');
    expect((again.json as WritebackResult).targets.find((x) => x.file === claudeMd)).toMatchObject({ status: 'unchanged', written: false });
    expect(fs.readFileSync(claudeMd, 'utf8')).toBe(text);
  });

  it('leaves a hand edit alone and takes it back as a lesson edit', () => {
    const text = fs.readFileSync(claudeMd, 'utf8');
    fs.writeFileSync(claudeMd, text.replace('- Never edit generated files by hand.', '- Never edit generated files by hand; rerun the generator.'));
    const r = s('writeback', '--json');
    const t = (r.json as WritebackResult).targets.find((x) => x.file === claudeMd)!;
    expect(t.status).toBe('edited');
    expect(t.edits).toEqual([expect.objectContaining({ kind: 'changed', after: 'Never edit generated files by hand; rerun the generator.' })]);
    const adopt = s('writeback', '--adopt', claudeMd, '--json');
    expect(adopt.code).toBe(0);
    const edited = (s('lessons', '--json').json as Lesson[]).find((l) => l.text === 'Never edit generated files by hand; rerun the generator.');
    expect(edited).toMatchObject({ origin: 'seeded', userEdited: true });
    // The edited lesson now ranks higher (user wording), so the next run may reorder; then nothing changes.
    expect((s('writeback', '--json').json as WritebackResult).targets.find((x) => x.file === claudeMd)!.status).not.toBe('edited');
    expect((s('writeback', '--json').json as WritebackResult).targets.find((x) => x.file === claudeMd)!.status).toBe('unchanged');
    expect(fs.readFileSync(claudeMd, 'utf8')).toContain('- Never edit generated files by hand; rerun the generator.');
  });

  it('reports progress as JSON, with the hand-written rule tracked', () => {
    const r = s('progress', '--json');
    expect(r.code).toBe(0);
    const report = r.json as ProgressReport;
    expect(report.overall.sessions).toBe(2);
    expect(report.agents).toHaveLength(1);
    expect(report.rules.map((x) => x.text)).toEqual(['Never use npm here; use pnpm.']);
    expect(s('progress').stdout).toMatch(/Overall: 2 sessions/);
    const one = s('progress', '--agent', report.agents[0].agentId, '--json');
    expect((one.json as ProgressReport).agents.map((a) => a.agentId)).toEqual([report.agents[0].agentId]);
    const nobody = s('writeback', '--dry-run', '--agent', 'nobody');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/No agent "nobody". Known agents: claude-code:/);
  });
});
