/**
 * The value type V flows through every API that hands values in or out: the Cache's reads, batches
 * and iteration, cache-aside loading and its views, the tiers, and the Keyv adapter's Keyv typing.
 * Checked by vitest's typecheck mode (tsc over test/types), not at run time.
 */
import { describe, expectTypeOf, it } from 'vitest'
import {
  Cache, LoadingCache, TieredCache, WriteThroughCache, WriteBehindCache,
  type CacheLike, type Codec, type L1Cache, type Loader, type LoaderContext, type RemoteStore, type Store,
} from '../../src/index.js'
import { KeyvCortado } from '../../src/keyv/index.js'
import type { KeyvStoreAdapter } from 'keyv'

interface User { id: number; name: string }
declare const users: Cache<User>
declare const remote: RemoteStore

describe('Cache<V>', () => {
  it('reads give V | undefined, writes take V only', () => {
    expectTypeOf(users.get('k')).toEqualTypeOf<User | undefined>()
    expectTypeOf(users.peek('k')).toEqualTypeOf<User | undefined>()
    expectTypeOf(users.set).parameter(1).toEqualTypeOf<User>()
    // @ts-expect-error a string is not a User
    users.set('k', 'text')
  })

  it('batches: getMany gives (V | undefined)[], setMany takes [key, V] pairs', () => {
    expectTypeOf(users.getMany(['a', 'b'])).toEqualTypeOf<(User | undefined)[]>()
    users.setMany([['a', { id: 1, name: 'a' }]])
    // @ts-expect-error the values must be Users
    users.setMany([['a', 1]])
  })

  it('iteration yields V', () => {
    for (const [key, value] of users) {
      expectTypeOf(key).toEqualTypeOf<string>()
      expectTypeOf(value).toEqualTypeOf<User>()
    }
    expectTypeOf(users.entries()).toEqualTypeOf<Generator<[string, User]>>()
    expectTypeOf(users.values()).toEqualTypeOf<Generator<User>>()
    expectTypeOf(users.keys()).toEqualTypeOf<Generator<string>>()
    users.forEach((value, key, cache) => {
      expectTypeOf(value).toEqualTypeOf<User>()
      expectTypeOf(key).toEqualTypeOf<string>()
      expectTypeOf(cache).toEqualTypeOf<Cache<User>>()
    })
  })

  it('V comes from the options, the codec or the type argument; unknown by default', () => {
    expectTypeOf(new Cache({ maxBytes: 1 })).toEqualTypeOf<Cache<unknown>>()
    const codec: Codec<User> = { encode: () => new Uint8Array(), decode: () => ({ id: 1, name: '' }) }
    expectTypeOf(new Cache({ maxBytes: 1, codec })).toEqualTypeOf<Cache<User>>()
    expectTypeOf(Cache.attach<User>(users.handle)).toEqualTypeOf<Cache<User>>()
  })

  it('a Cache<V> is a CacheLike<V> and an L1Cache<V>', () => {
    expectTypeOf(users).toExtend<CacheLike<User>>()
    expectTypeOf(users).toExtend<L1Cache<User>>()
  })
})

describe('loading', () => {
  it('getOrLoad: the loader returns V (or undefined, sync or async) and sees V as the stale value', () => {
    expectTypeOf(users.getOrLoad('k', async () => ({ id: 1, name: 'a' }))).toEqualTypeOf<Promise<User | undefined>>()
    users.getOrLoad('k', (_key, context) => {
      expectTypeOf(context).toEqualTypeOf<LoaderContext<User>>()
      expectTypeOf(context.staleValue).toEqualTypeOf<User | undefined>()
      return undefined
    })
    // @ts-expect-error the loader must produce Users
    users.getOrLoad('k', async () => 42)
    expectTypeOf<Loader<User>>().returns.toEqualTypeOf<User | undefined | Promise<User | undefined>>()
  })

  it('views keep V: withLoader, writeThrough, writeBehind', () => {
    const store: Store<User> = { load: () => undefined, save: () => {}, delete: () => {} } as unknown as Store<User>
    expectTypeOf(users.withLoader(() => undefined)).toEqualTypeOf<LoadingCache<User>>()
    expectTypeOf(users.withLoader(() => undefined).get('k')).toEqualTypeOf<Promise<User | undefined>>()
    expectTypeOf(users.writeThrough(store)).toEqualTypeOf<WriteThroughCache<User>>()
    expectTypeOf(users.writeBehind(store)).toEqualTypeOf<WriteBehindCache<User>>()
  })
})

describe('TieredCache<V>', () => {
  it('takes V from its L1 and gives it back from every read', () => {
    const tier = new TieredCache({ l1: users, l2: remote })
    expectTypeOf(tier).toEqualTypeOf<TieredCache<User>>()
    expectTypeOf(tier.get('k')).toEqualTypeOf<Promise<User | undefined>>()
    expectTypeOf(tier.getLocal('k')).toEqualTypeOf<User | undefined>()
    expectTypeOf(tier.getMany(['a'])).toEqualTypeOf<Promise<(User | undefined)[]>>()
    expectTypeOf(tier.getOrLoad('k', async () => ({ id: 1, name: 'a' }))).toEqualTypeOf<Promise<User | undefined>>()
    // @ts-expect-error the tier's values are Users
    tier.set('k', 'text')
  })
})

describe('cortado/keyv', () => {
  it('KeyvCortado is a KeyvStoreAdapter', () => {
    expectTypeOf<KeyvCortado>().toExtend<KeyvStoreAdapter>()
    expectTypeOf(new KeyvCortado(users as Cache<unknown>).cache).toEqualTypeOf<Cache<unknown>>()
  })
})
