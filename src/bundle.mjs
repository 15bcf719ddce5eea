/**
 * Bundles the compiled entry points (dist/src, from tsc) into dist/bundle, which package.json's exports
 * point to. Why: Node's ESM loader pays per module (resolve, open, compile, link), and the package is
 * ~90 modules. A worker thread imports the package afresh, so a pool that recycles threads paid ~190 ms
 * per new thread on this host; the bundle (one file per entry point plus shared chunks) halves that.
 * Code splitting keeps one copy of each class across entry points, so a Cache from 'cortado' is the
 * same class 'cortado/tier' checks for. Dependencies stay external. Types stay in dist/src.
 */
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const exportsMap = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports

/** Every export's bundled file, and the tsc output it is built from (the same path under dist/src). */
const entryPoints = Object.values(exportsMap).map((target) => {
  const bundled = target.default
  if (!bundled.startsWith('./dist/bundle/')) throw new Error(`package.json export ${bundled} is not under ./dist/bundle/`)
  return { in: join(root, bundled.replace('./dist/bundle/', 'dist/src/')), out: bundled.slice('./dist/bundle/'.length, -'.js'.length) }
})

rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true })
await build({
  entryPoints,
  outdir: join(root, 'dist', 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
})
