// A piscina pool that recycles idle workers, sharing one cache with maxThreads: 3 (main + 2 workers).
// Workers exit without close(); their slots are reclaimed by the next worker that attaches.
import { Piscina } from 'piscina'
import { Cache } from 'cortado'

const cache = new Cache({ maxBytes: 16 * 1024 * 1024, maxThreads: 3 })
const pool = new Piscina({
  filename: new URL('./production-pool-task.mjs', import.meta.url).href,
  workerData: { cache: cache.handle },
  minThreads: 0,
  maxThreads: 2,
  idleTimeout: 20, // ms: every pause below retires the pool's workers
})

const threads = new Set()
for (let burst = 0; burst < 5; burst++) {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run(i % 10)))
  for (const r of results) threads.add(r.threadId)
  await new Promise((resolve) => setTimeout(resolve, 150))
}
await pool.destroy()
const { hits, misses } = cache.stats()
console.log(`worker threads that ran: ${threads.size}, thread slots: ${cache.geometry.maxThreads}`)
console.log(`hits: ${hits}, misses: ${misses}`)
cache.close()
