// Builds the native addon (npm run build:native, part of npm install / npm run build). With cargo on
// the machine: generates the layout constants, then `napi build --release --platform`, leaving
// native/cortado.<platform>.node. Without cargo: one line saying so, and success (the WebAssembly
// engine needs none of this; engine: 'auto' falls back to it). Where @napi-rs/cli is not installed (a
// consumer's install, without devDependencies), cargo builds the library and it is copied under the
// same name.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')

const cargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' })
if (cargo.error || cargo.status !== 0) {
  console.log('cortado: cargo not found, skipping the native addon (the WebAssembly engine is unaffected)')
  process.exit(0)
}

execFileSync(process.execPath, [join(root, 'src/layout/generate.mjs')], { stdio: 'inherit' })

let cli
try {
  cli = join(dirname(createRequire(import.meta.url).resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js')
} catch {
  cli = undefined
}

if (cli) {
  // The CLI takes the binary's name from a config file: kept with the build products, not the sources.
  mkdirSync(join(here, 'target'), { recursive: true })
  writeFileSync(join(here, 'target', 'napi.json'), JSON.stringify({ binaryName: 'cortado' }))
  execFileSync(process.execPath, [cli, 'build', '--release', '--platform', '--no-js',
    '--config-path', 'target/napi.json', '--package-json-path', '../package.json'], { cwd: here, stdio: 'inherit' })
} else {
  execFileSync('cargo', ['build', '--release'], { cwd: here, stdio: 'inherit' })
  const abi = process.platform === 'linux' ? (process.report?.getReport().header.glibcVersionRuntime ? '-gnu' : '-musl') : ''
  const name = `cortado.${process.platform}-${process.arch}${abi}.node`
  copyFileSync(join(here, 'target', 'release', 'libcortado_native.so'), join(here, name))
  console.log(`cortado: built native/${name}`)
}
