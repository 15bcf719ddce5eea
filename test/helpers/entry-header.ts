/**
 * An entry's header as the engine stores it, read through the engine's views: a lookup (a peek here) leaves
 * the entry's offset in RESULT. For tests of the policy's entry flags (ENTRY_FREE, ENTRY_UNASKED, ENTRY_TRACER).
 */
import { expect } from 'vitest'
import type { Cache } from '../../src/index.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'

/** The entry's flags byte (the key must be cached). */
export function flagsOf(cache: Cache<string>, key: string): number {
  expect(cache.peek(key), key).toBeDefined()
  const { views, scratch } = engineInternals(cache)
  const at = views.u32[(scratch + L.RESULT_ENTRY_OFFSET) >>> 2]!
  return views.u8[at + L.ENTRY_FLAGS]!
}

/** The queue a flags byte names (L.QUEUE_WINDOW, QUEUE_PROBATION, QUEUE_PROTECTED). */
export const queueOf = (flags: number): number => (flags & L.ENTRY_QUEUE_MASK) >>> L.ENTRY_QUEUE_SHIFT
