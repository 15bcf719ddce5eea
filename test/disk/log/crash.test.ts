/**
 * Real crashes: a child process writes (16 concurrent writers) and is SIGKILLed at a random moment,
 * possibly mid-write, mid-rotation or mid-compaction. After each kill the store is reopened here: every
 * put the child saw acknowledged must be there with its whole value (or a later version of that key
 * the child had started writing), and no value may be corrupt.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { LogStore } from '../../../src/disk/index.js'
import { prng, removeTempDirs, tempDir } from './helpers.js'
import { valueOf } from './fixtures/crash-values.mjs'

afterAll(removeTempDirs)

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url))
const built = existsSync(fileURLToPath(new URL('../../../dist/src/disk/index.js', import.meta.url)))

interface Round {
  /** Highest acknowledged version per key. */
  acked: Map<string, number>
  killedAfter: number
}

/** Runs the writer until `acks` acknowledgements (or `ms`) then SIGKILLs it; resolves once it is gone. */
function crashRound(dir: string, seed: number, sync: string, firstVersion: number, acks: number, ms: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(seed), sync, String(firstVersion)], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acked = new Map<string, number>()
    let count = 0
    let buffered = ''
    let errors = ''
    let timer: NodeJS.Timeout | undefined
    const kill = () => child.kill('SIGKILL')
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        if (line === 'ready') {
          timer = setTimeout(kill, ms)
          continue
        }
        const [key, v] = line.split(' ')
        acked.set(key!, Math.max(acked.get(key!) ?? -1, Number(v)))
        if (++count === acks) kill()
      }
    })
    child.stderr.on('data', (d) => { errors += d })
    child.on('error', reject)
    // 'exit' comes once the child is reaped: its pid no longer holds the lock.
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${code}): ${errors}`))
      else resolve({ acked, killedAfter: count })
    })
  })
}

async function crashSeries(seed: number, sync: 'always' | 'interval', kills: number): Promise<void> {
  const rand = prng(seed)
  const dir = tempDir()
  const acked = new Map<string, number>()
  let version = 0
  for (let k = 0; k < kills; k++) {
    const round = await crashRound(dir, seed * 1000 + k, sync, version, 1 + Math.floor(rand() * 600), 20 + Math.floor(rand() * 400))
    for (const [key, v] of round.acked) acked.set(key, Math.max(acked.get(key) ?? -1, v))
    version += 1_000_000
    const store = await LogStore.open<string>(dir, { sync: 'none', autoCompact: false })
    try {
      for (const [key, v] of acked) {
        const value = store.getSync(key)
        expect(value, `seed ${seed} kill ${k}: acknowledged ${key}@${v} missing`).toBeTypeOf('string')
        const got = Number(value!.split('|')[1])
        expect(got, `seed ${seed} kill ${k}: ${key} went back from version ${v}`).toBeGreaterThanOrEqual(v)
        expect(value, `seed ${seed} kill ${k}: ${key}@${got} corrupt`).toBe(valueOf(key, got))
      }
      // Every value present, acknowledged or not, is whole.
      for await (const [key, value] of store.entries()) expect(value, `seed ${seed}: ${key} corrupt`).toBe(valueOf(key, Number(value.split('|')[1])))
      expect(store.stats().corruptReads).toBe(0)
    } finally {
      await store.close()
    }
  }
}

describe.skipIf(!built)('LogStore survives SIGKILL', () => {
  for (const seed of [11, 12, 13]) {
    it(`sync 'always': every acknowledged put is there and whole after 11 kills (seed ${seed})`, async () => {
      await crashSeries(seed, 'always', 11)
    }, 240_000)
  }

  it("sync 'interval': a process crash loses nothing acknowledged either (the OS has every written byte)", async () => {
    await crashSeries(21, 'interval', 6)
  }, 240_000)

  it("sync 'interval' fsyncs written data by itself within the interval, with no further call", async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'interval', syncIntervalMs: 20 })
    await store.put('k', 'v')
    const before = store.stats().syncs
    const deadline = Date.now() + 10_000
    while (store.stats().syncs === before) {
      if (Date.now() > deadline) throw new Error('no fsync came within 10 s of a write')
      await new Promise((r) => setTimeout(r, 5))
    }
    await store.close()
  })
})
