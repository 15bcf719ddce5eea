// One cache for a whole piscina pool: the main thread creates it, every worker attaches to it.
import { Piscina } from 'piscina'
import { Cache } from 'cortado'

const cache = new Cache({ maxBytes: 64 * 1024 * 1024, ttl: 60_000 })
const pool = new Piscina({
  filename: new URL('./task.mjs', import.meta.url).href,
  workerData: { cache: cache.handle }, // structured-cloneable: the same arena, not a copy
  minThreads: 2,
  maxThreads: 2,
})

// 200 requests for 20 products: each product is computed once, whichever worker gets it first.
const ids = Array.from({ length: 200 }, (_, i) => i % 20)
const results = await Promise.all(ids.map((id) => pool.run(id)))
const computed = results.filter((r) => r.computed).length
console.log(`requests: ${results.length}, computed: ${computed}, served from the shared cache: ${results.length - computed}`)
console.log(`hit ratio seen by every thread together: ${cache.stats().hitRatio.toFixed(2)}`)
await pool.destroy()
cache.close()
