import { describe, expect, it } from 'vitest'
import { KERNELS, compileKernel, makeWorkload } from '../../bench/harness/kernels.js'
import type { BenchCache, Entry, Value } from '../../bench/peers/types.js'
import { getBuiltKey } from '../../bench/suites/get-built-key.js'
import { Pool } from '../../bench/harness/pool.js'
import { spec } from '../../bench/suites/configs.js'

/** A cache that records every call, to check what each loop really does. */
class Recording implements BenchCache {
  readonly map = new Map<string, Value>()
  readonly log: string[] = []
  get size() {
    return this.map.size
  }
  get(key: string) {
    this.log.push(`get ${key}`)
    return this.map.get(key)
  }
  set(key: string, value: Value) {
    this.log.push(`set ${key}=${String(value)}`)
    this.map.set(key, value)
  }
  getMany(keys: readonly string[]) {
    this.log.push(`getMany ${keys.join(',')}`)
    return keys.map((k) => this.map.get(k))
  }
  setMany(entries: readonly Entry[]) {
    this.log.push(`setMany ${entries.map((e) => e[0]).join(',')}`)
    for (const [k, v] of entries) this.map.set(k, v)
  }
  close() {}
}

const keys = ['k0', 'k1', 'k2', 'k3']
const values = ['v0', 'v1']

describe('kernels', () => {
  it('get walks idx from `from`, wrapping, and counts hits', () => {
    const cache = new Recording()
    cache.map.set('k1', 'x')
    const w = makeWorkload({ keys, values, idx: Uint32Array.of(1, 2, 1, 3) })
    expect(compileKernel(KERNELS.get)(cache, w, 2, 4)).toBe(2)
    expect(cache.log).toEqual(['get k1', 'get k3', 'get k1', 'get k2'])
  })

  it('get-built-key gets the same keys as get-hit, in the same order, each built in the loop', () => {
    const pool = new Pool(spec(1000, 'string', 100))
    const built = new Recording()
    const stored = new Recording()
    for (const k of pool.keys.slice(0, 1000)) built.map.set(k, 'x'), stored.map.set(k, 'x')
    expect(compileKernel(getBuiltKey.kernel({} as never))(built, getBuiltKey.workload(pool), 5, 300)).toBe(300)
    compileKernel(KERNELS.get)(stored, pool.uniformGets('stored'), 5, 300)
    expect(built.log).toEqual(stored.log)
  })

  it('set writes keys[base + op] with values[op], so consecutive calls never repeat a key before the pool wraps', () => {
    const cache = new Recording()
    const w = makeWorkload({ keys, values, base: 2 })
    compileKernel(KERNELS.set)(cache, w, 0, 3)
    expect(cache.log).toEqual(['set k2=v0', 'set k3=v1', 'set k0=v0'])
  })

  it('mixed sets where ops says 1 and gets elsewhere', () => {
    const cache = new Recording()
    const w = makeWorkload({ keys, values, idx: Uint32Array.of(0, 0, 1, 0), ops: Uint8Array.of(1, 0, 0, 0) })
    expect(compileKernel(KERNELS.mixed)(cache, w, 0, 4)).toBe(2)
    expect(cache.log).toEqual(['set k0=v0', 'get k0', 'get k1', 'get k0'])
  })

  it('batch loops hand whole batches to getMany/setMany, or loop single calls', () => {
    const cache = new Recording()
    const w = makeWorkload({ keys, values, idx: Uint32Array.of(0, 1, 2, 3), batch: 2 })
    compileKernel(KERNELS.setMany)(cache, w, 0, 4)
    expect(compileKernel(KERNELS.getMany)(cache, w, 0, 4)).toBe(4)
    expect(compileKernel(KERNELS.getManyLoop)(cache, w, 0, 2)).toBe(2)
    compileKernel(KERNELS.setManyLoop)(cache, w, 4, 2)
    expect(cache.log).toEqual([
      'setMany k0,k1', 'setMany k2,k3', 'getMany k0,k1', 'getMany k2,k3', 'get k0', 'get k1', 'set k0=v0', 'set k1=v1',
    ])
  })

  it('compiles a distinct function per call (each peer gets its own inline caches)', () => {
    expect(compileKernel(KERNELS.get)).not.toBe(compileKernel(KERNELS.get))
  })
})
