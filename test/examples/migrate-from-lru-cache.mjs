// The same cache-aside code with lru-cache and with Cortado.
import { LRUCache } from 'lru-cache'
import { Cache } from 'cortado'

const loadUser = async (id) => ({ id, name: `user ${id}` })

// lru-cache: an entry count, a TTL, a fetchMethod.
const lru = new LRUCache({ max: 10_000, ttl: 60_000, fetchMethod: loadUser })
console.log('lru-cache:', await lru.fetch('42'))

// Cortado: a byte budget (an entry bound too, if you want one), the same TTL, a loader view.
const cache = new Cache({ maxBytes: 64 * 1024 * 1024, maxEntries: 10_000, ttl: 60_000 })
const users = cache.withLoader(loadUser)
console.log('cortado:  ', await users.get('42'))

// set() says whether the value was stored, and options are checked, not ignored.
console.log('stored:', cache.set('session', { user: '42' }, { ttl: 5_000 }))
try {
  cache.set('session', { user: '42' }, { maxAge: 5_000 })
} catch (err) {
  console.log(`${err.code}: ${err.message}`)
}
cache.close()
