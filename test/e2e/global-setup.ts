// Builds the fixture store every spec copies (see stores.ts), once per run.
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { tempDir } from '../helpers/env';
import { buildFixtureStore } from './stores';

export default function setup(project: TestProject) {
  const work = tempDir('reverie-e2e-template-');
  project.provide('templateStore', buildFixtureStore(work));
  return () => fs.rmSync(path.resolve(work), { recursive: true, force: true });
}
