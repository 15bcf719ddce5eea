// Two node:cluster workers share one cache through a file in /dev/shm: what one process stores, the
// other reads, with no server in between.
import cluster from 'node:cluster'
import { rmSync } from 'node:fs'
import { Cache } from 'cortado'

const path = '/dev/shm/cortado-cluster-example'
const options = { engine: 'native', path, maxBytes: 64 * 1024 * 1024, codec: 'json' }

if (cluster.isPrimary) {
  rmSync(path, { force: true }) // start empty: a file left by an earlier run would be reopened as it is
  const cache = new Cache(options) // creates the file; every worker maps the same one
  const workers = [cluster.fork(), cluster.fork()]
  const reports = await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))))
  for (const report of reports) console.log(report)
  console.log(`entries: ${cache.size}, hits in both workers together: ${cache.stats().hits}`)
  for (const w of workers) w.kill()
  cache.close()
  rmSync(path)
} else {
  const cache = new Cache(options)
  const me = cluster.worker.id
  // Each worker computes half of the squares (odd or even n) and stores them...
  for (let n = me % 2; n < 100; n += 2) cache.set(`square:${n}`, { n, square: n * n, by: me })
  // ...then reads all 100, half of them computed by the other process.
  while (cache.size < 100) await new Promise((resolve) => setTimeout(resolve, 5))
  let fromOther = 0
  for (let n = 0; n < 100; n++) if (cache.get(`square:${n}`).by !== me) fromOther++
  process.send(`worker ${me}: read 100 squares, ${fromOther} of them computed by the other process`)
  cache.close()
}
