/**
 * After a failed write, reads show what was acknowledged. A put changes the index when it is called
 * (reads see it at once) and its record waits in the append buffer for the batch write at the end of
 * the turn; when that write fails (EIO injected into writeSync, fs-faults.ts) the batch's puts and
 * deletes are rejected, and the index must not keep them: a rejected value read back until a reopen,
 * or a key a rejected delete hid, is a read of something that was never acknowledged (and that a
 * reopen does not show). In every sync mode; also when the failure is the flush of a full buffer
 * inside a later put of the same batch.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { LogStore } from '../../../src/disk/index.js'
import { removeTempDirs, tempDir } from './helpers.js'
import { errnoError, patchFs } from '../../helpers/fs-faults.js'

afterAll(removeTempDirs)

/** Every writeSync fails with EIO until the returned function undoes the patch. */
function failEveryWrite(): () => void {
  return patchFs(['writeSync'], () => () => {
    throw errnoError('EIO', 'write')
  })
}

async function rejection(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e) {
    return (e as { code?: string }).code
  }
}

describe('LogStore: after a failed write, reads show what was acknowledged', () => {
  for (const sync of ['none', 'always', 'interval'] as const) {
    it(`rejected puts, overwrites and deletes of one batch are undone in the index (sync '${sync}')`, async () => {
      const dir = tempDir()
      const store = await LogStore.open<string>(dir, { sync, autoCompact: false })
      await store.put('kept', 'v1')
      await store.put('deleted', 'd1')
      await store.put('twice', 't1')
      const undo = failEveryWrite()
      try {
        // One batch: an overwrite, a new key, a delete, and a key written twice in it.
        const ops = [store.put('kept', 'v2'), store.put('new', 'n1'), store.delete('deleted'), store.put('twice', 't2'), store.put('twice', 't3'), store.delete('twice')]
        // Before the batch is written, reads see it (read-your-writes of operations in flight).
        expect(store.getSync('kept')).toBe('v2')
        const codes = await Promise.all(ops.map(rejection))
        expect(codes).toEqual(Array(6).fill('ERR_IO'))
        expect(store.getSync('kept')).toBe('v1')
        expect(store.getSync('new')).toBeUndefined()
        expect(store.getSync('deleted')).toBe('d1')
        expect(store.getSync('twice')).toBe('t1')
        expect(await store.has('new')).toBe(false)
        expect(store.size).toBe(3)
        expect(store.stats().corruptReads).toBe(0)
      } finally {
        undo()
      }
      await store.close().catch(() => {})
      const again = await LogStore.open<string>(dir, { sync: 'none' })
      try {
        expect([again.getSync('kept'), again.getSync('new'), again.getSync('deleted'), again.getSync('twice')]).toEqual(['v1', undefined, 'd1', 't1'])
      } finally {
        await again.close()
      }
    })
  }

  for (const sync of ['none', 'always'] as const) {
    it(`a delete that finds the key gone only by an unwritten delete answers with that batch (sync '${sync}')`, async () => {
      const dir = tempDir()
      const store = await LogStore.open<string>(dir, { sync, autoCompact: false })
      await store.put('a', 'a1')
      const undo = failEveryWrite()
      try {
        const first = store.delete('a')
        // Resolving false at once would acknowledge a state that the failing batch takes back.
        const second = store.delete('a')
        expect(await Promise.all([rejection(first), rejection(second)])).toEqual(['ERR_IO', 'ERR_IO'])
        expect(store.getSync('a')).toBe('a1')
      } finally {
        undo()
      }
      await store.close().catch(() => {})
      const again = await LogStore.open<string>(dir, { sync: 'none' })
      try {
        // Nothing in flight: a delete of a missing key answers at once.
        expect(await again.delete('missing')).toBe(false)
        expect(again.getSync('a')).toBe('a1')
      } finally {
        await again.close()
      }
    })
  }

  it('the flush of a full buffer inside a put fails: the earlier puts of its batch are undone too', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'none', autoCompact: false })
    await store.put('a', 'a0')
    const undo = failEveryWrite()
    try {
      const first = store.put('a', 'a1')
      // Values large enough to fill the append buffer: a put then writes it itself, and that fails.
      const puts: Promise<unknown>[] = [first]
      for (let i = 0; i < 64; i++) puts.push(store.put(`big${i}`, 'x'.repeat(16 * 1024)))
      const codes = await Promise.all(puts.map(rejection))
      expect(codes.every((c) => c === 'ERR_IO')).toBe(true)
      expect(store.getSync('a')).toBe('a0')
      for (let i = 0; i < 64; i++) expect(store.getSync(`big${i}`)).toBeUndefined()
      expect(store.stats().corruptReads).toBe(0)
    } finally {
      undo()
    }
    await store.close().catch(() => {})
  })
})
