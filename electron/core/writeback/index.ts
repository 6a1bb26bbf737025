// Write-back as one call for every host: plan (preview, dry run) or plan-and-apply. Hosts pass the
// store folder and the data; the home folder is injectable so tests never write into ~/.claude.
import os from 'node:os';
import type { WritebackResult } from '../../../shared/contract/writeback';
import type { Agent, Lesson, Settings } from '../../../shared/model';
import { applyPlan } from './apply';
import { planWriteback, publicTarget } from './plan';
import { readState, writeState } from './state';

export interface WritebackRun {
  storeDir: string;
  lessons: Lesson[];
  agents: Agent[];
  settings: Settings;
  dryRun: boolean;
  force?: boolean;
  now?: string;
  home?: string;
}

export async function runWriteback(run: WritebackRun): Promise<WritebackResult> {
  const at = run.now ?? new Date().toISOString();
  const state = readState(run.storeDir);
  const targets = planWriteback({ lessons: run.lessons, agents: run.agents, settings: run.settings, state, home: run.home ?? os.homedir() });
  if (!run.dryRun) {
    await applyPlan(targets, { storeDir: run.storeDir, state, now: at, force: !!run.force });
    await writeState(run.storeDir, state);
  }
  return { at, dryRun: run.dryRun, targets: targets.map(publicTarget) };
}

export { readState, writtenBackAt } from './state';
