// Builds the native addon (npm run build:native, part of npm run build) into the platform package's
// folder, in @napi-rs/cli's layout: npm/<triple>/cortado.<triple>.node beside npm/<triple>/package.json
// (committed for the published targets, package.json's napi.targets). That folder is what gets packed
// and published as `cortado-<triple>`; the loader (src/engine/native/load.ts) also finds it there as
// the local build. Without cargo: one line saying so, and success (the WebAssembly engine needs none
// of this). Where @napi-rs/cli is not installed (building from source inside an installed cortado,
// without devDependencies), cargo builds the library and it is copied under the same name.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')

const cargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' })
if (cargo.error || cargo.status !== 0) {
  console.log('cortado: cargo not found, skipping the native addon (the WebAssembly engine is unaffected)')
  process.exit(0)
}

// The names come from the compiled loader's module (npm run build compiles TypeScript first; an
// installed package ships dist/).
const { platformTriple, addonFileName } = await import(pathToFileURL(join(root, 'dist/src/engine/native/platform.js')).href)
const triple = platformTriple()
const outDir = join(root, 'npm', triple)
const fileName = addonFileName(triple)
mkdirSync(outDir, { recursive: true })

// Builds before this layout left the addon in native/: remove it so nothing stale lies around.
for (const f of readdirSync(here)) if (f.startsWith('cortado.') && f.endsWith('.node')) rmSync(join(here, f))

execFileSync(process.execPath, [join(root, 'src/layout/generate.mjs')], { stdio: 'inherit' })

let cli
try {
  cli = join(dirname(createRequire(import.meta.url).resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js')
} catch {
  cli = undefined
}

if (cli) {
  // The CLI reads binaryName and targets from package.json's "napi" field.
  execFileSync(process.execPath, [cli, 'build', '--release', '--platform', '--no-js',
    '--package-json-path', '../package.json', '--output-dir', outDir], { cwd: here, stdio: 'inherit' })
} else {
  execFileSync('cargo', ['build', '--release'], { cwd: here, stdio: 'inherit' })
  const lib = { darwin: 'libcortado_native.dylib', win32: 'cortado_native.dll' }[process.platform] ?? 'libcortado_native.so'
  copyFileSync(join(here, 'target', 'release', lib), join(outDir, fileName))
}
console.log(`cortado: built npm/${triple}/${fileName}`)
