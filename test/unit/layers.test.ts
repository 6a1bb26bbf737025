// The layer rules (.dependency-cruiser.cjs, run by `npm test`) can fail: the repository's own
// config on a small tree where each rule is broken once, beside imports every layer may make.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from '../helpers/env';

const CONFIG = path.join(PROJECT_ROOT, '.dependency-cruiser.cjs');

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

interface Violation { from: string; to: string; rule: { name: string } }

function cruise(root: string): { violations: Violation[]; modules: number } {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), '--config', CONFIG, '--output-type', 'json', 'electron', 'shared', 'renderer'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(r.stdout, r.stderr).toMatch(/^\{/);
  const j = JSON.parse(r.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: j.summary.violations, modules: j.summary.totalCruised };
}

const pkg = (name: string) => ({ [`node_modules/${name}/package.json`]: JSON.stringify({ name, main: 'index.js' }), [`node_modules/${name}/index.js`]: 'module.exports = {};\n' });

describe('the layer rules', () => {
  it('report each broken rule once, at the import that breaks it, and nothing that is allowed', () => {
    const root = tempDir('reverie-layers-');
    write(root, {
      ...pkg('electron'),
      ...pkg('react'),
      'node_modules/react/jsx-runtime.js': 'module.exports = {};\n',
      ...pkg('zod'),
      // allowed: shared imports itself and packages; core and renderer import shared; renderer imports React
      'shared/model.ts': "import { z } from 'zod';\nexport const Lesson = z.object({});\nexport type LessonT = { id: string };\n",
      'shared/contract/index.ts': "export * from '../model';\n",
      'electron/core/ok.ts': "import type { LessonT } from '../../shared/model';\nimport fs from 'node:fs';\nexport const ok = (l: LessonT) => fs.existsSync(l.id);\n",
      'renderer/src/ok.tsx': "import { useState } from 'react';\nimport { Lesson } from '../../shared/contract';\nexport const Ok = () => <p>{String(useState(Lesson))}</p>;\n",
      'electron/main/window.ts': "import { app } from 'electron';\nimport { ok } from '../core/ok';\nexport const w = [app, ok];\n",
      // each rule broken once
      'electron/core/uses-electron.ts': "import { app } from 'electron';\nexport const a = app;\n",
      'electron/core/uses-react.tsx': "export const R = () => <b>jsx pulls in react</b>;\n",
      'electron/core/uses-renderer.ts': "import type { Ok } from '../../renderer/src/ok';\nexport type O = typeof Ok;\n",
      'electron/core/uses-host.ts': "import { w } from '../main/window';\nexport const x = w;\n",
      'renderer/src/uses-core.ts': "import { ok } from '../../electron/core/ok';\nexport const y = ok;\n",
      'renderer/src/uses-node.ts': "import path from 'node:path';\nexport const z = path.sep;\n",
      'shared/uses-core.ts': "import type { O } from '../electron/core/uses-renderer';\nexport type S = O;\n",
      'shared/uses-node.ts': "import { readFileSync } from 'node:fs';\nexport const s = readFileSync;\n",
    });
    const { violations, modules } = cruise(root);
    expect(modules).toBeGreaterThan(10);
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      'core-imports-electron-or-react: electron/core/uses-electron.ts → node_modules/electron/index.js',
      'core-imports-electron-or-react: electron/core/uses-react.tsx → node_modules/react/jsx-runtime.js',
      'core-imports-renderer-or-hosts: electron/core/uses-host.ts → electron/main/window.ts',
      'core-imports-renderer-or-hosts: electron/core/uses-renderer.ts → renderer/src/ok.tsx',
      'renderer-imports-core: renderer/src/uses-core.ts → electron/core/ok.ts',
      'renderer-imports-node: renderer/src/uses-node.ts → path',
      'shared-imports-outside: shared/uses-core.ts → electron/core/uses-renderer.ts',
      'shared-imports-outside: shared/uses-node.ts → fs',
    ]);
  });
});
