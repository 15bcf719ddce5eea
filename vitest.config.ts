import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two slow cores: run files two at a time so stress tests keep their threads.
    maxWorkers: 2,
    // Type tests (expectTypeOf in test/types/*.test-d.ts): tsc checks them, nothing runs them.
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/types/tsconfig.json' },
  },
})
