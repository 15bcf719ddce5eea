/**
 * Disk stores (issue 15): Cortado's LogStore against lmdb (B+tree, memory-mapped) and classic-level
 * (LevelDB, an LSM tree), through the same API, side by side in one run: put throughput with sync 'none'
 * and group-committed 'always' (64 writers), random gets (getSync, awaited get), reopen time (LogStore
 * with its hint files and replaying its logs), space after overwriting every key 5 times and compacting,
 * and the V8 heap and resident memory each adds per 1M keys (fresh child process per store).
 */
import { formatCount } from '../harness/format.js'
import { runChild } from '../harness/child.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median, relativeSpread } from '../harness/stats.js'
import { DISK_PEERS, deleteIndexFiles, diskBytes, freshDir, removeDir, type DiskPeer, type DiskStore } from '../disk/stores.js'
import { IN_FLIGHT, VALUE_BYTES, fill, getFor, getSyncFor, putFor, randomKeys } from '../disk/workload.js'
import type { DiskMemoryInput, DiskMemoryOutput } from '../disk/memory-child.js'
import type { Suite, SuiteContext } from './types.js'
import type { LogStore } from '../../src/disk/index.js'

const MEMORY_CHILD = new URL('../disk/memory-child.ts', import.meta.url)
const KEY_BYTES = 16
const OVERWRITES = 5

interface Plan {
  keys: number
  /** Keys of the memory children: more than a quick run's, for growth to stand out of the noise. */
  memoryKeys: number
  rounds: number
  ms: number
}

function planOf(ctx: Pick<SuiteContext, 'quick' | 'rounds'>): Plan {
  return ctx.quick ? { keys: 10_000, memoryKeys: 20_000, rounds: 2, ms: 150 } : { keys: 1_000_000, memoryKeys: 1_000_000, rounds: Math.min(ctx.rounds, 3), ms: 1500 }
}

async function availablePeers(): Promise<{ peers: DiskPeer[]; skipped: Skip[] }> {
  const peers: DiskPeer[] = []
  const skipped: Skip[] = []
  for (const peer of DISK_PEERS) {
    const dir = freshDir(peer.id)
    try {
      await (await peer.open(dir, 'none')).close()
      peers.push(peer)
    } catch (e) {
      skipped.push({ peer: peer.id, reason: (e as Error).message })
    } finally {
      removeDir(dir)
    }
  }
  return { peers, skipped }
}

/** Samples per figure id, turned into figures (median of rounds). */
class Samples {
  private readonly byId = new Map<string, number[]>()
  add(id: string, value: number): void {
    const list = this.byId.get(id) ?? []
    list.push(value)
    this.byId.set(id, list)
  }
  figures(notes: Record<string, string> = {}): Figure[] {
    return [...this.byId].map(([peer, samples]) => ({
      peer,
      value: median(samples),
      samples,
      spread: relativeSpread(samples),
      ...(notes[peer] ? { note: notes[peer] } : {}),
    }))
  }
}

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const out = await body()
  return [out, performance.now() - start]
}

export const disk: Suite = {
  kind: 'suite',
  id: 'disk',
  title: 'Disk stores: LogStore vs lmdb vs classic-level',
  plan: (ctx) => {
    const p = planOf(ctx)
    return 2 * p.rounds * DISK_PEERS.length + 2 * DISK_PEERS.length
  },
  async run(ctx) {
    const p = planOf(ctx)
    const { peers, skipped } = await availablePeers()
    const n = p.keys
    const kase = (what: string) => `${what} · ${formatCount(n)} keys · ${KEY_BYTES} B keys, ${VALUE_BYTES} B values`
    const common = `${formatCount(n)} keys of ${KEY_BYTES} B, ${VALUE_BYTES}-byte string values, one store per directory in ${'$TMPDIR'}, ` +
      `median of ${p.rounds} rounds, stores in alternating order`
    const row = (measure: string, what: string, metric: string, better: 'higher' | 'lower', method: string, figures: Figure[]): Row => ({
      suite: 'disk', case: kase(what), params: { measure, keys: n }, metric, better, method, figures, skipped,
    })

    // Fill with sync 'none', then random gets, then reopen (LogStore: with hints, then replaying its logs).
    const putNone = new Samples()
    const getSync = new Samples()
    const getAwait = new Samples()
    const open = new Samples()
    const lookups = randomKeys(n, Math.min(n, 1 << 18), 7)
    for (let round = 0; round < p.rounds; round++) {
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[(i + round) % peers.length]!
        ctx.progress.tick(`disk · round ${round + 1}/${p.rounds} · fill, get, reopen · ${peer.id}`)
        const dir = freshDir(peer.id)
        try {
          let store: DiskStore = await peer.open(dir, 'none')
          const [, fillMs] = await timed(() => fill(store, n, 0))
          putNone.add(peer.id, n / (fillMs / 1000))
          getSync.add(peer.id, getSyncFor(store, lookups, p.ms))
          getAwait.add(peer.id, await getFor(store, lookups, p.ms))
          await store.close()
          let openMs: number
          ;[store, openMs] = await timed(() => peer.open(dir, 'none'))
          open.add(peer.id, openMs)
          if (store.getSync(lookups[0]!) === undefined) throw new Error(`${peer.id}: a key is missing after reopen`)
          await store.close()
          if (peer.id === 'logstore') {
            for (const [id, hints] of [['logstore-hints', false], ['logstore-replay', true]] as const) {
              deleteIndexFiles(dir, hints)
              ;[store, openMs] = await timed(() => peer.open(dir, 'none'))
              open.add(id, openMs)
              await store.close()
            }
          }
        } finally {
          removeDir(dir)
        }
      }
    }
    const writers = `${IN_FLIGHT} concurrent writers, each awaiting its put`
    ctx.emit(row('put-none', `put, sync 'none'`, 'ops/s', 'higher', `${common}; every key put once into an empty store, ${writers}; no fsync`, putNone.figures()))
    ctx.emit(row('get-sync', 'getSync (random keys)', 'ops/s', 'higher', `${common}; getSync of ${formatCount(lookups.length)} scattered keys for ${p.ms} ms, files in the page cache`, getSync.figures()))
    ctx.emit(row('get-await', 'awaited get (random keys)', 'ops/s', 'higher', `${common}; await get(key), one at a time, ${formatCount(lookups.length)} scattered keys for ${p.ms} ms`, getAwait.figures()))
    ctx.emit(row('open', 'reopen', 'ms', 'lower', `${common}; time of open() of the filled, closed store. logstore: from the index snapshot its close wrote; logstore-hints: snapshot deleted, from the segments' hint files (what an open after a crash does); logstore-replay: snapshot and hints deleted, every segment read and checksummed`, open.figures()))

    // Group commit: fsync before each put resolves, writers sharing fsyncs.
    const putAlways = new Samples()
    for (let round = 0; round < p.rounds; round++) {
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[(i + round) % peers.length]!
        ctx.progress.tick(`disk · round ${round + 1}/${p.rounds} · put sync 'always' · ${peer.id}`)
        const dir = freshDir(peer.id)
        try {
          const store = await peer.open(dir, 'always')
          putAlways.add(peer.id, await putFor(store, n, p.ms))
          await store.close()
        } finally {
          removeDir(dir)
        }
      }
    }
    ctx.emit(row('put-always', `put, sync 'always'`, 'ops/s', 'higher', `${common}; ${writers}, for ${p.ms} ms; a put resolves after an fsync covering it (LogStore: fdatasync; lmdb: sync commit; level: sync write)`, putAlways.figures()))

    // Space after every key is overwritten 5 times, then one compaction.
    const spaceUser: Figure[] = []
    const spaceLive: Figure[] = []
    for (const peer of peers) {
      ctx.progress.tick(`disk · space · ${peer.id}`)
      const dir = freshDir(peer.id)
      try {
        const store = await peer.open(dir, 'none')
        for (let v = 0; v <= OVERWRITES; v++) await fill(store, n, v)
        await store.compact()
        if (peer.id === 'logstore') {
          const s = (store as unknown as LogStore<string>).stats()
          spaceLive.push({ peer: peer.id, value: s.fileBytes / s.liveBytes, note: `${s.fileBytes} file bytes, ${s.liveBytes} live record bytes` })
        }
        await store.close()
        const bytes = diskBytes(dir)
        spaceUser.push({ peer: peer.id, value: bytes.allocated / (n * (KEY_BYTES + VALUE_BYTES)), note: `${bytes.allocated} bytes allocated (${bytes.apparent} apparent)` })
      } finally {
        removeDir(dir)
      }
    }
    const spaceMethod = `${common}; every key written once then overwritten ${OVERWRITES} times (sync 'none'), then compact() (LogStore: merge; level: compactRange; lmdb: none needed), then close`
    ctx.emit(row('space-live', 'file bytes ÷ live bytes after 5 overwrites + compaction', 'x', 'lower', `${spaceMethod}; LogStore's own stats: segment bytes ÷ bytes of the records its index points to`, spaceLive))
    ctx.emit(row('space-user', 'disk bytes ÷ user bytes after 5 overwrites + compaction', 'x', 'lower', `${spaceMethod}; blocks allocated in the directory ÷ (keys × (16 + 100) bytes)`, spaceUser))

    // Memory added per 1M keys, each store alone in a fresh process.
    const heap: Figure[] = []
    const rss: Figure[] = []
    for (const peer of peers) {
      ctx.progress.tick(`disk · memory · ${peer.id}`)
      const out = await runChild<DiskMemoryInput, DiskMemoryOutput>(MEMORY_CHILD, { peer: peer.id, keys: Math.max(n, p.memoryKeys) }, { nodeFlags: ['--expose-gc'], timeoutMs: 15 * 60_000 })
      const per1M = 1_000_000 / Math.max(n, p.memoryKeys)
      heap.push({ peer: peer.id, value: out.heapBytes * per1M })
      rss.push({ peer: peer.id, value: out.rssBytes * per1M, note: `external (ArrayBuffers) ${Math.round(out.externalBytes * per1M)} B per 1M keys` })
    }
    const memMethod = `a fresh process per store fills ${formatCount(Math.max(n, p.memoryKeys))} keys (sync 'none'); full GCs until the heap settles`
    ctx.emit(row('heap', 'V8 heap added per 1M keys', 'bytes', 'lower', `${memMethod}; heap the filled store holds (given back when it is closed and dropped), scaled to 1M keys`, heap))
    ctx.emit(row('rss', 'resident memory added per 1M keys', 'bytes', 'lower', `${memMethod}; resident growth over the last nine tenths of the fill, scaled to 1M keys; lmdb's figure counts the mapped file pages it touched`, rss))
  },
}
