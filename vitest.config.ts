import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two slow cores: run files two at a time so stress tests keep their threads.
    maxWorkers: 2,
  },
})
