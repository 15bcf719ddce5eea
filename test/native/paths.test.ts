/**
 * Paths that can't hold this cache: another file, another layout version, another size or options →
 * a clear ERR_BAD_FILE and the file byte for byte untouched; no permission; more bytes than the
 * filesystem has free → ERR_CAPACITY and nothing left behind.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { writeFileSync, readFileSync, statSync, statfsSync, readdirSync, chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { nativeBuilt } from '../conformance/engines.js'
import { spawnChild, nextMessage, shmPath } from './helpers.js'

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe.runIf(nativeBuilt)('native cache paths', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const f of cleanups.splice(0)) f()
  })
  const fresh = (tag: string) => {
    const p = shmPath(tag)
    cleanups.push(p.cleanup)
    return p.path
  }
  const open = (path: string, maxBytes = 4 << 20, extra: object = {}) =>
    new Cache<string>({ engine: 'native', path, maxBytes, codec: 'string', ...extra })

  function expectUntouched(path: string, attempt: () => unknown, code: string, message: RegExp): void {
    const before = digest(path)
    const mtime = statSync(path).mtimeMs
    expect(attempt).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }))
    expect(digest(path)).toBe(before)
    expect(statSync(path).mtimeMs).toBe(mtime)
  }

  it('a file that holds something else', () => {
    const path = fresh('foreign')
    writeFileSync(path, Buffer.alloc(4 << 20, 0x5a))
    expectUntouched(path, () => open(path), 'ERR_BAD_FILE', /does not hold a Cortado cache.*untouched/)
    writeFileSync(path, 'tiny')
    expectUntouched(path, () => open(path), 'ERR_BAD_FILE', /too small/)
  })

  it('a cache of another layout version', () => {
    const path = fresh('version')
    open(path).close()
    const bytes = readFileSync(path)
    bytes.writeUInt32LE(L.LAYOUT_VERSION + 1, L.ARENA_LAYOUT_VERSION)
    writeFileSync(path, bytes)
    expectUntouched(path, () => open(path), 'ERR_BAD_FILE', new RegExp(`layout version ${L.LAYOUT_VERSION + 1}`))
  })

  it('a cache of another size, or made with other options', () => {
    const path = fresh('size')
    const first = open(path)
    first.set('kept', 'yes')
    first.close()
    expectUntouched(path, () => open(path, 8 << 20), 'ERR_BAD_FILE', /holds a cache of 4194304 bytes/)
    expectUntouched(path, () => open(path, 4 << 20, { shards: 4 }), 'ERR_BAD_FILE', /other options \(shardCount/)
    expectUntouched(path, () => open(path, 4 << 20, { policy: 'clock' }), 'ERR_BAD_FILE', /another policy/)
    const again = open(path)
    expect(again.get('kept')).toBe('yes')
    again.close()
  })

  it('a path in a directory that does not exist, and one without permission', async () => {
    expect(() => open('/dev/shm/no-such-dir/cache')).toThrow(expect.objectContaining({ code: 'ERR_BAD_FILE', message: expect.stringMatching(/no such file/) }))
    const dir = mkdtempSync('/dev/shm/cortado-perm-')
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const path = `${dir}/cache`
    open(path).close()
    chmodSync(path, 0o600)
    // Root ignores file modes: check as an unprivileged user when we are root, else as ourselves. The
    // child becomes that user itself once it has loaded everything (the fixture says why).
    const asRoot = process.getuid?.() === 0
    if (asRoot) chownSync(dir, 0, 0)
    else chmodSync(path, 0o000)
    const child = spawnChild('open-path.ts', asRoot ? [{ path, maxBytes: 4 << 20 }, { uid: 65534, gid: 65534 }] : [{ path, maxBytes: 4 << 20 }])
    const reply = await nextMessage<{ opened: boolean; code?: string; message?: string }>(child, () => true)
    expect(reply.opened).toBe(false)
    expect(reply.code).toBe('ERR_BAD_FILE')
    expect(reply.message).toMatch(/permission denied/)
  })

  it('maxBytes beyond the free space of the filesystem: ERR_CAPACITY, and nothing is left behind', () => {
    const path = fresh('space')
    const { bavail, bsize } = statfsSync('/dev/shm')
    const tooMuch = Math.ceil((bavail * bsize + (1 << 30)) / 65536) * 65536
    const before = readdirSync('/dev/shm').length
    expect(() => open(path, tooMuch)).toThrow(expect.objectContaining({ code: 'ERR_CAPACITY', message: expect.stringMatching(/free in \/dev\/shm/) }))
    expect(readdirSync('/dev/shm').length).toBe(before)
  })

  it('engine: \'wasm\' with a path is refused', () => {
    expect(() => new Cache({ engine: 'wasm', path: '/dev/shm/x', maxBytes: 4 << 20 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})
