/**
 * Handles: what crosses to another thread. A WebAssembly.Memory over a SharedArrayBuffer survives
 * structured cloning as the same memory; everything else in a handle is plain data. A handle that was
 * serialized to another process (or to JSON) arrives without a usable memory and is refused.
 */
import type { CacheHandle, CodecName } from './types.js'
import { CortadoError } from './errors.js'
import { wasmBuildId } from './engine/wasm/module.js'
import * as L from './layout/constants.generated.js'

export const HANDLE_VERSION = '1'

export interface WasmCacheHandle extends CacheHandle {
  readonly kind: 'cortado-cache'
  readonly version: string
  readonly engine: 'wasm'
  readonly memory: WebAssembly.Memory
  /** Built-in codec name, or null for a custom codec the attaching side must re-supply. */
  readonly codec: CodecName | null
  readonly name: string | undefined
  readonly ttl: number
  readonly pid: number
  readonly instanceId: number
  readonly buildId: number
}

export type HandleParts = Pick<WasmCacheHandle, 'memory' | 'codec' | 'name' | 'ttl' | 'instanceId' | 'buildId'>

export function makeHandle(parts: HandleParts): WasmCacheHandle {
  return {
    kind: 'cortado-cache', version: HANDLE_VERSION, engine: 'wasm', pid: process.pid,
    memory: parts.memory, codec: parts.codec, name: parts.name, ttl: parts.ttl,
    instanceId: parts.instanceId, buildId: parts.buildId,
  }
}

export function checkHandle(handle: unknown): WasmCacheHandle {
  const h = handle as Partial<WasmCacheHandle> | null
  if (typeof h !== 'object' || h === null || h.kind !== 'cortado-cache')
    throw new CortadoError('ERR_INVALID_HANDLE', 'not a Cortado cache handle (use cache.handle)')
  if (h.version !== HANDLE_VERSION || h.buildId !== wasmBuildId())
    throw new CortadoError('ERR_INVALID_HANDLE', 'this handle comes from another version of Cortado; load the same build in every thread')
  if (h.pid !== process.pid || !(h.memory instanceof WebAssembly.Memory))
    throw new CortadoError('ERR_INVALID_HANDLE',
      'this handle was sent to another process (a wasm cache is shared by the threads of one process; use the native engine with a path to share between processes)')
  const buffer = h.memory.buffer as unknown
  if (!(buffer instanceof SharedArrayBuffer))
    throw new CortadoError('ERR_INVALID_HANDLE', 'the handle\'s memory is not shared')
  if (buffer.byteLength < 1024 || new DataView(buffer).getUint32(L.ARENA_INSTANCE_ID, true) !== h.instanceId)
    throw new CortadoError('ERR_INVALID_HANDLE', 'the handle\'s memory holds no Cortado arena, or another one')
  return h as WasmCacheHandle
}
