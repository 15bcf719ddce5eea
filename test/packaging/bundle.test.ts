/**
 * package.json's exports point to dist/bundle (src/bundle.mjs: one file per entry point plus shared
 * chunks). The bundle must be the package tsc compiled: every entry point exports the same names as its
 * dist/src module, each class exists once across entry points (a CortadoError thrown through
 * 'cortado/disk' is the one 'cortado' exports), and a worker thread importing the package by name
 * attaches to a cache made in the main thread.
 */
import { describe, it, expect } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const exportsMap: Record<string, { default: string }> = manifest.exports
const built = existsSync(join(root, 'dist', 'bundle', 'index.js'))
if (!built) console.log('[packaging] bundle test skipped: the package is not built (npm run build)')

/** Runs an ES module in a child process from the project root, where 'cortado' resolves to itself. */
async function runModule(code: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: root, timeout: 30_000 })
  return stdout.trim()
}

describe.skipIf(!built)('the bundled entry points', () => {
  it('every export of package.json is bundled and exports what tsc compiled', async () => {
    expect(manifest.main).toBe(exportsMap['.'].default)
    for (const [subpath, target] of Object.entries(exportsMap)) {
      expect(target.default, subpath).toMatch(/^\.\/dist\/bundle\//)
      const bundled = await import(pathToFileURL(join(root, target.default)).href)
      const compiled = await import(pathToFileURL(join(root, target.default.replace('./dist/bundle/', 'dist/src/'))).href)
      expect(Object.keys(bundled).sort(), subpath).toEqual(Object.keys(compiled).sort())
    }
  })

  it('the root\'s static imports, chunks included, name no npm package (msgpackr loads lazily; optional peers only from their subpaths)', () => {
    const packagesImported = (file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> => {
      if (seen.has(file)) return found
      seen.add(file)
      for (const match of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^'"]*?['"]([^'"]+)['"]/gm)) {
        const specifier = match[1]
        if (specifier.startsWith('.')) packagesImported(join(dirname(file), specifier), seen, found)
        else if (!specifier.startsWith('node:')) found.add(specifier)
      }
      return found
    }
    expect([...packagesImported(join(root, exportsMap['.'].default))]).toEqual([])
    expect([...packagesImported(join(root, exportsMap['./cdc'].default))].sort()).toEqual(['pg', 'pg-logical-replication'])
  })

  it('a class is one class across entry points', async () => {
    const out = await runModule(`
      import { CortadoError, TieredCache, BloomFilter } from 'cortado'
      import { TieredCache as TierTieredCache } from 'cortado/tier'
      import { BloomFilter as BloomBloomFilter } from 'cortado/bloom'
      import { DiskCache } from 'cortado/disk'
      let sameError = false
      try { new DiskCache({ dir: '' }) } catch (error) { sameError = error instanceof CortadoError }
      console.log(JSON.stringify({ tier: TieredCache === TierTieredCache, bloom: BloomFilter === BloomBloomFilter, sameError }))
    `)
    expect(JSON.parse(out)).toEqual({ tier: true, bloom: true, sameError: true })
  })

  it('a worker thread imports the package by name and shares the main thread\'s cache', async () => {
    const out = await runModule(`
      import { Worker } from 'node:worker_threads'
      import { Cache } from 'cortado'
      const cache = new Cache({ maxBytes: 4 << 20 })
      cache.set('from-main', { n: 1 })
      const worker = new Worker(\`
        Promise.all([import('node:worker_threads'), import('cortado')]).then(([{ workerData, parentPort }, { Cache }]) => {
          const shared = Cache.attach(workerData)
          shared.set('from-worker', 'hello')
          parentPort.postMessage(shared.get('from-main'))
        })\`, { eval: true, workerData: cache.handle })
      const seen = await new Promise((resolve, reject) => { worker.on('message', resolve); worker.on('error', reject) })
      await worker.terminate()
      console.log(JSON.stringify({ seen, back: cache.get('from-worker') }))
      cache.close()
    `)
    expect(JSON.parse(out)).toEqual({ seen: { n: 1 }, back: 'hello' })
  })
})
