/**
 * Installing Cortado as a user does: `npm pack` the main package and this machine's platform package
 * (npm/<triple>, @napi-rs/cli's layout), `npm install` both tarballs into an empty project with cargo
 * off the PATH, and use it there: both engines, the keyv entry point, ESM import and CommonJS require,
 * and `tsc` over a consumer file importing every entry point. Skipped (saying why) when the native
 * addon is not built here. Dependencies of the tarballs (msgpackr, and the peers the consumer brings)
 * come from npm's cache, or the registry when the cache lacks them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addonFileName, platformPackageName, platformTriple, PUBLISHED_TRIPLES } from '../../src/engine/native/platform.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const consumerSources = fileURLToPath(new URL('./consumer', import.meta.url))
const triple = platformTriple()
const platformDir = join(root, 'npm', triple)
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'))
const mainPackage = readJson(join(root, 'package.json'))

function skipReason(): string | undefined {
  if (!existsSync(join(platformDir, 'package.json'))) return `no platform package is published for ${triple}`
  if (!existsSync(join(platformDir, addonFileName(triple)))) return `the native addon is not built (npm/${triple}/${addonFileName(triple)}; npm run build:native needs cargo)`
  if (!existsSync(join(root, 'dist', 'wasm', 'cortado.wasm'))) return 'the package is not built (npm run build)'
  return undefined
}
const skip = skipReason()
if (skip) console.log(`[packaging] install test skipped: ${skip}`)

/** PATH without any directory holding cargo or rustc: the install must not need a Rust toolchain. */
function pathWithoutRust(): string {
  return (process.env.PATH ?? '').split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'cargo')) && !existsSync(join(dir, 'rustc'))).join(delimiter)
}

/** A dev dependency's installed version, so npm finds the same one in its cache. */
const installedVersion = (name: string): string => readJson(join(root, 'node_modules', name, 'package.json')).version

describe.skipIf(skip !== undefined)('installing the packed packages', () => {
  let dir = ''
  let project = ''
  // The user's environment, not the one `npm test` runs this in: no npm_* settings of this project's
  // npm process (its prefix, its package), no addon override, no Rust on the PATH.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD' && name !== 'CORTADO_NATIVE_ADDON'))
  env.PATH = pathWithoutRust()
  env.npm_config_update_notifier = 'false'
  const run = (cmd: string, args: string[], cwd = project) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const pack = async (cwd: string): Promise<{ filename: string; files: { path: string }[] }> => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd, env, encoding: 'utf8' })
    return JSON.parse(stdout)[0]
  }
  let mainFiles: string[] = []
  let platformFiles: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cortado-pack-'))
    project = join(dir, 'consumer')
    cpSync(consumerSources, project, { recursive: true })
    expect(() => run('cargo', ['--version'])).toThrow()
    const [main, platform] = await Promise.all([pack(root), pack(platformDir)])
    mainFiles = main.files.map((f) => f.path)
    platformFiles = platform.files.map((f) => f.path)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }))
    const peers = ['keyv', 'prom-client', '@opentelemetry/api', '@types/node'].map((p) => `${p}@${installedVersion(p)}`)
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error',
      join(dir, main.filename), join(dir, platform.filename), ...peers])
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('the tarballs: the main one holds the WebAssembly core and no binary, the platform one only the addon', () => {
    expect(mainFiles).toContain('dist/wasm/cortado.wasm')
    expect(mainFiles).not.toContain('dist/wasm/cortado.wat')
    expect(mainFiles.filter((f) => f.endsWith('.node'))).toEqual([])
    expect(platformFiles.sort()).toEqual([addonFileName(triple), 'README.md', 'package.json'].sort())
  })

  it('versions agree and nothing runs at install time', () => {
    const platform = readJson(join(platformDir, 'package.json'))
    expect(platform.name).toBe(platformPackageName(triple))
    expect(platform.version).toBe(mainPackage.version)
    expect(mainPackage.optionalDependencies[platform.name]).toBe(mainPackage.version)
    expect(PUBLISHED_TRIPLES).toContain(triple)
    for (const pkg of ['cortado', platform.name]) {
      const scripts = readJson(join(project, 'node_modules', pkg, 'package.json')).scripts ?? {}
      for (const hook of ['preinstall', 'install', 'postinstall']) expect(scripts[hook]).toBeUndefined()
    }
    expect(existsSync(join(project, 'node_modules', 'cortado', 'npm'))).toBe(false)
  })

  it('both engines and cortado/keyv work from an ESM import; the native engine comes from the platform package', () => {
    const report = JSON.parse(run(process.execPath, ['run.mjs']))
    expect(report.wasm).toEqual({ ok: true, value: { engine: 'wasm' } })
    expect(report.native).toEqual({ ok: true, value: { engine: 'native' } })
    expect(report.keyv).toEqual({ id: 1 })
  })

  it('CommonJS require works through Node\'s require(esm), or fails with ERR_REQUIRE_ESM where Node has none', () => {
    const report = JSON.parse(run(process.execPath, ['run.cjs']))
    if (report.requireModule) expect(report).toMatchObject({ ok: true, value: 'from require', adapter: 'function' })
    else expect(report).toMatchObject({ ok: false, code: 'ERR_REQUIRE_ESM' })
  })

  it('tsc accepts a consumer of every entry point (cortado, /prometheus, /otel, /keyv)', () => {
    // skipLibCheck as `tsc --init` sets it: the root entry's declarations name ioredis and memjs (optional
    // peers this consumer does not install).
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
      files: ['types.ts'],
    }))
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    let output = ''
    try {
      output = run(process.execPath, [tsc, '-p', 'tsconfig.json'])
    } catch (err) {
      output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`
    }
    expect(output).toBe('')
  })

  it('without the platform package, the native engine says what is missing (ERR_ENGINE_UNAVAILABLE)', () => {
    const installed = join(project, 'node_modules', platformPackageName(triple))
    expect(statSync(installed).isDirectory()).toBe(true)
    rmSync(installed, { recursive: true })
    const report = JSON.parse(run(process.execPath, ['run.mjs']))
    expect(report.wasm.ok).toBe(true)
    expect(report.native).toMatchObject({ ok: false, code: 'ERR_ENGINE_UNAVAILABLE' })
    expect(report.native.message).toContain(`${platformPackageName(triple)} is not installed`)
  })
})
