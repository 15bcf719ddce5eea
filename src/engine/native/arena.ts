/**
 * Native arenas: memory the addon maps (anonymous, or a file several processes share), laid out and
 * headed exactly like a WebAssembly arena. The creator computes the geometry (src/layout/geometry.ts),
 * writes the header with the WebAssembly engine's own writer and has the addon format the shards; a
 * process that finds the file already there validates its header against what it asked for and
 * changes nothing when they disagree.
 */
import * as L from '../../layout/constants.generated.js'
import { computeGeometry, type Geometry, type GeometryInput } from '../../layout/geometry.js'
import { CortadoError } from '../../errors.js'
import { writeHeader, readGeometry, tooManyThreads } from '../wasm/arena.js'
import { claimSlot } from '../slots.js'
import { makeViews, type ArenaViews } from '../views.js'
import { requireNativeAddon, nativeBuildId } from './load.js'
import { NativeExports } from './exports.js'
import type { NativeAddon, NativeContext } from './binding.js'
import { HANDLE_VERSION } from '../../handle.js'
import type { EngineArena, HandleMeta } from '../attached.js'
import type { CacheHandle, CodecName } from '../../types.js'

/** The largest native arena (256 shards just under 4 GiB each). */
export const NATIVE_MAX_BYTES = 2 ** 40
/** Shard-relative offsets are u32: a shard stays below 4 GiB. */
const SHARD_LIMIT = 2 ** 32 - 2 ** 20
export interface NativeArenaInfo {
  id: number
  path: string | undefined
  instanceId: number
}

export interface AttachedNativeArena extends NativeArenaInfo, EngineArena {
  ctx: NativeContext
  exports: NativeExports
  /** The arena's geometry. */
  geometry: Geometry
  /** The same, with shardsOffset/shardBytes telling where shard headers appear in `views`. */
  viewGeometry: Geometry
}

/** Geometry for a native arena: the WebAssembly engine's, with shards kept below 4 GiB. */
export function nativeGeometry(input: GeometryInput): Geometry {
  const limited = { ...input, limitBytes: NATIVE_MAX_BYTES }
  let g = computeGeometry(limited)
  if (g.shardBytes >= SHARD_LIMIT) {
    if (input.shards !== undefined)
      throw new CortadoError('ERR_INVALID_OPTION',
        `shards: ${input.shards} shards of ${input.maxBytes} bytes are ${g.shardBytes} bytes each; a shard must stay below 4 GiB`)
    g = computeGeometry({ ...limited, shards: 2 ** Math.ceil(Math.log2(g.memBytes / SHARD_LIMIT)) })
  }
  // Beyond what one ArrayBuffer can view, JS sees the arena through a window (native/src/view.rs), and
  // values larger than a segment are copied straight between their chain and JS's own buffers: the
  // window sets no limit on entries. (No JS value is larger than 4 GiB, buffer.constants.MAX_LENGTH on
  // Node 20, and an entry's length is a u32: largestEntry stops at 4 GiB - 1.)
  return g
}

export interface CreateNativeOptions {
  path: string | undefined
  geometry: Geometry
  policy: number
  seed: number
}

/** Creates (or, for a path that already holds one, opens and validates) a native arena. */
export function openNativeArena(o: CreateNativeOptions): NativeArenaInfo {
  const addon = requireNativeAddon()
  const g = o.geometry
  if (o.path === undefined) {
    const id = addon.openAnonymous(g.memBytes)
    return { id, path: undefined, instanceId: format(addon, id, o) }
  }
  if (typeof o.path !== 'string' || o.path === '') throw new CortadoError('ERR_INVALID_OPTION', 'path must be a non-empty string')
  // A lost creation race (another process published the file first) sends us round again to open it.
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = addon.openFile(o.path, g.memBytes)
    if (r.created) {
      let instanceId: number
      try {
        instanceId = format(addon, r.id, o)
      } catch (err) {
        addon.discard(r.id)
        throw err
      }
      if (addon.publish(r.id)) return { id: r.id, path: o.path, instanceId }
      continue
    }
    try {
      return { id: r.id, path: o.path, instanceId: validate(addon, r.id, r.bytes, o) }
    } catch (err) {
      addon.discard(r.id)
      throw err
    }
  }
  throw new CortadoError('ERR_BAD_FILE', `${o.path}: could not create or open it (it keeps being replaced)`)
}

function format(addon: NativeAddon, id: number, o: CreateNativeOptions): number {
  const views = makeViews(addon.header(id))
  writeHeader(views, { geometry: o.geometry, policy: o.policy, seed: o.seed, buildId: nativeBuildId() })
  addon.format(id)
  return views.dv.getUint32(L.ARENA_INSTANCE_ID, true)
}

/** Checks that an existing file holds the cache these options describe; reads only. */
function validate(addon: NativeAddon, id: number, fileBytes: number, o: CreateNativeOptions): number {
  const views = makeViews(addon.header(id))
  const dv = views.dv
  const path = o.path!
  const bad = (why: string) => new CortadoError('ERR_BAD_FILE', `${path} ${why}; it was left untouched`)
  if (dv.getUint32(L.ARENA_MAGIC, true) !== L.MAGIC) throw bad('does not hold a Cortado cache')
  const version = dv.getUint32(L.ARENA_LAYOUT_VERSION, true)
  if (version !== L.LAYOUT_VERSION)
    throw bad(`holds a cache of memory layout version ${version}; this Cortado uses version ${L.LAYOUT_VERSION}`)
  if (dv.getUint32(L.ARENA_BUILD_ID, true) !== nativeBuildId())
    throw bad('was created by another build of Cortado\'s native engine; every process sharing it must run the same build')
  const found = readGeometry(views)
  const want = o.geometry
  if (found.memBytes !== fileBytes)
    throw bad(`is ${fileBytes} bytes long but its header says ${found.memBytes}: it is truncated or was resized`)
  if (found.memBytes !== want.memBytes)
    throw bad(`holds a cache of ${found.memBytes} bytes; these options ask for ${want.memBytes} (maxBytes ${o.geometry.memBytes})`)
  const policy = dv.getUint32(L.ARENA_POLICY, true)
  if (policy !== o.policy) throw bad(`holds a cache with another policy (${policy}, asked for ${o.policy})`)
  for (const field of ['shardCount', 'maxThreads', 'segBytes', 'segCount', 'indexBuckets', 'maxEntriesTotal', 'maxEntryBytes', 'shardsOffset', 'shardBytes'] as const)
    if (found[field] !== want[field]) throw bad(`was created with other options (${field} ${found[field]}, these options give ${want[field]})`)
  return dv.getUint32(L.ARENA_INSTANCE_ID, true)
}

/** Attaches this thread to a native arena of this process. */
export function attachNativeArena(info: NativeArenaInfo, clock: () => number): AttachedNativeArena {
  const addon = requireNativeAddon()
  const ctx = addon.context(info.id)
  const exports = new NativeExports(ctx, clock)
  const views = makeViews(ctx.buffer)
  const geometry = readGeometry(views)
  const lease = claimSlot({
    views, threadsOffset: geometry.threadsOffset, maxThreads: geometry.maxThreads, shardCount: geometry.shardCount,
    shardsOffset: ctx.viewShardsOffset, shardBytes: ctx.viewShardBytes,
    pidOf: (token) => token === process.pid ? undefined : token,
    claim: (id) => exports.attach(0, id),
    reclaim: (slot, id) => exports.reclaim(slot, id) !== 0,
  })
  if (lease === undefined) {
    exports.detach()
    throw tooManyThreads(geometry.maxThreads)
  }
  const slot = lease.slot
  const scratchBase = geometry.scratchOffset + slot * geometry.scratchBytes
  const viewGeometry = { ...geometry, shardsOffset: ctx.viewShardsOffset, shardBytes: ctx.viewShardBytes }
  const arena: AttachedNativeArena = {
    ...info, ctx, exports, views, slot, lease, scratchBase, geometry, viewGeometry,
    wait: (shard, leaseMs) => exports.wait(shard, leaseMs),
    handle: (meta) => makeNativeHandle(arena, meta),
    // An anonymous arena's memory is given back when its last thread leaves.
    detach: () => {
      lease.end()
      exports.detach()
    },
  }
  return arena
}

/** Re-attaches by handle: the same mapping in this process, or the same file from another one. */
export function reopenNativeArena(h: NativeCacheHandle): NativeArenaInfo {
  const addon = requireNativeAddon()
  if (h.pid === process.pid) {
    try {
      const views = makeViews(addon.header(h.id))
      if (views.dv.getUint32(L.ARENA_INSTANCE_ID, true) === h.instanceId) return { id: h.id, path: h.path, instanceId: h.instanceId }
    } catch (err) {
      if (h.path === undefined) throw err
    }
  }
  if (h.path === undefined)
    throw new CortadoError('ERR_INVALID_HANDLE',
      'this handle was sent to another process, and its cache is anonymous memory of the process that created it; give the cache a path to share it between processes')
  const r = addon.openFile(h.path, h.memBytes)
  const fail = (why: string): never => {
    addon.discard(r.id)
    throw new CortadoError('ERR_INVALID_HANDLE', `${h.path}: ${why}`)
  }
  if (r.created) fail('the cache this handle refers to no longer exists')
  const dv = makeViews(addon.header(r.id)).dv
  if (dv.getUint32(L.ARENA_MAGIC, true) !== L.MAGIC || dv.getUint32(L.ARENA_INSTANCE_ID, true) !== h.instanceId)
    fail('the file now holds another cache than the one this handle refers to')
  return { id: r.id, path: h.path, instanceId: h.instanceId }
}


export interface NativeCacheHandle extends CacheHandle {
  readonly kind: 'cortado-cache'
  readonly version: string
  readonly engine: 'native'
  readonly id: number
  readonly path: string | undefined
  readonly memBytes: number
  readonly pid: number
  readonly instanceId: number
  readonly buildId: number
  readonly codec: CodecName | null
  readonly name: string | undefined
  readonly ttl: number
}

/** A structured-cloneable handle: the same mapping in this process's threads, the same file elsewhere. */
function makeNativeHandle(arena: AttachedNativeArena, parts: HandleMeta): NativeCacheHandle {
  return {
    kind: 'cortado-cache', version: HANDLE_VERSION, engine: 'native', id: arena.id, path: arena.path,
    memBytes: arena.geometry.memBytes, pid: process.pid, instanceId: arena.instanceId, buildId: nativeBuildId(),
    codec: parts.codec, name: parts.name, ttl: parts.ttl,
  }
}

/** The handle as a native one, or undefined when it is not one (then it is checked as a wasm handle). */
export function checkNativeHandle(handle: unknown): NativeCacheHandle | undefined {
  const h = handle as Partial<NativeCacheHandle> | null
  if (typeof h !== 'object' || h === null || h.kind !== 'cortado-cache' || h.engine !== 'native') return undefined
  requireNativeAddon()
  if (h.version !== HANDLE_VERSION || h.buildId !== nativeBuildId())
    throw new CortadoError('ERR_INVALID_HANDLE', 'this handle comes from another version of Cortado; load the same build in every thread and process')
  if (typeof h.id !== 'number' || typeof h.pid !== 'number' || typeof h.memBytes !== 'number' || typeof h.instanceId !== 'number')
    throw new CortadoError('ERR_INVALID_HANDLE', 'not a Cortado cache handle (use cache.handle)')
  return h as NativeCacheHandle
}
