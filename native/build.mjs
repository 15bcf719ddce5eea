// Builds the native addon (npm run build:native, part of npm install / npm run build). With cargo on
// the machine: generates the layout constants, then `napi build --release --platform`, leaving
// native/cortado.<platform>.node. Without cargo: one line saying so, and success (the WebAssembly
// engine needs none of this; engine: 'auto' falls back to it).
import { execFileSync, spawnSync } from 'node:child_process'
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
const require = createRequire(import.meta.url)
const cli = join(dirname(require.resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js')
execFileSync(process.execPath, [cli, 'build', '--release', '--platform', '--no-js',
  '--config-path', 'napi.json', '--package-json-path', '../package.json'], { cwd: here, stdio: 'inherit' })
