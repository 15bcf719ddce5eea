/**
 * Seeds for randomized tests: fixed by default so runs are reproducible, overridable with
 * CORTADO_SEED=<n> to explore, and always printed when a test fails.
 */
import { onTestFailed } from 'vitest'

export function testSeed(fallback: number): number {
  const env = process.env.CORTADO_SEED
  const seed = env !== undefined && env !== '' ? Number(env) : fallback
  onTestFailed(() => {
    console.error(`[cortado] randomized test failed with seed ${seed} (re-run with CORTADO_SEED=${seed})`)
  })
  return seed
}
