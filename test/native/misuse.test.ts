/**
 * The addon trusts nothing it is handed: engine calls with arguments no Cache would pass (shards out of
 * range, buffers outside the thread's scratch area, a commit without a reservation, an unlock by a
 * thread that holds nothing) throw CortadoError instead of touching memory they shouldn't. Also: the
 * addon was built from the same layout as the TypeScript side.
 */
import { describe, it, expect } from 'vitest'
import { Cache, CortadoError } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { nativeAddon } from '../../src/engine/native/load.js'
import { nativeBuilt } from '../conformance/engines.js'
import { engineInternals } from '../../src/engine/access.js'

describe.runIf(nativeBuilt)('native engine misuse', () => {
  it('was built from this layout', () => {
    expect(nativeAddon()!.layoutVersion).toBe(L.LAYOUT_VERSION)
    expect(nativeAddon()!.layoutDigest).toBe(L.LAYOUT_DIGEST)
  })

  it('bad engine calls throw CortadoError and leave the cache intact', () => {
    const cache = new Cache<string>({ engine: 'native', maxBytes: 4 << 20, shards: 2, codec: 'string' })
    cache.set('a', 'b')
    const { exports, scratch, geometry } = engineInternals(cache)
    const bad: [string, () => unknown][] = [
      ['shard out of range', () => exports.clear(2)],
      ['key longer than scratch', () => exports.get(1 << 20, -1, 0)],
      ['value beyond scratch', () => exports.set(4, geometry.scratchBytes, L.KIND_LATIN1, 0, -1)],
      ['commit without reserve', () => exports.setCommit(0)],
      ['unlock of a shard not held', () => exports.unlockShard(1)],
      ['batch input outside scratch', () => exports.getMany(4, 0, scratch + L.RESULT_SIZE, -1, 0)],
      ['batch output past scratch', () => exports.getMany(10_000, scratch + L.RESULT_SIZE, scratch + L.RESULT_SIZE, -1, 0)],
      ['listing more than scratch holds', () => exports.entries(0, 0, 10, 1 << 20, -1)],
    ]
    for (const [what, call] of bad) expect(call, what).toThrow(CortadoError)
    expect(cache.get('a')).toBe('b')
    expect(cache.verify()).toEqual([])
    cache.close()
    expect(() => exports.get(1, -1, 0)).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
  })

  it('a handle for a cache that no longer exists, or a forged one, is refused', () => {
    const cache = new Cache<string>({ engine: 'native', maxBytes: 4 << 20, codec: 'string' })
    const handle = cache.handle
    cache.close()
    expect(() => Cache.attach(handle)).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
    expect(() => Cache.attach({ ...handle, buildId: 1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HANDLE' }))
    expect(() => Cache.attach({ ...handle, id: 'x' as unknown as number })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HANDLE' }))
  })
})
