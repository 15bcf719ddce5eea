import { describe, expect, it } from 'vitest'
import { KERNELS, compileKernel, makeWorkload } from '../../bench/harness/kernels.js'
import type { BenchCache, Entry, Value } from '../../bench/peers/types.js'

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
