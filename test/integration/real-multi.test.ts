// Real developers' logs (test/fixtures/real-multi: three public aider histories, one person each,
// vendored unchanged with their licences). What recurs in ≥ 3 sessions of each was listed by
// reading the log before any engine ran on it (EXPECTED.md beside each); here the engine must learn
// each of those, at most 8 lessons per log, and never show a placeholder or a raw log line.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lesson } from '../../shared/model';
import { createClient } from '../../shared/contract/client';
import { openCore } from '../../electron/core/core';
import { sourceWorkerLauncher } from '../../electron/core/platform/node';
import { PROJECT_ROOT, tempDir } from '../helpers/env';

const REAL = path.join(PROJECT_ROOT, 'test', 'fixtures', 'real-multi');
const work = tempDir('reverie-real-multi-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Imports one log into a fresh store, dreams once, returns every lesson (candidates too). */
async function learn(folder: string): Promise<Lesson[]> {
  const core = await openCore({ storeDir: path.join(work, folder), host: 'cli', worker: sourceWorkerLauncher() });
  try {
    const api = createClient(core.dispatch);
    const imp = await api.call('import.paths', { paths: [path.join(REAL, folder, '.aider.chat.history.md')] });
    expect(imp.errors).toEqual([]);
    await api.call('dreams.run', {});
    return await api.call('lessons.list', { all: true });
  } finally {
    await core.close();
  }
}

/** What a person must never read in a lesson: placeholders, log chatter, pasted payloads. */
function expectReadable(lessons: Lesson[]) {
  expect(lessons.length).toBeLessThanOrEqual(8);
  for (const l of lessons) {
    const words = `${l.title}\n${l.text}`;
    expect(words, words).not.toMatch(/<(?:path|id|n|pkg|url|hash|version|project|name|file|time|hex|uuid)>/);
    expect(words, words).not.toMatch(/^> |\n> |Tokens: |\^C|Traceback|\{"error"|[A-Z]:\\Users|\/usr\/src\/app/);
    expect(l.evidence.length).toBeGreaterThan(0);
  }
}

describe('real multi-session logs of real developers', () => {
  it('AFI-Protocol/afi-core: shell commands typed as chat messages (sessions 2, 3, 4, 7, 8) → run them with `!`', async () => {
    const lessons = await learn('AFI-Protocol__afi-core');
    expectReadable(lessons);
    const l = lessons.find((x) => /`!command`/.test(x.text))!;
    expect(l, JSON.stringify(lessons.map((x) => x.title))).toBeDefined();
    expect(l).toMatchObject({ kind: 'mistake', status: 'active' });
    expect(l.support.sessions).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('dadmaan/music-anomalizer: one settings mistake in 8 sessions, whichever key was rejected', async () => {
    const lessons = await learn('dadmaan__music-anomalizer');
    expectReadable(lessons);
    const settings = lessons.filter((x) => /unexpected keyword argument/.test(x.text));
    expect(settings).toHaveLength(1);
    expect(settings[0].support.sessions).toBe(8);
    // Four different keys were rejected: the lesson is not about one of them.
    expect(settings[0].text).not.toMatch(/api_base|base_url|api_key|'provider'/);
  }, 60_000);

  it('Aquaticat/Monochromatic: the model call failing before any answer (sessions 2, 5, 8–11) is one lesson', async () => {
    const lessons = await learn('Aquaticat__Monochromatic');
    expectReadable(lessons);
    const model = lessons.filter((x) => /model and provider setup/.test(x.title));
    expect(model).toHaveLength(1);
    expect(model[0].support.sessions).toBeGreaterThanOrEqual(5);
    // The repeated opening question ("What's this repo doing?", 8 sessions) is a task, not a lesson.
    expect(lessons.some((x) => /repo doing|this package/i.test(x.text))).toBe(false);
    // Aider's own confirmations and injected watch-mode text are no one's instruction.
    expect(lessons.some((x) => /Add file to the chat|Find the "AI" comments/.test(x.text))).toBe(false);
  }, 60_000);
});
