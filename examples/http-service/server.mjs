// A node:http service with cache-aside and /metrics. GET /product/<id> reads through the cache: a
// missing product costs one database query however many requests wait for it; GET /metrics is what
// Prometheus scrapes (npm install prom-client). Run: node examples/http-service/server.mjs
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { Registry, collectDefaultMetrics } from 'prom-client'
import { Cache } from 'cortado'
import { registerCacheMetrics } from 'cortado/prometheus'

// Stands in for the database: 10 ms a query; products 1 to 10000 exist.
const db = {
  async findProduct(id) {
    await sleep(10)
    return id >= 1 && id <= 10_000 ? { id, name: `Product ${id}`, price: (id % 100) + 0.99 } : undefined
  },
}

const cache = new Cache({ maxBytes: 64 << 20, name: 'products' })
const products = cache.withLoader((key) => db.findProduct(Number(key.slice('product:'.length))), { ttl: 60_000, timeout: 2_000 })

const registry = new Registry()
collectDefaultMetrics({ register: registry })
registerCacheMetrics(cache, { registry })

const server = http.createServer(async (req, res) => {
  if (req.url === '/metrics') {
    res.writeHead(200, { 'content-type': registry.contentType })
    return res.end(await registry.metrics())
  }
  const id = /^\/product\/(\d+)$/.exec(req.url)?.[1]
  if (id === undefined) return res.writeHead(404).end()
  try {
    const product = await products.get(`product:${id}`)
    if (product === undefined) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product))
  } catch (err) {
    // ERR_LOADER: the database failed; ERR_INVALID_KEY: an id of thousands of digits (a key over 4096 bytes).
    res.writeHead(err.code === 'ERR_TIMEOUT' ? 504 : err.code === 'ERR_INVALID_KEY' ? 400 : 502).end()
  }
})

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
process.once('SIGTERM', () => server.close(() => cache.close()))
