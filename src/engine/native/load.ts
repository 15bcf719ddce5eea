/**
 * Finding and loading the native addon, once per thread, the way @napi-rs/cli's loaders do:
 *
 * 1. a local build: `npm run build:native` (cargo) leaves npm/<triple>/cortado.<triple>.node in the
 *    package's folder: the developer's checkout, or an installed package built from source;
 * 2. the prebuilt platform package `cortado-<triple>` (an optional dependency that npm installs only on
 *    the matching os/cpu/libc: no compiler, no install script).
 *
 * When neither loads, the native engine is unavailable and the reason says what was tried and how to
 * get one. CORTADO_NATIVE_ADDON overrides the search: a path to a .node file, or "off" to act as if
 * none was built (tests use it to check the fallback).
 */
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CortadoError } from '../../errors.js'
import * as L from '../../layout/constants.generated.js'
import type { NativeAddon } from './binding.js'
import { addonFileName, platformPackageName, platformTriple, PUBLISHED_TRIPLES } from './platform.js'

interface Loaded {
  addon: NativeAddon | undefined
  buildId: number
  file: string | undefined
  reason: string
}

let loaded: Loaded | undefined
const requireHere = createRequire(import.meta.url)

/** The package's own folder: the nearest ancestor holding native/Cargo.toml (from src/ or dist/src/). */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'native', 'Cargo.toml'))) return dir
    dir = dirname(dir)
  }
  return undefined
}

/** Where the addon may be, in order, each with a note for the reason when nothing loads. */
function candidates(triple: string): { file: string | undefined; note: string }[] {
  const root = packageRoot()
  const local = root && join(root, 'npm', triple, addonFileName(triple))
  const pkg = platformPackageName(triple)
  let prebuilt: string | undefined
  try {
    prebuilt = requireHere.resolve(pkg)
  } catch {
    prebuilt = undefined
  }
  const published = PUBLISHED_TRIPLES.includes(triple)
  return [
    { file: local && existsSync(local) ? local : undefined, note: 'no local build (`npm run build:native` needs cargo)' },
    {
      file: prebuilt,
      note: published
        ? `the prebuilt package ${pkg} is not installed (npm installs it as an optional dependency of cortado; was it omitted with --omit=optional or --no-optional?)`
        : `no prebuilt package is published for ${triple} (only for ${PUBLISHED_TRIPLES.join(', ')}): build it from source with cargo, see docs/install.md`,
    },
  ]
}

function loadFile(file: string): Loaded {
  try {
    const addon = requireHere(file) as NativeAddon
    if (addon.layoutVersion !== L.LAYOUT_VERSION || addon.layoutDigest !== L.LAYOUT_DIGEST)
      return { addon: undefined, buildId: 0, file, reason: `${file} was built for another memory layout (another version of cortado): rebuild it with \`npm run build:native\` or install the matching ${platformPackageName(platformTriple())}` }
    addon.setErrorClass(CortadoError as unknown as new (code: string, message: string) => Error)
    return { addon, buildId: (fnv1a(readFileSync(file)) ^ L.LAYOUT_DIGEST) >>> 0, file, reason: '' }
  } catch (err) {
    return { addon: undefined, buildId: 0, file, reason: `${file} could not be loaded: ${(err as Error).message}` }
  }
}

function load(): Loaded {
  const override = process.env.CORTADO_NATIVE_ADDON
  if (override === 'off') return { addon: undefined, buildId: 0, file: undefined, reason: 'disabled by CORTADO_NATIVE_ADDON=off' }
  if (override) return loadFile(override)
  const triple = platformTriple()
  const notes: string[] = []
  for (const { file, note } of candidates(triple)) {
    if (!file) {
      notes.push(note)
      continue
    }
    const result = loadFile(file)
    if (result.addon) return result
    notes.push(result.reason)
  }
  return { addon: undefined, buildId: 0, file: undefined, reason: `no native addon for ${triple}: ${notes.join('; ')}` }
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

/** The file the addon was loaded from (undefined when unavailable): tests and diagnostics. */
export function nativeAddonFile(): string | undefined {
  nativeAddon()
  return loaded!.file
}

/** Identifies this build of the addon: processes sharing an arena file must all run the same one. */
export function nativeBuildId(): number {
  nativeAddon()
  return loaded!.buildId
}
