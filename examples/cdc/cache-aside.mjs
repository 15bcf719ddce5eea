// Cache-aside over PostgreSQL, kept fresh by the database's own change log: any write, from this
// service or from psql, a migration or another service, drops the cached query results it affects.
import http from 'node:http'
import pg from 'pg'
import { Cache } from 'cortado'
import { PostgresChangeFeed } from 'cortado/cdc'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const db = new pg.Pool({ connectionString: url, max: 4 })
await db.query('CREATE TABLE IF NOT EXISTS products (id int PRIMARY KEY, name text NOT NULL, price_cents int NOT NULL)')
await db.query(`INSERT INTO products SELECT g, 'product ' || g, 100 * g FROM generate_series(1, 100) g ON CONFLICT DO NOTHING`)

const cache = new Cache({ maxBytes: 32 * 1024 * 1024, ttl: 10 * 60_000 })

// Query results, cached by key; concurrent misses of a key share one query.
const loadProduct = async (key) => {
  const { rows } = await db.query('SELECT id, name, price_cents FROM products WHERE id = $1', [Number(key.slice('product:'.length))])
  return rows[0]
}
const product = (id) => cache.getOrLoad(`product:${id}`, loadProduct)

// Every committed change to products drops that product's key, here and now.
const feed = await PostgresChangeFeed.start({
  connection: url,
  slot: 'shop_products',
  publication: 'shop_products',
  tables: { products: { keys: (row) => `product:${row.id}`, prefixes: ['product:'] } },
  target: cache,
  replicaIdentity: 'full',
})

// Readiness: not ready until the hot products are loaded and the feed streams.
const server = http.createServer(async (req, res) => {
  if (req.url === '/ready') {
    const ready = warmed && feed.stats().connected
    res.writeHead(ready ? 200 : 503).end(ready ? 'ready' : 'warming up')
  } else if (/^\/products\/\d{1,9}$/.test(req.url)) {
    try {
      const found = await product(Number(req.url.slice('/products/'.length)))
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? null))
    } catch {
      res.writeHead(502).end() // the database failed (ERR_LOADER); unanswered, the rejection would end the process
    }
  } else res.writeHead(404).end() // also /products/abc: the query would fail on a non-integer id
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}`

let warmed = false
console.log(`before warm-up: /ready ${(await fetch(`${base}/ready`)).status}`)
const hot = Array.from({ length: 20 }, (_, i) => `product:${i + 1}`)
const warm = await cache.warm(hot, loadProduct)
await cache.ready
warmed = true
console.log(`warmed ${warm.loaded} products; /ready ${(await fetch(`${base}/ready`)).status}`)

const malformed = await fetch(`${base}/products/abc`)
const before = await (await fetch(`${base}/products/7`)).json()
console.log(`product 7 costs ${before.price_cents} cents (cached: ${cache.has('product:7')}); /products/abc ${malformed.status}`)

// Someone changes the price behind the service's back, with plain SQL.
const psql = new pg.Client({ connectionString: url })
await psql.connect()
await psql.query('UPDATE products SET price_cents = price_cents + 1 WHERE id = 7')
await psql.end()
const changedAt = Date.now()
let after = before
while (after.price_cents === before.price_cents && Date.now() - changedAt < 10_000) {
  await new Promise((r) => setTimeout(r, 5))
  after = await (await fetch(`${base}/products/7`)).json()
}
console.log(`after the UPDATE: ${after.price_cents} cents, served fresh within ${Date.now() - changedAt} ms`)
console.log(`feed: ${JSON.stringify({ changesApplied: feed.stats().changesApplied, lagBytes: feed.stats().lagBytes })}`)

server.close()
await feed.close()
cache.close()
await db.end()
