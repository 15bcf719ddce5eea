// Keyv's overhead, side by side in one process (alternating rounds, medians): Keyv over a Map (Keyv's
// default store), Keyv over KeyvCortado, and Cache.get directly, all reading the same object values.
// Run after npm run build: node bench/keyv/overhead.mjs
import Keyv from 'keyv'
import { Cache } from 'cortado'
import { KeyvCortado } from 'cortado/keyv'
const N = 20_000, ROUNDS = 7
const keys = Array.from({ length: N }, (_, i) => `user:${i}`)
const value = { id: 1, name: 'Ada Lovelace', tags: ['a', 'b'] }
const cache = new Cache({ maxBytes: 64 << 20 })
const kvCortado = new Keyv({ store: new KeyvCortado(cache) })
const kvMap = new Keyv({ store: new Map() })
for (const k of keys) { await kvCortado.set(k, value); await kvMap.set(k, value); cache.set(`direct:${k}`, value) }
const sides = {
  'keyv+Map': async () => { for (const k of keys) await kvMap.get(k) },
  'keyv+KeyvCortado': async () => { for (const k of keys) await kvCortado.get(k) },
  'Cache.get': async () => { for (const k of keys) cache.get(`direct:${k}`) },
}
const times = Object.fromEntries(Object.keys(sides).map((s) => [s, []]))
for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of Object.entries(sides)) { const t = performance.now(); await fn(); times[name].push(performance.now() - t) }
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1]
const base = median([...times['keyv+Map']])
for (const [name, t] of Object.entries(times)) console.log(`${name}: ${(N / median(t) * 1000 / 1e3).toFixed(0)}k gets/s (${(base / median(t)).toFixed(2)}x keyv+Map)`)
