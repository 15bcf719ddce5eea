/**
 * Two builds' LogStore side by side in one process (a branch and its base, each built into its own
 * dist/): put throughput with 64 writers awaiting their puts, sync 'none', alternating rounds so host
 * drift hits both. Prints B's puts/s ÷ A's (medians). For a change on LogStore's put path, which the
 * disk suite only measures against lmdb and classic-level.
 *
 *   npx tsx bench/disk/logstore-ab.ts <A>/dist/src/disk/index.js <B>/dist/src/disk/index.js [--puts 200000] [--rounds 9]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { toolArgs } from '../harness/tool-args.js'

interface StoreLike { put(key: string, value: string): Promise<unknown>; close(): Promise<void> }
type Module = { LogStore: { open(dir: string, options: object): Promise<StoreLike> } }

const [pathA, pathB] = process.argv.slice(2)
if (!pathA || !pathB || pathA.startsWith('--') || pathB.startsWith('--')) {
  console.error('usage: npx tsx bench/disk/logstore-ab.ts <A>/dist/src/disk/index.js <B>/dist/src/disk/index.js [--puts N] [--rounds N]')
  process.exit(2)
}
const args = toolArgs()
const puts = Number(args.opt('--puts', '200000'))
const rounds = Number(args.opt('--rounds', '9'))
const WRITERS = 64
const value = 'v'.repeat(100)
// Paths are the caller's (relative to the working directory), not this file's.
const load = (path: string): Promise<Module> => import(pathToFileURL(resolve(path)).href) as Promise<Module>
const [a, b] = await Promise.all([load(pathA), load(pathB)])

async function putsPerSecond(mod: Module): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cortado-logstore-ab-'))
  try {
    const store = await mod.LogStore.open(dir, { sync: 'none', autoCompact: false })
    let next = 0
    const t0 = performance.now()
    // Overwrites of 50k keys: the index stays one size, as a store in service does.
    await Promise.all(Array.from({ length: WRITERS }, async () => {
      while (next < puts) await store.put(`key:${next++ % 50_000}`, value)
    }))
    const ms = performance.now() - t0
    await store.close()
    return (puts / ms) * 1000
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!
const ratios: number[] = []
const ofA: number[] = []
const ofB: number[] = []
// One round of each first, not counted: the first puts of a process run before the JIT has warmed up.
await putsPerSecond(a)
await putsPerSecond(b)
for (let r = 0; r < rounds; r++) {
  // Alternate which build goes first: on a loaded host the first of a round can be favoured.
  let pa: number
  let pb: number
  if (r % 2 === 0) {
    pa = await putsPerSecond(a)
    pb = await putsPerSecond(b)
  } else {
    pb = await putsPerSecond(b)
    pa = await putsPerSecond(a)
  }
  ofA.push(pa)
  ofB.push(pb)
  ratios.push(pb / pa)
}
console.log(`puts/s (sync 'none', ${WRITERS} writers, ${puts} puts per round), medians of ${rounds} alternating rounds: A ${median(ofA).toFixed(0)}, B ${median(ofB).toFixed(0)}`)
console.log(`B ÷ A: ${median(ratios).toFixed(3)} (rounds ${ratios.map((q) => q.toFixed(2)).join(' ')})`)
