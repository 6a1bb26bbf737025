import { defineConfig } from 'vitest/config';

// End-to-end: the built renderer served by the real bridge (browser mode), driven by
// playwright-core in Debian's Chromium. One file at a time: each spec starts its own server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.spec.ts'],
    // One fixture store built from the real fixtures, copied by each spec (test/e2e/stores.ts).
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
