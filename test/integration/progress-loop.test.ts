// The whole loop through the real CLI: generated Claude Code transcripts with two planted mistakes
// are imported and dreamt over (the real heuristic engine learns both), the lessons are written
// into the project's CLAUDE.md, and later sessions stop making one mistake but keep the other.
// Progress must show the first improving and flag the second stalled because it still recurs.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressReport } from '../../shared/contract/progress';
import type { WritebackResult } from '../../shared/contract/writeback';
import type { Lesson } from '../../shared/model';
import { writeClaudeTranscript, type Step } from '../helpers/claude-transcripts';
import { runCli, tempDir } from '../helpers/env';

const PYTEST: Step = { command: 'pytest tests/', error: "ImportError while importing test module\nModuleNotFoundError: No module named 'shop'", fix: 'python -m pytest tests/' };
const TSC: Step = { command: 'npx tsc --noEmit', error: "src/db.ts(3,20): error TS2307: Cannot find module './schema' or its corresponding type declarations.", fix: 'pnpm run gen:schema && npx tsc --noEmit' };
const HOUR = 3_600_000;

describe('the loop: learn → write back → the mistake stops (or not)', () => {
  const work = tempDir();
  const store = path.join(work, 'store');
  const project = path.join(work, 'shop');
  const s = (...args: string[]) => runCli([...args, '--store', store]);
  let lessons: Lesson[];

  beforeAll(() => {
    fs.mkdirSync(project);
    const t0 = Date.now() - 10 * 24 * HOUR;
    for (let i = 0; i < 5; i++) writeClaudeTranscript(path.join(work, 'before'), { cwd: project, start: new Date(t0 + i * 24 * HOUR), task: `Fix bug #${i} in checkout`, steps: [PYTEST, TSC] });
    expect(s('import', path.join(work, 'before'), '--json').code).toBe(0);
    expect(s('dream', '--json').code).toBe(0);
    lessons = s('lessons', '--json').json as Lesson[];
  });

  it('learns both planted mistakes from the sessions', () => {
    expect(lessons.find((l) => /No module named/.test(l.text))).toBeDefined();
    expect(lessons.find((l) => /TS2307/.test(l.text))).toBeDefined();
  });

  it('writes them into the project CLAUDE.md, then measures the sessions after', () => {
    const wb = s('writeback', '--json');
    expect(wb.code).toBe(0);
    const target = (wb.json as WritebackResult).targets.find((t) => t.file === path.join(project, 'CLAUDE.md'));
    expect(target).toMatchObject({ status: 'create', written: true });
    expect(fs.readFileSync(path.join(project, 'CLAUDE.md'), 'utf8')).toMatch(/No module named/);

    // After the write-back: the pytest mistake is gone, the tsc one keeps happening.
    const t1 = Date.now() + HOUR;
    for (let i = 0; i < 5; i++) writeClaudeTranscript(path.join(work, 'after'), { cwd: project, start: new Date(t1 + i * 24 * HOUR), task: `Add feature ${i}`, steps: [{ command: 'python -m pytest tests/' }, TSC] });
    expect(s('import', path.join(work, 'after'), '--json').code).toBe(0);

    const r = s('progress', '--json');
    expect(r.code).toBe(0);
    const report = r.json as ProgressReport;
    const byText = (re: RegExp) => report.lessons.find((l) => re.test(lessons.find((x) => x.id === l.lessonId)?.text ?? ''))!;
    const pytest = byText(/No module named/);
    const tsc = byText(/TS2307/);
    expect(pytest).toMatchObject({ trend: 'improving', pivotKind: 'written-back', reasons: [] });
    expect(pytest.before).toMatchObject({ sessions: 5, occurrences: 5 });
    expect(pytest.after).toMatchObject({ sessions: 5, occurrences: 0 });
    expect(tsc).toMatchObject({ trend: 'stalled', reasons: ['still-recurs'] });
    expect(tsc.after).toMatchObject({ sessions: 5, occurrences: 5 });
    expect(report.overall.sessions).toBe(10);
  });
});
