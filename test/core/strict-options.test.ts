/**
 * Strict calls: every option-taking method refuses what it doesn't know (as the constructor does), a
 * number where an options object belongs, and other caches' option names with the name to use here;
 * each mistake leaves the cache as it was.
 */
import { describe, it, expect } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache, CortadoError } from '../../src/index.js'

/** Expects `thrown` to be a CortadoError with `code` whose message contains every one of `words`. */
function expectRefusal(thrown: unknown, code: string, words: string[]): void {
  expect(thrown, `expected ${code}`).toBeInstanceOf(CortadoError)
  expect((thrown as CortadoError).code).toBe(code)
  for (const w of words) expect((thrown as Error).message).toContain(w)
}

function refuses(fn: () => unknown, code: string, ...words: string[]): void {
  let thrown: unknown
  try { fn() } catch (err) { thrown = err }
  expectRefusal(thrown, code, words)
}

async function refusesAsync(fn: () => Promise<unknown>, code: string, ...words: string[]): Promise<void> {
  let thrown: unknown
  try { await fn() } catch (err) { thrown = err }
  expectRefusal(thrown, code, words)
}

const loader = async (key: string) => `loaded ${key}`

describe('strict options', () => {
  it('set and setMany: a number, unknown keys and other caches\' TTL names are refused, naming the option', () => {
    const cache = new Cache<string>({ maxBytes: 1 << 20 })
    cache.set('kept', 'as it was')
    const before = cache.stats()
    refuses(() => cache.set('k', 'v', 5000 as never), 'ERR_INVALID_OPTION', 'set', '{ ttl: 5000 }', '5000')
    refuses(() => cache.set('k', 'v', { maxAge: 5000 } as never), 'ERR_INVALID_OPTION', "'maxAge'", 'use ttl')
    refuses(() => cache.set('k', 'v', { expire: 5 } as never), 'ERR_INVALID_OPTION', "'expire'", 'use ttl')
    refuses(() => cache.set('k', 'v', { ttl: 5, size: 3 } as never), 'ERR_INVALID_OPTION', "'size'", 'encoded bytes')
    refuses(() => cache.set('k', 'v', { tll: 5 } as never), 'ERR_INVALID_OPTION', "'tll'", "did you mean 'ttl'")
    refuses(() => cache.set('k', 'v', null as never), 'ERR_INVALID_OPTION', 'null')
    refuses(() => cache.set('k', 'v', 'ttl' as never), 'ERR_INVALID_OPTION', 'a string')
    refuses(() => cache.setMany([['k', 'v']], { TTL: 5 } as never), 'ERR_INVALID_OPTION', 'setMany', "'TTL'", 'use ttl')
    refuses(() => cache.setMany([['k', 'v']], 5 as never), 'ERR_INVALID_OPTION', 'setMany', '{ ttl: 5000 }')
    // A wrong type for a known option keeps its own, more precise code.
    refuses(() => cache.set('k', 'v', { ttl: '5' } as never), 'ERR_INVALID_TTL', 'ttl', "'5' (a string)")
    expect(cache.has('k')).toBe(false)
    expect(cache.get('kept')).toBe('as it was')
    expect(cache.stats().sets).toBe(before.sets)
    // The right forms work.
    expect(cache.set('k', 'v', { ttl: 5000 })).toBe(true)
    expect(cache.getRemainingTTL('k')).toBeGreaterThan(4000)
    expect(cache.setMany([['m', 'v']], { ttl: 5000 })).toEqual([true])
    expect(cache.set('n', 'v', {})).toBe(true)
    cache.close()
  })

  it('get, peek, has, delete, getMany and invalidate take no options: lru-cache\'s allowStale and friends are refused with what to use', () => {
    const cache = new Cache<string>({ maxBytes: 1 << 20 })
    cache.set('k', 'v')
    refuses(() => cache.get('k', { allowStale: true } as never), 'ERR_INVALID_OPTION', 'get takes no options', "'allowStale'", 'getOrLoad')
    refuses(() => cache.get('k', { updateAgeOnGet: true } as never), 'ERR_INVALID_OPTION', "'updateAgeOnGet'", 'no equivalent')
    refuses(() => cache.peek('k', { allowStale: true } as never), 'ERR_INVALID_OPTION', 'peek takes no options')
    refuses(() => cache.has('k', { updateAgeOnHas: true } as never), 'ERR_INVALID_OPTION', 'has takes no options', "'updateAgeOnHas'")
    refuses(() => cache.getRemainingTTL('k', {} as never), 'ERR_INVALID_OPTION', 'getRemainingTTL takes no options')
    refuses(() => cache.delete('k', 1 as never), 'ERR_INVALID_OPTION', 'delete takes no options', '1')
    // The batch and invalidation calls too (they ignored a second argument: getMany(keys, { allowStale })).
    refuses(() => cache.getMany(['k'], { allowStale: true } as never), 'ERR_INVALID_OPTION', 'getMany takes no options', "'allowStale'")
    refuses(() => cache.invalidateKey('k', { silent: true } as never), 'ERR_INVALID_OPTION', 'invalidateKey takes no options')
    refuses(() => cache.invalidate('k', { recursive: true } as never), 'ERR_INVALID_OPTION', 'invalidate takes no options')
    refuses(() => cache.invalidate((key) => key === 'k', {} as never), 'ERR_INVALID_OPTION', 'invalidate takes no options')
    expect(cache.get('k')).toBe('v')
    expect(cache.stats().hits).toBe(1)
    cache.close()
  })

  it('new Cache: lru-cache and node-cache names point to Cortado\'s, a handle points to Cache.attach, a typo to the option', () => {
    refuses(() => new Cache({ max: 1000 } as never), 'ERR_INVALID_OPTION', "'max'", 'maxEntries')
    refuses(() => new Cache({ maxBytes: 1 << 20, maxAge: 1000 } as never), 'ERR_INVALID_OPTION', "'maxAge'", 'use ttl')
    refuses(() => new Cache({ maxBytes: 1 << 20, fetchMethod: loader } as never), 'ERR_INVALID_OPTION', "'fetchMethod'", 'withLoader')
    refuses(() => new Cache({ maxBytes: 1 << 20, stdTTL: 10 } as never), 'ERR_INVALID_OPTION', "'stdTTL'", 'seconds')
    refuses(() => new Cache({ maxBytes: 1 << 20, dispose: () => {} } as never), 'ERR_INVALID_OPTION', "'dispose'", 'no equivalent')
    refuses(() => new Cache({ maxBytes: 1 << 20, shard: 2 } as never), 'ERR_INVALID_OPTION', "'shard'", "did you mean 'shards'")
    refuses(() => new Cache(1000 as never), 'ERR_INVALID_OPTION', 'options must be an object', '1000')
    const cache = new Cache({ maxBytes: 1 << 20 })
    refuses(() => new Cache(cache.handle as never), 'ERR_INVALID_OPTION', 'Cache.attach(handle)')
    cache.close()
  })

  it('Cache.attach and Cache.maxBytesFor check their options too', () => {
    const cache = new Cache<string>({ maxBytes: 1 << 20 })
    refuses(() => Cache.attach(cache.handle, { ttl: 5 } as never), 'ERR_INVALID_OPTION', 'Cache.attach', "'ttl'")
    refuses(() => Cache.attach(cache.handle, 5 as never), 'ERR_INVALID_OPTION', 'Cache.attach', 'options must be an object')
    refuses(() => Cache.maxBytesFor(1000, 100, { max: 5 } as never), 'ERR_INVALID_OPTION', 'Cache.maxBytesFor', "'max'", 'maxEntries')
    expect(Cache.maxBytesFor(1000, 100, { shards: 1 })).toBeGreaterThan(100_000)
    cache.close()
  })

  it('the loading layer\'s methods refuse numbers, unknown keys and foreign names the same way', async () => {
    const cache = new Cache<string>({ maxBytes: 1 << 20 })
    await refusesAsync(() => cache.getOrLoad('k', loader, 5000 as never), 'ERR_INVALID_OPTION', 'getOrLoad', '5000')
    await refusesAsync(() => cache.getOrLoad('k', loader, { maxAge: 5 } as never), 'ERR_INVALID_OPTION', "'maxAge'", 'use ttl')
    await refusesAsync(() => cache.getOrLoad('k', loader, { allowStale: true } as never), 'ERR_INVALID_OPTION', "'allowStale'", 'softTtl')
    await refusesAsync(async () => cache.withLoader(loader, { stdTTL: 5 } as never).get('k'), 'ERR_INVALID_OPTION', "'stdTTL'")
    await refusesAsync(() => cache.warm(['k'], loader, { expire: 5 } as never), 'ERR_INVALID_OPTION', 'warm', "'expire'")
    const dir = mkdtempSync(join(tmpdir(), 'cortado-strict-'))
    try {
      await refusesAsync(() => cache.load(join(dir, 'none'), { ignoreMising: true } as never), 'ERR_INVALID_OPTION', "did you mean 'ignoreMissing'")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const store = { load: async () => undefined, save: async () => {}, delete: async () => {} }
    refuses(() => cache.writeThrough(store as never, { ttl: 5 } as never), 'ERR_INVALID_OPTION', 'writeThrough', "'ttl'")
    refuses(() => cache.writeBehind(store as never, { maxQueueSize: 5 } as never), 'ERR_INVALID_OPTION', 'writeBehind', "'maxQueueSize'")
    // Another cache's name gets that cache's advice only where the options are a cache's own: a
    // write-behind queue's or a front's 'max' is not lru-cache's max.
    refuses(() => cache.writeBehind(store as never, { max: 5 } as never), 'ERR_INVALID_OPTION', 'writeBehind', "'max'")
    expect(() => cache.writeBehind(store as never, { max: 5 } as never)).not.toThrow(/maxEntries/)
    refuses(() => new Cache({ maxBytes: 1 << 20, front: { max: 5 } } as never), 'ERR_INVALID_OPTION', 'front', "'max'")
    expect(() => new Cache({ maxBytes: 1 << 20, front: { max: 5 } } as never)).not.toThrow(/maxEntries/)
    refuses(() => new Cache({ maxBytes: 1 << 20, front: { maxbytes: 5 } } as never), 'ERR_INVALID_OPTION', "did you mean 'maxBytes'")
    expect(cache.size).toBe(0)
    cache.close()
  })

  it('the default codec suggests codec: \'v8\' for a cycle; a Map with object keys reads back as a Map', () => {
    const cache = new Cache<unknown>({ maxBytes: 1 << 20 })
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    refuses(() => cache.set('cycle', cyclic), 'ERR_INVALID_VALUE', "the 'auto' codec", "codec: 'v8'")
    expect(cache.has('cycle')).toBe(false)
    cache.set('objectKeys', new Map([[{ id: 1 }, 'one']]))
    expect([...(cache.get('objectKeys') as Map<unknown, unknown>)]).toEqual([[{ id: 1 }, 'one']])
    cache.close()
    const v8 = new Cache<unknown>({ maxBytes: 1 << 20, codec: 'v8' })
    v8.set('cycle', cyclic)
    const back = v8.get('cycle') as Record<string, unknown>
    expect(back.self).toBe(back)
    v8.close()
  })
})
