/**
 * Issue 16's put target, read two ways that survive a loaded host (the blobs suite's rounds of a second
 * do not: its ratios moved 2–7× between runs on a shared host).
 *
 *   1. Op-by-op interleaving: one put of each contender in turn (order rotating), latency per put, in
 *      one process, so every contender meets the same load within milliseconds. Contenders: DiskCache at
 *      each durability level; fs.promises writeFile; open+write+fsync+close; and the issue's own
 *      protocol written by hand (temp, write, fdatasync, close, rename, folder fsync).
 *   2. The protocol's floor: each of its steps timed with the synchronous fs calls (no event loop, no
 *      thread pool), interleaved with a writeFileSync of the same bytes. writeFile ÷ (sum of the steps)
 *      bounds what ANY implementation of "temp + fsync + rename + folder fsync" can reach against a
 *      writeFile that never flushes.
 *
 *   npx tsx bench/disk/blob-puts.ts [size=4096] [puts=600]
 */
import { closeSync, fdatasyncSync, fsyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiskCache } from '../../src/disk/index.js'
import { median } from '../harness/stats.js'
import { writeAtomicByHand, writeSynced } from './plain-writes.js'

const size = Number(process.argv[2] ?? 4096)
const puts = Number(process.argv[3] ?? 600)
const KEYS = 64
const root = mkdtempSync(join(tmpdir(), 'cortado-blob-puts-'))
const value = Buffer.alloc(size, 7)
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length
const micros = (t0: number) => (performance.now() - t0) * 1000

async function interleaved(): Promise<void> {
  for (const d of ['plain', 'atomic']) mkdirSync(join(root, d))
  const caches = (['os', 'os-or-miss', 'process'] as const).map((durability) => new DiskCache({ dir: join(root, durability), durability, gcIntervalMs: 0 }))
  await Promise.all(caches.map((c) => c.gc()))
  const [os, oneFlush, none] = caches as [DiskCache, DiskCache, DiskCache]
  const contenders: [string, (i: number) => Promise<unknown>][] = [
    ["diskcache 'os'", (i) => os.put(`k${i}`, value)],
    ["diskcache 'os-or-miss'", (i) => oneFlush.put(`k${i}`, value)],
    ["diskcache 'process'", (i) => none.put(`k${i}`, value)],
    ['fs-atomic', (i) => writeAtomicByHand(join(root, 'atomic'), `k${i}`, value)],
    ['fs-fsync', (i) => writeSynced(join(root, 'plain', `s${i}`), value)],
    ['fs', (i) => writeFile(join(root, 'plain', `k${i}`), value)],
  ]
  const latency = new Map(contenders.map(([id]) => [id, [] as number[]]))
  // One warm-up pass over the keys (files exist: every later put replaces one), then the measured puts.
  for (let i = -KEYS; i < puts; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const [id, op] = contenders[(k + i + KEYS) % contenders.length]!
      const t0 = performance.now()
      await op((i + KEYS) % KEYS)
      if (i >= 0) latency.get(id)!.push(micros(t0))
    }
  }
  for (const c of caches) c.close()
  const m = new Map([...latency].map(([id, x]) => [id, { med: median(x), mean: mean(x) }]))
  console.log(`${size}-byte puts, ${puts} of each contender interleaved one by one (64 keys overwritten); µs per put, median (mean):`)
  for (const [id, x] of m) console.log(`  ${id.padEnd(24)} ${x.med.toFixed(0).padStart(7)} (${x.mean.toFixed(0)})`)
  const ratio = (a: string, b: string) => {
    const [x, y] = [m.get(a)!, m.get(b)!]
    console.log(`  ${a} ÷ ${b}: ${(y.med / x.med).toFixed(2)}× by medians, ${(y.mean / x.mean).toFixed(2)}× by means (throughput)`)
  }
  ratio("diskcache 'os'", 'fs')
  ratio("diskcache 'os'", 'fs-atomic')
  ratio("diskcache 'os'", 'fs-fsync')
  ratio("diskcache 'os-or-miss'", 'fs-fsync')
  ratio("diskcache 'process'", 'fs')
  ratio('fs-atomic', 'fs')
}

function floor(): void {
  const plain = join(root, 'floor-plain')
  const atomic = join(root, 'floor-atomic')
  mkdirSync(plain)
  mkdirSync(atomic)
  const steps = { writeFile: [] as number[], 'temp open+write': [] as number[], fdatasync: [] as number[], rename: [] as number[], 'folder fsync': [] as number[] }
  for (let i = 0; i < KEYS; i++) writeFileSync(join(atomic, `k${i}`), value)
  for (let r = 0; r < puts; r++) {
    const k = `k${r % KEYS}`
    let t0 = performance.now()
    writeFileSync(join(plain, k), value)
    steps.writeFile.push(micros(t0))
    t0 = performance.now()
    const fd = openSync(join(atomic, `${k}.tmp`), 'w')
    writeSync(fd, value)
    steps['temp open+write'].push(micros(t0))
    t0 = performance.now()
    fdatasyncSync(fd)
    steps.fdatasync.push(micros(t0))
    closeSync(fd)
    t0 = performance.now()
    renameSync(join(atomic, `${k}.tmp`), join(atomic, k))
    steps.rename.push(micros(t0))
    t0 = performance.now()
    const dir = openSync(atomic, 'r')
    fsyncSync(dir)
    closeSync(dir)
    steps['folder fsync'].push(micros(t0))
  }
  const m = Object.fromEntries(Object.entries(steps).map(([k, x]) => [k, median(x)]))
  const protocol = m['temp open+write']! + m.fdatasync! + m.rename! + m['folder fsync']!
  console.log(`the protocol's floor, synchronous calls, ${puts} rounds; median µs: ${Object.entries(m).map(([k, x]) => `${k} ${x.toFixed(0)}`).join(', ')}`)
  console.log(`  writeFile ÷ protocol = the best any durable put can do against writeFile: ${(m.writeFile! / protocol).toFixed(2)}× ` +
    `(the two flushes are ${(((m.fdatasync! + m['folder fsync']!) / protocol) * 100).toFixed(0)}% of the protocol's ${protocol.toFixed(0)} µs)`)
}

try {
  await interleaved()
  floor()
} finally {
  rmSync(root, { recursive: true, force: true })
}
