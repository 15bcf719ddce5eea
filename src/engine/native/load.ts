/**
 * Finding and loading the native addon, once per thread. `npm run build:native` leaves it in native/
 * as cortado.<platform>-<arch>-<abi>.node (@napi-rs/cli's naming); it is absent when cargo was not
 * available at install time, and then the native engine is simply unavailable (with the reason).
 *
 * CORTADO_NATIVE_ADDON overrides the search: a path to a .node file, or "off" to act as if none was
 * built (tests use it to check the fallback).
 */
import { createRequire } from 'node:module'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoError } from '../../errors.js'
import * as L from '../../layout/constants.generated.js'
import type { NativeAddon } from './binding.js'

interface Loaded {
  addon: NativeAddon | undefined
  buildId: number
  file: string | undefined
  reason: string
}

let loaded: Loaded | undefined

/** The addon file for this platform in the nearest ancestor's native/ directory (src/ or dist/src/). */
function findAddon(): string | undefined {
  const prefix = `cortado.${process.platform}-${process.arch}`
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const native = join(dir, 'native')
    if (existsSync(join(native, 'Cargo.toml'))) {
      const files = readdirSync(native).filter((f) => f.startsWith(prefix) && f.endsWith('.node')).sort()
      return files.length > 0 ? join(native, files.find((f) => f.includes('-gnu')) ?? files[0]) : undefined
    }
    dir = dirname(dir)
  }
  return undefined
}

function load(): Loaded {
  const override = process.env.CORTADO_NATIVE_ADDON
  if (override === 'off') return { addon: undefined, buildId: 0, file: undefined, reason: 'disabled by CORTADO_NATIVE_ADDON=off' }
  const file = override || findAddon()
  if (!file)
    return { addon: undefined, buildId: 0, file, reason: 'the native addon was not built (it needs cargo at install time: run `npm run build:native`)' }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon
    if (addon.layoutVersion !== L.LAYOUT_VERSION || addon.layoutDigest !== L.LAYOUT_DIGEST)
      return { addon: undefined, buildId: 0, file, reason: `${file} was built for another memory layout: rebuild it with \`npm run build:native\`` }
    addon.setErrorClass(CortadoError as unknown as new (code: string, message: string) => Error)
    return { addon, buildId: (fnv1a(readFileSync(file)) ^ L.LAYOUT_DIGEST) >>> 0, file, reason: '' }
  } catch (err) {
    return { addon: undefined, buildId: 0, file, reason: `${file} could not be loaded: ${(err as Error).message}` }
  }
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  return h >>> 0
}

/** The addon, or undefined when it is not available here. */
export function nativeAddon(): NativeAddon | undefined {
  loaded ??= load()
  return loaded.addon
}

/** The addon, or ERR_ENGINE_UNAVAILABLE saying why not. */
export function requireNativeAddon(): NativeAddon {
  const addon = nativeAddon()
  if (!addon) throw new CortadoError('ERR_ENGINE_UNAVAILABLE', `the native engine is not available: ${loaded!.reason}`)
  return addon
}

/** Why the addon is unavailable ('' when it is available). */
export function nativeUnavailableReason(): string {
  nativeAddon()
  return loaded!.reason
}

/** Identifies this build of the addon: processes sharing an arena file must all run the same one. */
export function nativeBuildId(): number {
  nativeAddon()
  return loaded!.buildId
}
