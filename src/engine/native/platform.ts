/**
 * Names of the native addon for this machine, as @napi-rs/cli names them: the platform triple
 * (`linux-x64-gnu`), the binary (`cortado.linux-x64-gnu.node`) and the npm package that ships it
 * prebuilt (`cortado-linux-x64-gnu`, an optional dependency of `cortado`). native/build.mjs imports
 * this module (compiled) too, so the build and the loader agree on the names.
 */

/** The C library's flavour on Linux (glibc or musl builds are not interchangeable). */
function linuxAbi(): 'gnu' | 'musl' {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined
  return report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'
}

/** `<platform>-<arch>[-<abi>]`, e.g. linux-x64-gnu, darwin-arm64, win32-x64-msvc. */
export function platformTriple(): string {
  const base = `${process.platform}-${process.arch}`
  if (process.platform === 'linux') return `${base}-${linuxAbi()}`
  if (process.platform === 'win32') return `${base}-msvc`
  return base
}

/** The addon's file name for a triple. */
export const addonFileName = (triple: string): string => `cortado.${triple}.node`

/** The npm package holding the prebuilt addon for a triple. */
export const platformPackageName = (triple: string): string => `cortado-${triple}`

/** The platform packages published with this version (package.json's napi.targets). */
export const PUBLISHED_TRIPLES: readonly string[] = ['linux-x64-gnu']
