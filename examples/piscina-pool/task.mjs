// A piscina task: attach once per worker, then use the cache like any other.
import { workerData } from 'node:worker_threads'
import { Cache } from 'cortado'

const cache = Cache.attach(workerData.cache)

export default function renderProduct(id) {
  const key = `product:${id}`
  const cached = cache.get(key)
  if (cached !== undefined) return { id, computed: false }
  const page = { id, html: `<h1>Product ${id}</h1>`.repeat(10) } // stands in for slow work
  cache.set(key, page)
  return { id, computed: true }
}
