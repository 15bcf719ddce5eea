/**
 * The disk suite's loops. Keys are 16 bytes (`k` + 15 base-36 digits), values 100-byte strings made
 * per key and version; writes run as IN_FLIGHT concurrent writers, each awaiting its own put.
 */
import type { DiskStore } from './stores.js'

export const IN_FLIGHT = 64
export const VALUE_BYTES = 100

export function keyOf(i: number): string {
  return `k${i.toString(36).padStart(15, '0')}`
}

/**
 * Values are drawn from a pool of random printable strings: incompressible like most real payloads, so
 * LevelDB's block compression does not get an edge no real workload would give it.
 */
const POOL = makePool(4096, 0x5eed)

function makePool(size: number, seed: number): string[] {
  let s = seed
  const pool = new Array<string>(size)
  for (let p = 0; p < size; p++) {
    let v = ''
    for (let c = 0; c < VALUE_BYTES; c++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      v += String.fromCharCode(33 + ((s >>> 16) % 94))
    }
    pool[p] = v
  }
  return pool
}

export function valueOf(i: number, version: number): string {
  return POOL[(i + version * 7919) & (POOL.length - 1)]!
}

/** Writes keys [from, n) once (version `version`) with IN_FLIGHT writers; resolves when all are acknowledged. */
export async function fill(store: DiskStore, n: number, version: number, from = 0): Promise<void> {
  let next = from
  const writer = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) await store.put(keyOf(i), valueOf(i, version))
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer))
}

/** Puts to keys [0, n) round-robin for `ms` milliseconds with IN_FLIGHT writers; returns puts/s. */
export async function putFor(store: DiskStore, n: number, ms: number): Promise<number> {
  let next = 0
  const start = performance.now()
  const deadline = start + ms
  const writer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++
      await store.put(keyOf(i % n), valueOf(i % n, 1 + Math.floor(i / n)))
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer))
  return next / ((performance.now() - start) / 1000)
}

/** Keys in a scattered order (a multiplicative walk mod n), made before timing. */
export function randomKeys(n: number, count: number, seed: number): string[] {
  const out = new Array<string>(count)
  let x = seed % n
  for (let i = 0; i < count; i++) {
    x = (x * 48271 + 11) % n
    out[i] = keyOf(x)
  }
  return out
}

/** getSync over `keys` for `ms`; returns gets/s, and throws on a miss (every key was written). */
export function getSyncFor(store: DiskStore, keys: readonly string[], ms: number): number {
  let done = 0
  const start = performance.now()
  const deadline = start + ms
  while (performance.now() < deadline) {
    for (let j = 0; j < 256; j++) {
      if (store.getSync(keys[done++ % keys.length]!) === undefined) throw new Error(`miss on ${keys[(done - 1) % keys.length]}`)
    }
  }
  return done / ((performance.now() - start) / 1000)
}

/** Awaited get, one at a time, over `keys` for `ms`; returns gets/s. */
export async function getFor(store: DiskStore, keys: readonly string[], ms: number): Promise<number> {
  let done = 0
  const start = performance.now()
  const deadline = start + ms
  while (performance.now() < deadline) {
    for (let j = 0; j < 64; j++) {
      if ((await store.get(keys[done++ % keys.length]!)) === undefined) throw new Error(`miss on ${keys[(done - 1) % keys.length]}`)
    }
  }
  return done / ((performance.now() - start) / 1000)
}
