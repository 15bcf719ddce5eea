// A node:cluster HTTP server whose workers share one cache: the native engine maps a file in /dev/shm,
// so a value one worker computed is a hit in every other worker, with no server in between.
// GET /square/<n> answers { n, square, computedBy, servedBy } (process ids).
// Run: node examples/cluster/server.mjs (needs the native addon: npm run build:native)
import cluster from 'node:cluster'
import http from 'node:http'
import { rmSync } from 'node:fs'
import { Cache, isCortadoError } from 'cortado'

const WORKERS = 2
const options = { engine: 'native', path: '/dev/shm/cortado-cluster-server', maxBytes: 64 << 20, codec: 'json' }

if (cluster.isPrimary) {
  rmSync(options.path, { force: true }) // start empty: a file left by an earlier run would be reopened as it is
  let cache
  try {
    cache = new Cache(options) // creates the file; every worker maps the same one
  } catch (err) {
    if (!isCortadoError(err, 'ERR_ENGINE_UNAVAILABLE')) throw err
    console.log(`skipped: the native engine is not built here (${err.message})`)
    process.exit(0)
  }
  for (let i = 0; i < WORKERS; i++) cluster.fork()
  let listening = 0
  cluster.on('listening', (_worker, address) => {
    if (++listening === WORKERS) console.log(`listening on http://127.0.0.1:${address.port} (${WORKERS} workers)`)
  })
  process.once('SIGTERM', () => {
    // Each worker closes its server and its cache; the primary lets go of the file after the last one.
    let running = WORKERS
    cluster.on('exit', () => {
      if (--running > 0) return
      cache.close()
      rmSync(options.path, { force: true })
    })
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM')
  })
} else {
  const cache = new Cache(options)
  const server = http.createServer((req, res) => {
    const n = /^\/square\/(\d+)$/.exec(req.url)?.[1]
    if (n === undefined) return res.writeHead(404).end()
    // A number of 5000 digits is a key over 4096 bytes: get() throws ERR_INVALID_KEY, which would end this worker.
    if (Buffer.byteLength(n) > 4000) return res.writeHead(400).end()
    let entry = cache.get(`square:${n}`)
    if (entry === undefined) {
      entry = { n: Number(n), square: Number(n) ** 2, computedBy: process.pid } // stands in for slow work
      cache.set(`square:${n}`, entry)
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...entry, servedBy: process.pid }))
  })
  // In a cluster every worker listens on the same port (PORT=0: one the primary picks).
  server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1')
  process.once('SIGTERM', () => server.close(() => {
    cache.close()
    process.disconnect() // the IPC channel to the primary is what would keep this worker alive
  }))
}
