/**
 * What the Cache holds of an arena once this thread is attached, whatever the engine: the call
 * protocol (exports + views + this thread's slot and scratch), where shard headers appear in the views,
 * how to wait for a busy shard if the engine waits its own way, a handle for other threads, detaching.
 */
import type { CacheHandle, CodecName } from '../types.js'
import type { Geometry } from '../layout/geometry.js'
import type { EngineProtocol } from './protocol.js'
import type { ArenaViews } from './views.js'
import type { SlotLease } from './slots.js'

/** What a handle carries besides the engine's own data. */
export interface HandleMeta {
  codec: CodecName | null
  name: string | undefined
  ttl: number
}

export interface EngineArena {
  exports: EngineProtocol
  views: ArenaViews
  slot: number
  /** This thread's hold on its slot (checked by every call: see src/engine/slots.ts). */
  lease: SlotLease
  scratchBase: number
  /** Where shard headers appear in `views` (a native arena larger than JS can view shows them in a window). */
  viewGeometry: Pick<Geometry, 'shardsOffset' | 'shardBytes'>
  /** The engine's own wait for a busy shard (the native engine waits in the addon); JS waits otherwise. */
  wait?: (shard: number, leaseMs: number) => void
  handle(meta: HandleMeta): CacheHandle
  detach(): void
}
