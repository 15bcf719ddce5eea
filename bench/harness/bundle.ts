/**
 * Child processes as plain JavaScript. A service under test should carry what a production service
 * carries: under `--import tsx` every child also holds tsx's loader (a module-hooks thread with its own
 * V8 isolate, esbuild's transformer, source maps), which no deployed Node service has and which
 * dilutes the memory ratios. So the service suites' children run from one bundle per entry module,
 * made with esbuild (a dev dependency; src/bundle.mjs bundles the package with it) once per bench process: the
 * bench's modules and Cortado's TypeScript sources the entry imports go into one .mjs, npm packages
 * (lru-cache, autocannon, hdr-histogram-js, ...) stay imports resolved from node_modules, and the
 * native addon and the WebAssembly core are found on disk as they always are.
 *
 * Every `import.meta.url` in a bundled module is replaced by that module's own source URL, so paths
 * computed from it (the project root, dist/wasm, the native addon, sibling child modules) resolve as
 * they do under tsx. The bundle is written under node_modules/.cache (never committed), named by a
 * hash of its contents and moved into place atomically, so bench processes running at the same time
 * share it safely; bundles of the same entry made from older sources are removed after a day.
 * CORTADO_BENCH_TSX=1 runs the children under tsx instead (for comparison).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build as esbuild, type Loader, type Plugin } from 'esbuild'
import { PROJECT_ROOT } from './project.js'

export const BUNDLE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'cortado-bench')

/** `import.meta.url` in each project module becomes that module's own source URL (a string literal). */
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      const url = JSON.stringify(pathToFileURL(args.path).href)
      const contents = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, url)
      const loader: Loader = /ts$/.test(args.path) ? 'ts' : 'js'
      return { contents, loader }
    })
  },
}

/** Whether the service children run under tsx (CORTADO_BENCH_TSX=1) instead of from a bundle. */
export function childrenUnderTsx(): boolean {
  return process.env.CORTADO_BENCH_TSX === '1'
}

const bundles = new Map<string, Promise<URL>>()

/** The plain-JavaScript bundle of a TypeScript entry module: built on first use in this process. */
export function bundledEntry(entry: URL): Promise<URL> {
  let bundle = bundles.get(entry.href)
  if (!bundle) {
    bundle = buildBundle(entry)
    bundles.set(entry.href, bundle)
    // A failed build is not remembered: the next call tries again.
    bundle.catch(() => bundles.delete(entry.href))
  }
  return bundle
}

async function buildBundle(entry: URL): Promise<URL> {
  const result = await esbuild({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    // npm packages stay imports: node loads them from node_modules, as in a deployed service.
    packages: 'external',
    plugins: [sourceUrls],
    logLevel: 'silent',
    banner: { js: `// Bundled from ${basename(fileURLToPath(entry))} by bench/harness/bundle.ts; do not edit.` },
  })
  const text = result.outputFiles?.[0]?.text
  if (text === undefined) throw new Error(`esbuild produced no output for ${entry.pathname}`)
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16)
  const name = `${basename(fileURLToPath(entry)).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`
  mkdirSync(BUNDLE_DIR, { recursive: true })
  const file = join(BUNDLE_DIR, name)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
  pruneOldBundles(name)
  return pathToFileURL(file)
}

/** Bundles of the same entry made from older sources, a day old (never one another run may still fork). */
function pruneOldBundles(current: string): void {
  const prefix = current.slice(0, current.lastIndexOf('-') + 1)
  const dayAgo = Date.now() - 24 * 3600_000
  for (const other of readdirSync(BUNDLE_DIR)) {
    if (other === current || !other.startsWith(prefix) || !/^[0-9a-f]{16}\.mjs$/.test(other.slice(prefix.length))) continue
    const path = join(BUNDLE_DIR, other)
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { force: true })
    } catch {
      // Another bench process pruned it first.
    }
  }
}
