import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // e2e files share one Docker engine and build images once (see test/e2e/global-setup.ts).
    fileParallelism: true,
    maxWorkers: 2,
  },
});
