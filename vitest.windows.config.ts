import { defineConfig } from 'vitest/config';

/** The Windows suite (`npm run test:windows`): one Wine prefix, so the files run one after another. */
export default defineConfig({
  test: {
    include: ['test/windows/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
