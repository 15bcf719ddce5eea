/**
 * The engines every conformance case runs against: WebAssembly always, native when its addon is built.
 * A missing addon skips the native runs, loudly (CI has cargo, so there they always run).
 */
import { describe } from 'vitest'
import { Cache, type CacheOptions } from '../../src/index.js'
import { nativeAddon, nativeUnavailableReason } from '../../src/engine/native/load.js'

export type Engine = 'wasm' | 'native'

export const nativeBuilt = nativeAddon() !== undefined

let warned = false
function warnOnce(): void {
  if (nativeBuilt || warned) return
  warned = true
  console.warn(
    '\n' + '!'.repeat(100) + '\n' +
    `!!! NATIVE ENGINE NOT TESTED: ${nativeUnavailableReason()}\n` +
    '!!! The conformance suite ran against the WebAssembly engine only. Build the addon: npm run build:native\n' +
    '!'.repeat(100) + '\n',
  )
}

export const ENGINES: Engine[] = ['wasm', 'native']

/** describe() once per engine; the native one is skipped (with a warning) when the addon is absent. */
export function forEachEngine(name: string, body: (engine: Engine) => void): void {
  warnOnce()
  for (const engine of ENGINES) {
    const run = engine === 'native' && !nativeBuilt ? describe.skip : describe
    run(`${name} [${engine}]`, () => body(engine))
  }
}

/** A cache on the given engine. */
export function makeCache<V>(engine: Engine, options: CacheOptions<V>): Cache<V> {
  return new Cache<V>({ ...options, engine })
}
