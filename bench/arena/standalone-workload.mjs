/**
 * What the workloads of ab-builds.ts run alone share (never-full-gets.mjs, cycled-sets.mjs): the build named on the
 * command line (<dist>/src/index.js, loaded as given), the pass count, ab-builds.ts's 100k keys `key:<i>` and 100-byte
 * string value, and POLICY (environment) as the Cache's `policy` option.
 */
export async function standaloneWorkload(script, defaultPasses) {
  const [, , lib, passesArg = String(defaultPasses)] = process.argv
  const passes = Number(passesArg)
  if (!lib || !Number.isInteger(passes) || passes < 1) {
    console.error(`usage: node bench/arena/${script} <dist>/src/index.js [passes]`)
    process.exit(2)
  }
  const { Cache } = await import(lib)
  const N = 100_000
  return {
    Cache,
    N,
    passes,
    keys: Array.from({ length: N }, (_, i) => `key:${i}`),
    value: 'v'.repeat(100),
    policy: process.env.POLICY ? { policy: process.env.POLICY } : {},
  }
}
