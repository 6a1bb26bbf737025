// A fresh clone has nothing beside it: every file a test, bench or script reads must be inside the
// repository. This scans their sources for paths that climb out of it (the old `../shared/fixtures`
// reads), so a new one fails here instead of only on a machine without the shared folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PROJECT_ROOT } from '../helpers/env';

/** The one read of ../shared that stays: the optional CLI contract check, skipped when absent. */
const ALLOWED = [{ file: 'scripts/test.mjs', line: /const contract = path\.resolve\(root, '\.\.', 'shared', 'contract', 'check\.mjs'\)/ }];
const SCANNED = ['test', 'scripts', 'bin'];
const SOURCE = /\.(ts|tsx|mjs|cjs|js)$/;

const inside = (p: string) => {
  const rel = path.relative(PROJECT_ROOT, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Lines of `source` (a file at `file`) that name a path outside the repository:
 *  - a path built up from the repository root with '..' (`path.join(PROJECT_ROOT, '..', …)`);
 *  - `'..', 'shared'` segments, the shape the shared-folder reads had;
 *  - a relative string literal (`'../../x'`) that, resolved from the file's folder, leaves the repository.
 */
function outsidePaths(file: string, source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    const where = `${path.relative(PROJECT_ROOT, file)}:${i + 1}`;
    if (/\b(PROJECT_ROOT|root|ROOT|repo)\s*,\s*(['"`])\.\.\2/.test(line) || /(['"`])\.\.\1\s*,\s*(['"`])shared\2/.test(line)) {
      found.push(`${where}: ${line.trim()}`);
      return;
    }
    for (const m of line.matchAll(/(['"`])((?:\.\.\/)+[^'"`\s]*)\1/g)) {
      if (!inside(path.resolve(path.dirname(file), m[2]))) found.push(`${where}: ${m[2]}`);
    }
  });
  return found;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : sources(p);
    return SOURCE.test(e.name) ? [p] : [];
  });
}

describe('every path the tests read is inside the repository', () => {
  it('keeps the real samples in the repository, with their sources and licences', () => {
    expect(inside(FIXTURES)).toBe(true);
    for (const f of ['SOURCES.md', 'THIRD-PARTY.md', 'FORMATS.md']) expect(fs.existsSync(path.join(FIXTURES, f))).toBe(true);
  });

  it('no test, bench or script builds a path that leaves the repository', () => {
    // This file is left out: its planted examples below are the paths it must catch.
    const self = path.join(PROJECT_ROOT, 'test', 'unit', 'repo-paths.test.ts');
    const files = SCANNED.flatMap((d) => sources(path.join(PROJECT_ROOT, d))).filter((f) => f !== self);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => {
      const rel = path.relative(PROJECT_ROOT, f);
      const allowed = ALLOWED.filter((a) => a.file === rel);
      const lines = fs.readFileSync(f, 'utf8').split('\n').map((l) => (allowed.some((a) => a.line.test(l)) ? '' : l));
      return outsidePaths(f, lines.join('\n'));
    });
    expect(found).toEqual([]);
  });

  it('the allowed contract check is still there (so the exception is not stale)', () => {
    const test = fs.readFileSync(path.join(PROJECT_ROOT, 'scripts', 'test.mjs'), 'utf8');
    expect(ALLOWED.every((a) => test.split('\n').some((l) => a.line.test(l)))).toBe(true);
  });

  it('catches each way out of the repository, and passes paths inside it', () => {
    const file = path.join(PROJECT_ROOT, 'test', 'unit', 'x.test.ts');
    expect(outsidePaths(file, "export const FIXTURES = path.resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'real');")).toHaveLength(1);
    expect(outsidePaths(file, "const f = path.join(here, '..', 'shared', 'seed');")).toHaveLength(1);
    expect(outsidePaths(file, "fs.readFileSync('../../../shared/fixtures/real/x.jsonl')")).toHaveLength(1);
    expect(outsidePaths(file, "fs.readFileSync(`../../../../elsewhere/y`)")).toHaveLength(1);
    expect(outsidePaths(file, "import type { Lesson } from '../../shared/model';")).toEqual([]);
    expect(outsidePaths(file, "const f = path.join(PROJECT_ROOT, 'test', 'fixtures', 'real');")).toEqual([]);
  });
});
