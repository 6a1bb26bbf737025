// Write-back through the contract (what the UI panel calls): preview, apply, status, adopt; and a
// read-only store refuses to apply.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/contract/client';
import { openCore } from '../../../electron/core/core';
import { sourceWorkerLauncher } from '../../../electron/core/platform/node';
import { tempDir } from '../../helpers/env';
import { agent, lesson } from '../../helpers/lessons';

describe('write-back through the contract', () => {
  it('previews, applies, reports status and adopts a hand edit', async () => {
    const store = tempDir();
    const project = tempDir();
    const a = agent('codex', project, 'api');
    let core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher() });
    try {
      core.store.data.agents.push(a);
      core.store.data.lessons.push(lesson('l1', 'Run the migrations before the tests.', { agents: [a.id] }));
      await core.store.writeMain();
      const api = createClient(core.dispatch);
      expect((await api.call('writeback.preview', { agents: ['api'] })).targets[0]).toMatchObject({ status: 'create', written: false });
      const applied = await api.call('writeback.apply', {});
      expect(applied.targets[0]).toMatchObject({ status: 'create', written: true, conflicts: [] });
      const status = await api.call('writeback.status');
      expect(status.files).toEqual([{ file: path.join(project, 'AGENTS.md'), agentIds: [a.id], writtenAt: applied.at, lessonIds: ['l1'] }]);
      expect(status.lessons.l1.firstWrittenAt).toBe(applied.at);

      const file = path.join(project, 'AGENTS.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Run the migrations before the tests.', 'Run `make migrate` before the tests.'));
      const adopted = await api.call('writeback.adopt', { file });
      expect(adopted.changed.map((l) => [l.id, l.text])).toEqual([['l1', 'Run `make migrate` before the tests.']]);
      expect((await api.call('lessons.list')).find((l) => l.id === 'l1')).toMatchObject({ userEdited: true, text: 'Run `make migrate` before the tests.' });
      await expect(api.call('writeback.adopt', { file: path.join(project, 'nope.md') })).rejects.toThrow(/Reverie has not written .*nope\.md/);
    } finally {
      await core.close();
    }
    core = await openCore({ storeDir: store, host: 'cli', worker: sourceWorkerLauncher(), readOnly: true });
    try {
      await expect(createClient(core.dispatch).call('writeback.apply', {})).rejects.toThrow(/open read-only/);
    } finally {
      await core.close();
    }
  });
});
