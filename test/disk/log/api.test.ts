import { afterAll, describe, expect, it } from 'vitest'
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { LogStore } from '../../../src/disk/index.js'
import { isCortadoError } from '../../../src/errors.js'
import { removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

describe('LogStore API', () => {
  it('stores, reads, overwrites and deletes values of every codec kind, and keeps them across a reopen', async () => {
    const dir = tempDir()
    const store = await LogStore.open<unknown>(dir, { sync: 'none' })
    const values: Record<string, unknown> = {
      ascii: 'hello', utf8: 'héllo ☕', lone: 'a\uD800b', number: 3.25, bytes: new Uint8Array([1, 2, 3]),
      buffer: Buffer.from('raw'), object: { a: [1, 2, { b: 'c' }], d: new Date(5) }, big: 'x'.repeat(600_000),
      'ключ': 'non-ASCII key',
    }
    for (const [k, v] of Object.entries(values)) await store.put(k, v)
    for (const [k, v] of Object.entries(values)) {
      expect(store.getSync(k)).toEqual(v)
      expect(await store.get(k)).toEqual(v)
      expect(await store.has(k)).toBe(true)
    }
    expect(store.size).toBe(Object.keys(values).length)
    await store.put('ascii', 'again')
    expect(store.getSync('ascii')).toBe('again')
    expect(await store.delete('number')).toBe(true)
    expect(await store.delete('number')).toBe(false)
    expect(store.getSync('number')).toBeUndefined()
    expect(await store.has('number')).toBe(false)
    expect(store.getSync('never')).toBeUndefined()
    await store.close()

    const again = await LogStore.open<unknown>(dir)
    const seen = new Map<string, unknown>()
    for await (const [k, v] of again.entries()) seen.set(k, v)
    const expected = new Map(Object.entries({ ...values, ascii: 'again' }))
    expected.delete('number')
    expect(seen).toEqual(expected)
    expect([...again.keys()].sort()).toEqual([...expected.keys()].sort())
    expect(again.stats().recovery.fromSnapshot).toBe(true)
    await again.close()
  })

  it('rotates segments at maxFileBytes and reads from every one of them', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', maxFileBytes: 4096, autoCompact: false })
    for (let i = 0; i < 400; i++) await store.put(`key-${i}`, `value-${i}`.padEnd(50, '.'))
    expect(store.stats().files).toBeGreaterThan(5)
    for (let i = 0; i < 400; i++) expect(store.getSync(`key-${i}`)).toBe(`value-${i}`.padEnd(50, '.'))
    await store.close()
    expect(readdirSync(dir).filter((n) => n.endsWith('.log')).length).toBeGreaterThan(5)
  })

  it('expires entries by their TTL, also across a reopen, and counts them', async () => {
    const dir = tempDir()
    let now = 1_000_000
    const clock = () => now
    const store = await LogStore.open<string>(dir, { sync: 'none', clock })
    await store.put('short', 'a', { ttl: 100 })
    await store.put('long', 'b', { ttl: 10_000 })
    await store.put('forever', 'c')
    await store.put('later', 'd', { ttl: 1_000_000 })
    expect(store.getEntry('short')).toEqual({ value: 'a', expiresAt: 1_000_100 })
    now += 101
    expect(store.getSync('short')).toBeUndefined()
    expect(store.getSync('long')).toBe('b')
    expect(store.stats().expired).toBe(1)
    await store.close()
    // Replay (not the index snapshot of the clean close) is what drops expired records while opening.
    rmSync(join(dir, 'INDEX'))
    now += 10_000
    const again = await LogStore.open<string>(dir, { clock })
    expect(again.getSync('long')).toBeUndefined()
    expect(again.getSync('forever')).toBe('c')
    // A live TTL comes back from the hint with its expiry.
    expect(again.stats().recovery.segmentsFromHints).toBeGreaterThan(0)
    expect(again.getEntry('later')).toEqual({ value: 'd', expiresAt: 2_000_000 })
    expect(again.size).toBe(2)
    // Both short TTL records are past their expiry now: dropped while opening.
    expect(again.stats().recovery.expired).toBe(2)
    await again.close()
  })

  it('refuses bad keys, bad TTLs and values the codec refuses with typed errors, and loses nothing', async () => {
    const dir = tempDir()
    const store = await LogStore.open<unknown>(dir, { sync: 'none', codec: 'string' })
    await store.put('kept', 'value')
    const bad: [() => Promise<unknown> | unknown, string][] = [
      [() => store.put(42 as unknown as string, 'x'), 'ERR_INVALID_KEY'],
      [() => store.put('a\uD800', 'x'), 'ERR_INVALID_KEY'],
      [() => store.put('k'.repeat(5000), 'x'), 'ERR_INVALID_KEY'],
      [() => store.put('kept', 42), 'ERR_INVALID_VALUE'],
      [() => store.put('kept', undefined), 'ERR_INVALID_VALUE'],
      [() => store.put('kept', 'x', { ttl: -1 }), 'ERR_INVALID_TTL'],
      [() => store.put('kept', 'x', { ttl: Number.NaN }), 'ERR_INVALID_TTL'],
      [() => store.get(null as unknown as string), 'ERR_INVALID_KEY'],
      [() => store.delete({} as unknown as string), 'ERR_INVALID_KEY'],
    ]
    for (const [call, code] of bad) {
      let error: unknown
      try {
        await call()
      } catch (e) {
        error = e
      }
      expect(isCortadoError(error, code as never), `${call} → ${String(error)}`).toBe(true)
    }
    expect(() => store.getSync(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(store.getSync('kept')).toBe('value')
    expect(store.size).toBe(1)
    await store.close()
    const again = await LogStore.open<unknown>(dir, { codec: 'string' })
    expect(again.getSync('kept')).toBe('value')
    expect(again.size).toBe(1)
    await again.close()
    await expect(again.put('x', 'y')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    expect(() => again.getSync('x')).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
  })

  it('refuses bad options, a directory that is a file and one it may not write, with typed errors', async () => {
    const dir = tempDir()
    await expect(LogStore.open(dir, { sync: 'sometimes' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(LogStore.open(dir, { maxFileBytes: 10 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(LogStore.open(dir, { codec: 'nope' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(LogStore.open(dir, { compactThreshold: 1 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    const file = join(dir, 'a-file')
    writeFileSync(file, 'not a directory')
    await expect(LogStore.open(file)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(LogStore.open(join(file, 'below'))).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'read-only')
      const store = await LogStore.open(locked)
      await store.put('k', 'v')
      await store.close()
      chmodSync(locked, 0o500)
      try {
        await expect(LogStore.open(locked)).rejects.toMatchObject({ code: 'ERR_IO' })
      } finally {
        chmodSync(locked, 0o700)
      }
      const reopened = await LogStore.open(locked)
      expect(reopened.getSync('k')).toBe('v')
      await reopened.close()
    }
  })

  it('lets one store at a time write a directory: ERR_LOCKED in this process and from another, a dead owner is taken over', async () => {
    const dir = tempDir()
    const store = await LogStore.open(dir)
    await expect(LogStore.open(dir)).rejects.toMatchObject({ code: 'ERR_LOCKED' })
    const child = await runChild(`
      import { LogStore } from ${JSON.stringify(new URL('../../../src/disk/index.ts', import.meta.url).pathname)}
      try { await LogStore.open(${JSON.stringify(dir)}); console.log('opened') } catch (e) { console.log(e.code, e.message) }
    `)
    expect(child).toContain('ERR_LOCKED')
    expect(child).toContain(`process ${process.pid}`)
    await store.close()
    // A lock left by a process that died is taken over.
    writeFileSync(join(dir, 'LOCK'), '999999999\n')
    const next = await LogStore.open(dir)
    await next.close()
  })

  it('keeps the index off the JS heap: 200k keys add little V8 heap', async () => {
    const { setFlagsFromString } = await import('node:v8')
    const { runInNewContext } = await import('node:vm')
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', autoCompact: false })
    gc()
    const before = process.memoryUsage().heapUsed
    const keys = 200_000
    const value = 'v'.repeat(100)
    for (let i = 0; i < keys; i += 1000) {
      let last: Promise<void> | undefined
      for (let j = i; j < i + 1000; j++) last = store.put(`key-${j.toString().padStart(12, '0')}`, value)
      await last
    }
    gc()
    const added = process.memoryUsage().heapUsed - before
    expect(store.size).toBe(keys)
    // The bound is 10 MB per 1M keys: 2 MB for 200k.
    expect(added).toBeLessThan(2 * 1024 * 1024)
    expect(store.getSync('key-000000123456')).toBe(value)
    await store.close()
  })
})

function runChild(source: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    child.on('error', reject)
    child.on('exit', () => resolve(out))
  })
}
