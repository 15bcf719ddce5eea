// Builds the WebAssembly core: generates the layout constants, then compiles assembly/ with asc into
// dist/wasm/cortado.wasm. The memory is imported and shared (every worker thread instantiates the
// module over the same SharedArrayBuffer); the stub runtime and no static data keep the module from
// ever writing outside the arena's own layout.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
execFileSync(process.execPath, [join(root, 'src/layout/generate.mjs')], { stdio: 'inherit' })
mkdirSync(join(root, 'dist/wasm'), { recursive: true })
const require = createRequire(import.meta.url)
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin/asc.js')
const debug = process.argv.includes('--debug')
execFileSync(process.execPath, [asc, 'assembly/index.ts',
  '--outFile', 'dist/wasm/cortado.wasm',
  '--textFile', 'dist/wasm/cortado.wat',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  '--runtime', 'stub', '--noExportMemory', '--enable', 'threads,simd', '--use', 'abort=',
  ...(debug ? ['--debug'] : ['-O3', '--noAssert', '--converge']),
], { cwd: root, stdio: 'inherit' })
const wat = readFileSync(join(root, 'dist/wasm/cortado.wat'), 'utf8')
// Active data segments would be re-applied by every instantiation, overwriting live arena bytes.
if (/\(data /.test(wat)) throw new Error('the wasm core must not contain data segments')
console.log('built dist/wasm/cortado.wasm')
