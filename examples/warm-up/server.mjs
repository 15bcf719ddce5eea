// Warm-up with a readiness probe: the server listens at once, but /ready answers 503 until the hot
// products are in the cache, so the load balancer sends no traffic to a cold instance.
// Run: node examples/warm-up/server.mjs, then watch http://127.0.0.1:8080/ready
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { Cache } from 'cortado'

// Stands in for the database: 2 ms a query; the 10000 most popular products are known in advance.
const db = {
  hotProductIds: () => Array.from({ length: 10_000 }, (_, i) => `product:${i + 1}`),
  async findProduct(key) {
    await sleep(2)
    return { id: Number(key.slice('product:'.length)), name: `Product ${key}` }
  },
}

const cache = new Cache({ maxBytes: 64 << 20 })
let progress = { done: 0, failed: 0 }
let ready = false
const warming = cache.warm(db.hotProductIds(), (key) => db.findProduct(key), {
  concurrency: 16,
  ttl: 600_000,
  onProgress: ({ done, failed }) => { progress = { done, failed } },
})
warming.then((result) => {
  ready = true
  console.log(`warm: ${result.loaded} loaded, ${result.failed} failed in ${Math.round(result.durationMs)} ms`)
})

const server = http.createServer(async (req, res) => {
  if (req.url === '/ready') {
    // Readiness, not liveness: the process is alive from the start, it is ready once warm.
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
    return res.end(JSON.stringify({ ready, ...progress }))
  }
  const key = /^\/product\/\d+$/.test(req.url) ? req.url.slice(1).replace('/', ':') : undefined
  if (key === undefined) return res.writeHead(404).end()
  try {
    const product = await cache.getOrLoad(key, (k) => db.findProduct(k), { ttl: 600_000 })
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product))
  } catch (err) {
    // An id of 5000 digits is a key over 4096 bytes: ERR_INVALID_KEY. Unanswered, it would end the process.
    res.writeHead(err.code === 'ERR_INVALID_KEY' ? 400 : 502).end()
  }
})

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
process.once('SIGTERM', () => server.close(() => cache.close()))
