/**
 * The one warning a cache gives when it refuses an entry for its size: set() returns false and
 * stats().oversized counts every refusal, but a user who never looks there deserves to hear it once.
 * The flag lives in the arena, so one warning per cache whichever thread hits it first.
 */
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'

export function warnOversized(v: ArenaViews, name: string | undefined, size: number, limit: number): void {
  if (Atomics.compareExchange(v.i32, L.ARENA_OVERSIZE_WARNED >>> 2, 0, 1) !== 0) return
  process.emitWarning(
    `cortado: cache${name ? ` '${name}'` : ''} refused an entry of ${size} bytes (header + key + value): ` +
    `its largest entry is ${limit} bytes (cache.geometry.maxEntryBytes). Pass maxEntrySize: ${size} (or more) to new Cache() ` +
    'to store entries this large. set() returns false and stats().oversized counts every such refusal; this warning is shown once per cache.',
    { code: 'CORTADO_OVERSIZED' })
}
