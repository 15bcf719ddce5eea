/**
 * What a new worker thread pays before its first get: spawn, import the package, make or attach a
 * cache, one set and one get. Pools that recycle threads pay it per thread. Side by side, alternating
 * rounds, medians: the package as users import it (package.json exports: the bundle), tsc's unbundled
 * output, and lru-cache as the peer.
 *
 *   npx tsx bench/arena/worker-start.ts [--rounds 15]
 */
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { median } from '../harness/stats.js'
import { PROJECT_ROOT } from '../harness/project.js'

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15
const make = {
  cortado: (specifier: string) => `const m = await import(${JSON.stringify(specifier)}); const c = new m.Cache({ maxBytes: 8 << 20 }); c.set('k', { id: 1 }); ok = c.get('k') !== undefined; c.close()`,
  lru: () => `const m = await import('lru-cache'); const c = new m.LRUCache({ max: 1000 }); c.set('k', { id: 1 }); ok = c.get('k') !== undefined`,
}
const contenders: [string, string][] = [
  ['cortado (package exports)', make.cortado('cortado')],
  ['cortado (tsc output, unbundled)', make.cortado(pathToFileURL(join(PROJECT_ROOT, 'dist', 'src', 'index.js')).href)],
  ['lru-cache', make.lru()],
]

/** Milliseconds from `new Worker` to the worker's first get answered. */
function startOnce(body: string): Promise<number> {
  const started = performance.now()
  // Evaluated as CommonJS from the project root, so 'cortado' resolves through package.json's exports.
  const code = `(async () => { let ok = false; ${body}; require('node:worker_threads').parentPort.postMessage(ok) })()`
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, execArgv: [] }) // not tsx's loader: users run plain node
    worker.once('message', (ok) => {
      const elapsed = performance.now() - started
      void worker.terminate()
      ok ? resolve(elapsed) : reject(new Error('the worker\'s get missed'))
    })
    worker.once('error', reject)
  })
}

const times = new Map(contenders.map(([name]) => [name, [] as number[]]))
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? contenders : [...contenders].reverse()
  for (const [name, body] of order) times.get(name)!.push(await startOnce(body))
}
const peer = median(times.get('lru-cache')!)
for (const [name, samples] of times) console.log(`${name.padEnd(34)} median ${median(samples).toFixed(1)} ms  (÷ lru-cache ${(median(samples) / peer).toFixed(2)}×)`)
