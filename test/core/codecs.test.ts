/** Values round-trip through every codec, including across threads' codec choices (kind byte). */
import { describe, it, expect } from 'vitest'
import { Cache, isCortadoError, type CodecName } from '../../src/index.js'

const strings = ['', 'ascii', 'latin1 éàü ÿ', 'кириллица', '鍵値', 'emoji 😀🚀', 'x'.repeat(20_000), 'é'.repeat(12_000)]
/** Not well-formed UTF-16 (a lone surrogate, e.g. an emoji cut in half by `slice`): UTF-8 would make it U+FFFD. */
/** What `read` throws (undefined when it returns). */
function thrownBy(read: () => unknown): unknown {
  try {
    read()
  } catch (err) {
    return err
  }
  return undefined
}

const loneSurrogates = ['\uD800', 'low \uDC00 alone', 'é\uD83D', '😀🚀'.slice(0, 3), 'x'.repeat(12_000) + '\uDBFF']

describe('codecs', () => {
  it('string: every kind of string, short and past the scratch area', () => {
    const cache = new Cache<string>({ maxBytes: 8 << 20, codec: 'string' })
    strings.forEach((s, i) => expect(cache.set(`s${i}`, s)).toBe(true))
    strings.forEach((s, i) => expect(cache.get(`s${i}`)).toBe(s))
    expect(cache.getMany(strings.map((_, i) => `s${i}`))).toEqual(strings)
  })

  for (const codec of ['string', 'auto', 'json', 'v8'] as CodecName[]) {
    it(`${codec}: strings with a lone surrogate come back as they were, alone and in batches`, () => {
      const cache = new Cache<string>({ maxBytes: 8 << 20, codec })
      loneSurrogates.forEach((s, i) => expect(cache.set(`s${i}`, s)).toBe(true))
      loneSurrogates.forEach((s, i) => expect(cache.get(`s${i}`)).toBe(s))
      expect(cache.setMany(loneSurrogates.map((s, i) => [`m${i}`, s]))).toEqual(loneSurrogates.map(() => true))
      expect(cache.getMany(loneSurrogates.map((_, i) => `m${i}`))).toEqual(loneSurrogates)
      expect(new Map(cache.entries()).get('m1')).toBe(loneSurrogates[1])
    })
  }

  it('buffer: Buffers come back as Buffers, Uint8Arrays as Uint8Arrays, as copies', () => {
    const cache = new Cache<Uint8Array>({ maxBytes: 8 << 20, codec: 'buffer' })
    const buf = Buffer.from([1, 2, 3])
    const u8 = new Uint8Array([4, 5, 6, 7])
    cache.set('b', buf)
    cache.set('u', u8)
    cache.set('empty', new Uint8Array(0))
    cache.set('big', new Uint8Array(30_000).fill(9))
    const b = cache.get('b')!
    expect(Buffer.isBuffer(b)).toBe(true)
    expect([...b]).toEqual([1, 2, 3])
    const u = cache.get('u')!
    expect(Buffer.isBuffer(u)).toBe(false)
    expect(u).toBeInstanceOf(Uint8Array)
    expect([...u]).toEqual([4, 5, 6, 7])
    u[0] = 99
    expect(cache.get('u')![0]).toBe(4)
    expect(cache.get('empty')!.length).toBe(0)
    expect(cache.get('big')!.every((x) => x === 9)).toBe(true)
    // Large Buffers are copied on their own, not carved from the shared slab: still Buffers, still copies.
    cache.set('bigbuf', Buffer.alloc(30_000, 5))
    const big = cache.get('bigbuf')!
    expect(Buffer.isBuffer(big)).toBe(true)
    expect(big.length).toBe(30_000)
    big[0] = 1
    expect(cache.get('bigbuf')![0]).toBe(5)
    b[0] = 42
    expect(cache.get('b')![0]).toBe(1)
  })

  const objects: unknown[] = [
    { a: 1, b: 'two', c: [3, { d: null }], e: true },
    [1, 'x', { y: [] }],
    42, -0.5, 'plain string', null, false,
  ]

  for (const name of ['json', 'msgpack', 'v8', 'auto'] as CodecName[]) {
    it(`${name}: plain data round-trips`, () => {
      const cache = new Cache<unknown>({ maxBytes: 4 << 20, codec: name })
      objects.forEach((o, i) => cache.set(`o${i}`, o))
      objects.forEach((o, i) => expect(cache.get(`o${i}`)).toEqual(o))
    })
  }

  it('v8 keeps Map, Set, Date, BigInt and cycles; msgpack and auto keep Set, Date and BigInt, turn a Map into an object and refuse a cycle', () => {
    const rich = { m: new Map([['k', 1]]), s: new Set([1, 2]), d: new Date(1_700_000_000_000), big: [-5n, 2n ** 70n] }
    for (const name of ['v8', 'msgpack', 'auto'] as CodecName[]) {
      const cache = new Cache<typeof rich>({ maxBytes: 4 << 20, codec: name })
      cache.set('rich', rich)
      const got = cache.get('rich')!
      if (name === 'v8') {
        expect(got.m).toBeInstanceOf(Map)
        expect(got.m.get('k')).toBe(1)
      } else {
        expect(got.m).toEqual({ k: 1 })
      }
      expect(got.s).toBeInstanceOf(Set)
      expect(got.d).toBeInstanceOf(Date)
      expect(got.d.getTime()).toBe(rich.d.getTime())
      expect(got.big).toEqual([-5n, 2n ** 70n])
      if (name !== 'v8') {
        const loop: Record<string, unknown> = {}
        loop.self = loop
        expect(() => cache.set('loop', loop as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_VALUE' }))
        expect(cache.get('rich')!.big).toEqual([-5n, 2n ** 70n])
      }
    }
    const cache = new Cache<unknown>({ maxBytes: 4 << 20, codec: 'v8' })
    const cyclic: Record<string, unknown> = { n: 10n }
    cyclic.self = cyclic
    cache.set('cyclic', cyclic)
    const got = cache.get('cyclic') as Record<string, unknown>
    expect(got.self).toBe(got)
    expect(got.n).toBe(10n)
  })

  it('msgpack and auto read back a Map with object or array keys as a Map (no object can hold those keys), the rest as before', () => {
    const value = {
      byObject: new Map<unknown, unknown>([[{ id: 1 }, 'one'], [[2, 3], new Map([[7, 'seven']])]]),
      list: [new Map([[true, 1]]), new Set([new Map([[{ x: 1 }, 'x']])])],
      when: new Date(1_700_000_000_000),
      proto: new Map<unknown, unknown>([['__proto__', 'p'], [{}, 'q']]),
    }
    for (const name of ['msgpack', 'auto'] as CodecName[]) {
      const cache = new Cache<unknown>({ maxBytes: 4 << 20, codec: name })
      cache.set('v', value)
      const got = cache.get('v') as typeof value
      expect(got.byObject).toBeInstanceOf(Map)
      expect([...got.byObject]).toEqual([[{ id: 1 }, 'one'], [[2, 3], { 7: 'seven' }]])
      expect(got.list[0]).toEqual({ true: 1 })
      const [inSet] = [...(got.list[1] as Set<Map<unknown, unknown>>)]
      expect([...inSet]).toEqual([[{ x: 1 }, 'x']])
      expect(got.when.getTime()).toBe(value.when.getTime())
      expect(got.proto.get('__proto__')).toBe('p')
      expect(Object.getPrototypeOf(cache.get('v'))).toBe(Object.prototype)
      expect(cache.stats().hits).toBe(2)
    }
  })

  it('auto stores strings, numbers and bytes raw and everything else as MessagePack', () => {
    const cache = new Cache<unknown>({ maxBytes: 4 << 20 })
    const values = ['s', 'é', 1.5, Buffer.from('b'), new Uint8Array([1]), { o: 1 }, [1], true, null, Number.NaN]
    values.forEach((v, i) => cache.set(`v${i}`, v))
    values.forEach((v, i) => expect(cache.get(`v${i}`)).toEqual(v))
  })

  it('a Promise is refused by every serializing codec (msgpack and JSON wrote it as {}), and so is setMany of one', () => {
    for (const codec of ['auto', 'msgpack', 'json', 'v8'] as const) {
      const cache = new Cache<unknown>({ maxBytes: 4 << 20, codec })
      cache.set('user', { id: 1 })
      const pending = Promise.resolve({ id: 2 })
      const err = thrownBy(() => cache.set('user', pending))
      expect(isCortadoError(err, 'ERR_INVALID_VALUE'), `${codec}: ${String(err)}`).toBe(true)
      if (codec !== 'v8') expect((err as Error).message).toMatch(/await it/)
      expect(isCortadoError(thrownBy(() => cache.setMany([['other', pending]])), 'ERR_INVALID_VALUE')).toBe(true)
      // Refused, so the cache is as it was.
      expect(cache.get('user')).toEqual({ id: 1 })
      expect(cache.has('other')).toBe(false)
      cache.close()
    }
  })

  it('a custom codec is used for its values, and other threads must re-supply it', () => {
    const upper = { encode: (v: string) => Buffer.from(v.toUpperCase()), decode: (b: Uint8Array) => Buffer.from(b).toString() }
    const cache = new Cache<string>({ maxBytes: 4 << 20, codec: upper })
    cache.set('k', 'shout')
    expect(cache.get('k')).toBe('SHOUT')
    expect(() => Cache.attach(cache.handle)).toThrow(/custom codec/)
    const other = Cache.attach<string>(cache.handle, { codec: upper })
    expect(other.get('k')).toBe('SHOUT')
    other.close()
  })

  it("a custom codec's failing decode is ERR_DECODE (its error in cause), as a failing encode is ERR_INVALID_VALUE", () => {
    const failure = new Error('corrupt record')
    const codec = { encode: (v: string) => Buffer.from(v), decode: (): string => { throw failure } }
    const cache = new Cache<string>({ maxBytes: 4 << 20, codec })
    cache.set('k', 'v')
    for (const read of [() => cache.get('k'), () => cache.peek('k'), () => cache.getMany(['k']), () => [...cache.entries()]]) {
      const caught = thrownBy(read)
      expect(isCortadoError(caught, 'ERR_DECODE')).toBe(true)
      expect((caught as Error).cause).toBe(failure)
    }
    // The entry is untouched: a codec that decodes again reads it.
    const other = Cache.attach<string>(cache.handle, { codec: { encode: codec.encode, decode: (b: Uint8Array) => Buffer.from(b).toString() } })
    expect(other.get('k')).toBe('v')
    other.close()
    cache.close()
  })

  it("a custom codec's decode that returns undefined is ERR_DECODE, not a miss that has() calls present", () => {
    const codec = { encode: (v: string) => Buffer.from(v), decode: (b: Uint8Array): string => (b.length === 0 ? undefined : Buffer.from(b).toString()) as string }
    const cache = new Cache<string>({ maxBytes: 4 << 20, codec })
    cache.set('empty', '')
    cache.set('full', 'v')
    for (const read of [() => cache.get('empty'), () => cache.peek('empty'), () => cache.getMany(['empty'])]) {
      const caught = thrownBy(read)
      expect(isCortadoError(caught, 'ERR_DECODE')).toBe(true)
      expect((caught as Error).message).toMatch(/returned undefined/)
    }
    expect(cache.has('empty')).toBe(true)
    expect(cache.get('full')).toBe('v')
    expect(cache.stats().misses).toBe(0)
    cache.close()
  })

  it('decoding follows the stored kind, whatever codec the reader was given', () => {
    const writer = new Cache<unknown>({ maxBytes: 4 << 20, codec: 'msgpack' })
    writer.set('obj', { a: 1 })
    const reader = Cache.attach<unknown>({ ...writer.handle, codec: 'string' } as never)
    expect(reader.get('obj')).toEqual({ a: 1 })
    reader.close()
  })
})
