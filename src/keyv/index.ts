/**
 * `cortado/keyv`: a Keyv storage adapter over a Cortado cache, for Keyv, cache-manager (NestJS) and
 * cacheable. It imports nothing from keyv (an optional peer dependency): see docs/keyv.md.
 */
export { KeyvCortado } from './keyv-store.js'
export type { KeyvCortadoOpts } from './keyv-store.js'
