/**
 * The timed inner loops. Each contender gets its own compiled copy of a loop (`new Function`), so the
 * `cache.get` call site inside it only ever sees one cache class and V8 can inline it, as it would in an
 * application that uses one cache. One shared loop would go megamorphic after the third peer and slow
 * every peer down by a different amount. The loops read everything from a `Workload` made in advance:
 * no allocation, no random numbers, no modulo in the timed path.
 */
import type { BenchCache, Value } from '../peers/types.js'

export interface Workload {
  /** Key pool; length is a power of two. */
  keys: readonly string[]
  /** Value pool; length is a power of two. */
  values: readonly Value[]
  /** Key index per operation; length is a power of two. */
  idx: Uint32Array
  /** Operation type per operation (0 get, 1 set), same length as idx, for mixed workloads. */
  ops: Uint8Array
  /** Offset into the key pool for sequential sets (set-evict writes keys[base + n]). */
  base: number
  /** Keys per getMany/setMany call. */
  batch: number
  /** Reused argument arrays for the batch calls (a caller would reuse them too). */
  batchKeys: string[]
  batchEntries: [string, Value][]
  /** Free slot for a suite's own loop (e.g. a histogram). */
  extra: unknown
}

export type Kernel = (cache: BenchCache, w: Workload, from: number, count: number) => number

const PROLOGUE = `
  const keys = w.keys, values = w.values, idx = w.idx, ops = w.ops, base = w.base
  const keyMask = keys.length - 1, valueMask = values.length - 1, idxMask = idx.length - 1
  let hits = 0
`

/** Fills the reused entry array with the next batch of new keys (as the set kernel), then runs `store`. */
function batchOfNewEntries(store: string): string {
  return `
    const batch = w.batch, arg = w.batchEntries
    for (let i = 0; i < count; i += batch) {
      for (let j = 0; j < batch; j++) {
        const n = from + i + j, e = arg[j]
        e[0] = keys[(base + n) & keyMask]
        e[1] = values[n & valueMask]
      }
      ${store}
    }`
}

/** Loop bodies by name. `from`/`count` are operation numbers; each returns the number of hits. */
export const KERNELS = {
  /** Gets of keys[idx[op]]. */
  get: `
    for (let i = 0; i < count; i++) {
      if (cache.get(keys[idx[(from + i) & idxMask]]) !== undefined) hits++
    }`,
  /** Sets of keys[base + op]: with a key pool of at least twice the capacity, each is a new key. */
  set: `
    for (let i = 0; i < count; i++) {
      const n = from + i
      cache.set(keys[(base + n) & keyMask], values[n & valueMask])
    }`,
  /** keys[idx[op]], set when ops[op] is 1, else get. */
  mixed: `
    for (let i = 0; i < count; i++) {
      const n = (from + i) & idxMask
      const key = keys[idx[n]]
      if (ops[n] === 1) cache.set(key, values[n & valueMask])
      else if (cache.get(key) !== undefined) hits++
    }`,
  /** getMany over batches of keys[idx[op]]. */
  getMany: `
    const batch = w.batch, arg = w.batchKeys
    for (let i = 0; i < count; i += batch) {
      for (let j = 0; j < batch; j++) arg[j] = keys[idx[(from + i + j) & idxMask]]
      const got = cache.getMany(arg)
      for (let j = 0; j < batch; j++) if (got[j] !== undefined) hits++
    }`,
  /** What a user of a cache without getMany writes: one get per key of the batch. */
  getManyLoop: `
    const batch = w.batch, arg = w.batchKeys
    for (let i = 0; i < count; i += batch) {
      for (let j = 0; j < batch; j++) arg[j] = keys[idx[(from + i + j) & idxMask]]
      for (let j = 0; j < batch; j++) if (cache.get(arg[j]) !== undefined) hits++
    }`,
  /** setMany over batches of new keys, as the set kernel. */
  setMany: batchOfNewEntries('cache.setMany(arg)'),
  setManyLoop: batchOfNewEntries('for (let j = 0; j < batch; j++) cache.set(arg[j][0], arg[j][1])'),
} as const

export type KernelName = keyof typeof KERNELS

/** A fresh copy of a loop body (its own inline caches); `body` may be a suite's own. */
export function compileKernel(body: string): Kernel {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('cache', 'w', 'from', 'count', `'use strict'\n${PROLOGUE}\n${body}\n  return hits`) as Kernel
}

export function makeWorkload(partial: Partial<Workload> & Pick<Workload, 'keys' | 'values'>): Workload {
  const batch = partial.batch ?? 1
  return {
    idx: new Uint32Array(1),
    ops: new Uint8Array(1),
    base: 0,
    batchKeys: new Array<string>(batch).fill(''),
    batchEntries: Array.from({ length: batch }, (): [string, Value] => ['', '']),
    extra: undefined,
    ...partial,
    batch,
  }
}
