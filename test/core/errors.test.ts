/** Every bad input gets a CortadoError with a code, and leaves the cache and its data intact. */
import { describe, it, expect } from 'vitest'
import { Cache, CortadoError, MAX_KEY_BYTES, type CortadoErrorCode } from '../../src/index.js'
import { nativeAddon } from '../../src/engine/native/load.js'

function expectCode(fn: () => unknown, code: CortadoErrorCode): void {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(CortadoError)
  expect((caught as CortadoError).code).toBe(code)
}

describe('invalid options', () => {
  const base = { maxBytes: 4 << 20 }
  it.each([
    [{}, 'ERR_INVALID_OPTION'],
    [{ maxBytes: -1 }, 'ERR_INVALID_OPTION'],
    [{ maxBytes: 1.5e6 + 0.5 }, 'ERR_INVALID_OPTION'],
    [{ maxBytes: Number.NaN }, 'ERR_INVALID_OPTION'],
    [{ maxBytes: '4000000' }, 'ERR_INVALID_OPTION'],
    [{ maxBytes: 2 ** 32 + 65536 }, 'ERR_CAPACITY'],
    [{ maxBytes: 1000 }, 'ERR_CAPACITY'],
    [{ ...base, maxEntries: 0 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxEntries: -5 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxEntries: 2.5 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxEntries: 10_000_000 }, 'ERR_CAPACITY'],
    [{ ...base, ttl: -1 }, 'ERR_INVALID_OPTION'],
    [{ ...base, ttl: Number.NaN }, 'ERR_INVALID_OPTION'],
    [{ ...base, ttl: Infinity }, 'ERR_INVALID_OPTION'],
    [{ ...base, shards: 3 }, 'ERR_INVALID_OPTION'],
    [{ ...base, shards: 64 }, 'ERR_CAPACITY'],
    [{ ...base, codec: 'yaml' }, 'ERR_INVALID_OPTION'],
    [{ ...base, codec: { encode: () => new Uint8Array() } }, 'ERR_INVALID_OPTION'],
    [{ ...base, policy: 'lfu' }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxThreads: 0 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxEntrySize: 1 << 30 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxEntrySize: 2 << 20 }, 'ERR_CAPACITY'],
    [{ ...base, seed: -1 }, 'ERR_INVALID_OPTION'],
    [{ ...base, clock: 5 }, 'ERR_INVALID_OPTION'],
    [{ ...base, clock: () => Number.NaN }, 'ERR_INVALID_OPTION'],
    [{ ...base, clock: () => '1700000000000' }, 'ERR_INVALID_OPTION'],
    [{ ...base, clock: () => -1 }, 'ERR_INVALID_OPTION'],
    [{ ...base, maxbytes: 5 }, 'ERR_INVALID_OPTION'],
    [{ ...base, engine: 'gpu' }, 'ERR_INVALID_OPTION'],
  ] as [Record<string, unknown>, CortadoErrorCode][])('%o → %s', (options, code) => {
    expectCode(() => new Cache(options as never), code)
  })
  it('rejects a non-object', () => {
    expectCode(() => new Cache(undefined as never), 'ERR_INVALID_OPTION')
  })
  // A user coming from lru-cache writes { maxEntries } (or { max }) alone: the error says what maxBytes is and how to get it.
  it('a missing maxBytes is named as required, with the way to size it', () => {
    expect(() => new Cache({ maxEntries: 1000 } as never)).toThrow(/maxBytes is required: the arena's size in bytes.*Cache\.maxBytesFor\(entries, entryBytes\)/)
    expectCode(() => new Cache({ maxEntries: 1000 } as never), 'ERR_INVALID_OPTION')
    expect(() => new Cache({ max: 1000 } as never)).toThrow(/use maxEntries \(lru-cache's max\), beside the required maxBytes/)
  })
  it('says what it got: a string that looks like a number is named as a string', () => {
    expect(() => new Cache({ maxBytes: '4000000' as never })).toThrow("maxBytes must be a positive integer, got '4000000' (a string)")
    expect(() => new Cache({ ...base, ttl: '5' as never })).toThrow("got '5' (a string)")
    expect(() => new Cache({ ...base, policy: 'lfu' as never })).toThrow("got 'lfu' (a string)")
    expect(() => new Cache({ ...base, clock: () => Number.NaN })).toThrow('clock must return finite milliseconds >= 0, returned NaN')
  })
  it('checks the clock a thread attaches with, too', () => {
    const cache = new Cache({ ...base })
    expectCode(() => Cache.attach(cache.handle, { clock: () => Number.NaN }), 'ERR_INVALID_OPTION')
    expectCode(() => Cache.attach(cache.handle, { clock: 'now' as never }), 'ERR_INVALID_OPTION')
    cache.close()
  })
})

describe('invalid calls leave the cache intact', () => {
  function filled() {
    const cache = new Cache<unknown>({ maxBytes: 4 << 20 })
    cache.set('keep', 'me')
    cache.set('victim', 'old')
    return cache
  }
  function intact(cache: Cache<unknown>) {
    expect(cache.get('keep')).toBe('me')
    expect(cache.get('victim')).toBe('old')
    expect(cache.size).toBe(2)
    expect(cache.verify()).toEqual([])
  }

  it('non-string keys', () => {
    const cache = filled()
    for (const key of [1, null, undefined, {}, Symbol('s'), ['a']]) {
      expectCode(() => cache.set(key as never, 'x'), 'ERR_INVALID_KEY')
      expectCode(() => cache.get(key as never), 'ERR_INVALID_KEY')
      expectCode(() => cache.delete(key as never), 'ERR_INVALID_KEY')
      expectCode(() => cache.getMany([key as never]), 'ERR_INVALID_KEY')
      expectCode(() => cache.setMany([[key as never, 'x']]), 'ERR_INVALID_KEY')
    }
    intact(cache)
  })

  it('batches: a bad key anywhere stores nothing; a non-array or non-pair is refused', () => {
    const cache = filled()
    const many = Array.from({ length: 600 }, (_, i) => [`new-${i}`, 'x'] as [string, string])
    expectCode(() => cache.setMany([...many, [42 as never, 'x']]), 'ERR_INVALID_KEY')
    expectCode(() => cache.setMany([...many, ['k'.repeat(MAX_KEY_BYTES + 1), 'x']]), 'ERR_INVALID_KEY')
    expectCode(() => cache.setMany([...many, 'victim' as never]), 'ERR_INVALID_VALUE')
    expectCode(() => cache.setMany(5 as never), 'ERR_INVALID_VALUE')
    expectCode(() => cache.getMany('victim' as never), 'ERR_INVALID_KEY')
    intact(cache)
  })

  it('keys over the limit, while keys at the limit work', () => {
    const cache = filled()
    expectCode(() => cache.set('k'.repeat(MAX_KEY_BYTES + 1), 'x'), 'ERR_INVALID_KEY')
    expectCode(() => cache.get('é'.repeat(MAX_KEY_BYTES / 2 + 1)), 'ERR_INVALID_KEY')
    intact(cache)
    expect(cache.set('k'.repeat(MAX_KEY_BYTES), 'at limit')).toBe(true)
    expect(cache.get('k'.repeat(MAX_KEY_BYTES))).toBe('at limit')
    expect(cache.set('😀'.repeat(MAX_KEY_BYTES / 4), 'emoji at limit')).toBe(true)
    expect(cache.get('😀'.repeat(MAX_KEY_BYTES / 4))).toBe('emoji at limit')
  })

  it('keys with a lone surrogate are refused everywhere: UTF-8 has no form for one, so they would collide', () => {
    const cache = filled()
    const many = Array.from({ length: 600 }, (_, i) => [`new-${i}`, 'x'] as [string, string])
    for (const key of ['a\uD800', 'a\uDC00', '\uDBFF', 'x\uDE00y', 'é\uD83D', '😀'.slice(0, 1), '鍵'.repeat(2000) + '\uD800']) {
      expectCode(() => cache.set(key, 'x'), 'ERR_INVALID_KEY')
      expectCode(() => cache.get(key), 'ERR_INVALID_KEY')
      expectCode(() => cache.peek(key), 'ERR_INVALID_KEY')
      expectCode(() => cache.has(key), 'ERR_INVALID_KEY')
      expectCode(() => cache.delete(key), 'ERR_INVALID_KEY')
      expectCode(() => cache.getRemainingTTL(key), 'ERR_INVALID_KEY')
      expectCode(() => cache.getMany(['keep', key]), 'ERR_INVALID_KEY')
      expectCode(() => cache.setMany([...many, [key, 'x']]), 'ERR_INVALID_KEY')
    }
    intact(cache)
    // U+FFFD itself, what an encoder writes for a lone surrogate, is an ordinary key: no collision.
    expect(cache.set('a\uFFFD', 'replacement char')).toBe(true)
    expect(cache.set('😀', 'a whole pair')).toBe(true)
    expectCode(() => cache.get('a\uD800'), 'ERR_INVALID_KEY')
    expect(cache.get('a\uFFFD')).toBe('replacement char')
    expect(cache.get('😀')).toBe('a whole pair')
  })

  it('a getMany refused for one bad key counts nothing for the good ones before it', () => {
    // The key is checked while it is written into scratch: the keys of earlier chunks (or earlier in
    // its chunk) had been looked up and counted as hits by the time it was found bad.
    for (const engine of nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const) {
      const cache = new Cache<string>({ maxBytes: 4 << 20, engine })
      const keys = Array.from({ length: 600 }, (_, i) => `k${i}`)
      cache.setMany(keys.map((k) => [k, 'v'] as [string, string]))
      for (const bad of ['x'.repeat(MAX_KEY_BYTES + 1), 'a\uD800', 7 as never]) {
        for (const list of [['k1', bad], [...keys, bad], [...keys.slice(0, 300), bad, ...keys.slice(300)]]) {
          expectCode(() => cache.getMany(list), 'ERR_INVALID_KEY')
          const { hits, misses } = cache.stats()
          expect([engine, hits, misses]).toEqual([engine, 0, 0])
        }
      }
      cache.close()
    }
  })

  it('bad TTLs', () => {
    const cache = filled()
    for (const ttl of [-1, Number.NaN, Infinity, '5', null]) {
      expectCode(() => cache.set('victim', 'new', { ttl: ttl as never }), 'ERR_INVALID_TTL')
      expectCode(() => cache.setMany([['victim', 'new']], { ttl: ttl as never }), 'ERR_INVALID_TTL')
    }
    intact(cache)
  })

  it('values the codec cannot encode', () => {
    const cache = filled()
    expectCode(() => cache.set('victim', undefined), 'ERR_INVALID_VALUE')
    intact(cache)
    const strings = new Cache<string>({ maxBytes: 2 << 20, codec: 'string' })
    strings.set('victim', 'old')
    expectCode(() => strings.set('victim', 42 as never), 'ERR_INVALID_VALUE')
    expect(strings.get('victim')).toBe('old')
    const json = new Cache<unknown>({ maxBytes: 2 << 20, codec: 'json' })
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expectCode(() => json.set('c', circular), 'ERR_INVALID_VALUE')
    expectCode(() => json.set('b', 10n), 'ERR_INVALID_VALUE')
    expectCode(() => json.set('f', () => 1), 'ERR_INVALID_VALUE')
    // MessagePack would write a function as nil, which reads back as a miss: refused instead.
    for (const codec of ['msgpack', undefined] as const) {
      const mp = new Cache<unknown>({ maxBytes: 2 << 20, codec })
      expectCode(() => mp.set('f', () => 1), 'ERR_INVALID_VALUE')
      expect(mp.size).toBe(0)
    }
    const bytes = new Cache<Uint8Array>({ maxBytes: 2 << 20, codec: 'buffer' })
    expectCode(() => bytes.set('s', 'not bytes' as never), 'ERR_INVALID_VALUE')
    const throwing = new Cache<unknown>({ maxBytes: 2 << 20, codec: { encode: () => { throw new Error('nope') }, decode: (b) => b } })
    expectCode(() => throwing.set('t', 1), 'ERR_INVALID_VALUE')
    expect(throwing.size).toBe(0)
  })

  it('setMany stores nothing when any value cannot be encoded, whatever the codec and wherever the value is', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    const cases: [string, ConstructorParameters<typeof Cache>[0]['codec'], unknown, unknown][] = [
      ['string', 'string', 'ok', 42],
      ['buffer', 'buffer', Buffer.from('ok'), 'not bytes'],
      ['auto', undefined, { ok: true }, () => 1],
      ['auto (undefined)', undefined, 'ok', undefined],
      ['json', 'json', { ok: true }, circular],
      ['msgpack', 'msgpack', { ok: true }, Symbol('s')],
      ['v8', 'v8', { ok: true }, () => 1],
      ['custom', { encode: (v: unknown) => { if (v === 'bad') throw new Error('nope'); return Buffer.from(String(v)) }, decode: (b: Uint8Array) => Buffer.from(b).toString() }, 'ok', 'bad'],
    ]
    for (const [name, codec, good, bad] of cases) {
      const cache = new Cache<unknown>({ maxBytes: 8 << 20, maxEntrySize: 64 << 10, codec })
      cache.set('victim', good)
      const before = cache.get('victim')
      // Past the first engine chunk (256 pairs), and with a value larger than the scratch area (stored
      // on its own: for a serializing codec, from the bytes encoded while checking).
      const pairs: [string, unknown][] = Array.from({ length: 700 }, (_, i) => [`k${i}`, good])
      pairs.splice(300, 0, ['victim', good])
      const big = name === 'buffer' ? Buffer.alloc(40_000, 7) : name === 'custom' ? 'y'.repeat(40_000) : 'x'.repeat(40_000)
      pairs.splice(10, 0, ['big', big])
      for (const at of [0, 299, pairs.length]) {
        const batch = [...pairs]
        batch.splice(at, 0, ['bad', bad])
        expectCode(() => cache.setMany(batch), 'ERR_INVALID_VALUE')
        expect(cache.size, `${name}: bad value at ${at}`).toBe(1)
        expect(cache.get('victim')).toEqual(before)
      }
      expect(cache.setMany(pairs).every(Boolean), name).toBe(true)
      expect(cache.size).toBe(pairs.length)
      expect(cache.get('k699')).toEqual(cache.get('k0'))
      expect(cache.get('big')).toEqual(big)
      expect(cache.verify()).toEqual([])
      cache.close()
    }
  })

  it('every call after close()', () => {
    const cache = filled()
    const handle = cache.handle
    cache.close()
    cache.close()
    for (const call of [
      () => cache.get('keep'), () => cache.set('a', 'b'), () => cache.has('a'), () => cache.delete('a'),
      () => cache.peek('a'), () => cache.clear(), () => cache.size, () => cache.stats(), () => cache.getRemainingTTL('a'),
      () => cache.getMany(['a']), () => cache.setMany([['a', 'b']]), () => [...cache.keys()], () => cache.handle,
      () => cache.purgeStale(), () => cache.verify(),
    ]) expectCode(call, 'ERR_CLOSED')
    expect(cache.closed).toBe(true)
    expectCode(() => Cache.attach(handle), 'ERR_CLOSED')
  })

  it('bad handles', () => {
    const cache = filled()
    expectCode(() => Cache.attach({} as never), 'ERR_INVALID_HANDLE')
    expectCode(() => Cache.attach(JSON.parse(JSON.stringify(cache.handle))), 'ERR_INVALID_HANDLE')
    expectCode(() => Cache.attach({ ...cache.handle, pid: process.pid + 1 } as never), 'ERR_INVALID_HANDLE')
    expectCode(() => Cache.attach({ ...cache.handle, buildId: 1 } as never), 'ERR_INVALID_HANDLE')
    intact(cache)
  })

  it.skipIf(nativeAddon() !== undefined)('the native engine gives a clear error when it is not built', () => {
    expectCode(() => new Cache({ maxBytes: 4 << 20, engine: 'native' }), 'ERR_ENGINE_UNAVAILABLE')
  })
})
