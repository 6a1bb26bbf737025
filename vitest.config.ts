import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node against real files in temp dirs and real worker
// threads. End-to-end (Playwright) and benchmarks have their own entry points.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
