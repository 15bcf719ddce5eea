/**
 * Blobs on disk and in S3 (issue 16), three measurements:
 *   - DiskCache put/get of 4 KiB and 1 MiB blobs vs plain fs.promises.writeFile/readFile into one folder
 *     (the price of atomicity and metadata), at each durability level, alternating rounds; the flushing
 *     levels also against the durable plain write (open, write, fsync, close);
 *   - an upload to an S3-protocol server on loopback (s3rver): multipart with 4 parallel parts vs one PUT;
 *   - time to first byte of a 64 KiB range read through serveBlob: disk hit vs S3 pass-through.
 * The S3 rows are skipped, saying why, when s3rver or the AWS SDK is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { request, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiskCache, S3Store } from '../../src/disk/index.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median, opsPerSecond, relativeSpread } from '../harness/stats.js'
import type { Suite, SuiteContext } from './types.js'
import { writeAtomicByHand, writeSynced } from '../disk/plain-writes.js'

const KiB = 1024
const MiB = 1024 * KiB
const SIZES = [4 * KiB, MiB] as const
const KEYS = 64
const UPLOAD_PART = 8 * MiB
const UPLOAD_CONCURRENCY = 4
const RANGE_BYTES = 64 * KiB

const uploadBytes = (quick: boolean) => (quick ? 16 * MiB : 256 * MiB)
const uploadRounds = (quick: boolean) => (quick ? 1 : 3)
const ttfbRequests = (quick: boolean) => (quick ? 20 : 100)
const roundMs = (quick: boolean) => (quick ? 150 : 1000)

interface Contender {
  id: string
  /** One operation on key number `i`. */
  op(i: number): Promise<unknown>
}

/** Alternating rounds: each contender runs ops for `ms`, the starting one rotating; ops/s per round. */
async function alternate(ctx: SuiteContext, label: string, contenders: Contender[]): Promise<Map<string, number[]>> {
  const perRound = new Map(contenders.map((c) => [c.id, [] as number[]]))
  const cursor = new Map(contenders.map((c) => [c.id, 0]))
  for (let round = -1; round < ctx.rounds; round++) {
    ctx.progress.tick(`${label} ${round < 0 ? 'warm-up' : `round ${round + 1}/${ctx.rounds}`}`)
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + Math.max(0, round)) % contenders.length]!
      let i = cursor.get(c.id)!
      const start = process.hrtime.bigint()
      const budget = BigInt(roundMs(ctx.quick) * 1e6)
      let ops = 0
      do {
        await c.op(i++ % KEYS)
        ops++
      } while (process.hrtime.bigint() - start < budget)
      cursor.set(c.id, i)
      if (round >= 0) perRound.get(c.id)!.push(opsPerSecond(ops, Number(process.hrtime.bigint() - start)))
    }
  }
  return perRound
}

/**
 * Figures with each contender's ratio to `baseline`; `peers` names a second baseline for some contenders
 * (the durable DiskCache is also compared with the durable plain write, open+write+fsync+close).
 */
function figures(perRound: Map<string, number[]>, baseline: string, peers: Record<string, string[]> = {}): Figure[] {
  const base = median(perRound.get(baseline)!)
  return [...perRound].map(([peer, samples]) => {
    const value = median(samples)
    const notes = peer === baseline ? [] : [`${(value / base).toFixed(2)}× ${baseline}`]
    for (const other of peers[peer] ?? []) if (perRound.has(other)) notes.push(`${(value / median(perRound.get(other)!)).toFixed(2)}× ${other}`)
    return { peer, value, samples, spread: relativeSpread(samples), ...(notes.length > 0 ? { note: notes.join(', ') } : {}) }
  })
}

async function diskRows(ctx: SuiteContext, root: string): Promise<void> {
  const plainDir = join(root, 'plain')
  const atomicDir = join(root, 'atomic')
  await mkdir(plainDir, { recursive: true })
  await mkdir(atomicDir, { recursive: true })
  const durable = new DiskCache({ dir: join(root, 'fsync'), gcIntervalMs: 0 })
  const oneFlush = new DiskCache({ dir: join(root, 'one-flush'), durability: 'os-or-miss', gcIntervalMs: 0 })
  const fast = new DiskCache({ dir: join(root, 'nofsync'), durability: 'process', gcIntervalMs: 0 })
  try {
    for (const size of SIZES) {
      const value = Buffer.alloc(size, 7)
      const kase = (op: string) => `${op} ${size >= MiB ? `${size / MiB} MiB` : `${size / KiB} KiB`}`
      const method = (what: string) =>
        `${what}, one at a time over ${KEYS} keys (overwrites), median of ${ctx.rounds} alternating rounds of ${roundMs(ctx.quick)} ms; ` +
        'fs = fs.promises into one folder; diskcache = DiskCache, durability \'os\' (the default: atomic temp+rename, header with data CRC, fdatasync of the file and fsync of the folder: two flushes); ' +
        'diskcache-os-or-miss = durability \'os-or-miss\' (rename, then fsync of the folder: one flush); ' +
        'diskcache-nofsync = durability \'process\' (fsync: false: no flush); fs-fsync = open, write, fsync, close (one flush, not atomic); ' +
        'fs-atomic = the issue\'s own protocol written by hand with fs.promises: open temp, write, fdatasync, close, rename, open folder, fsync, close (two flushes, no header or CRC)'
      const puts = await alternate(ctx, `blobs · ${kase('put')}`, [
        { id: 'fs', op: (i) => writeFile(join(plainDir, `k${i}`), value) },
        { id: 'diskcache-nofsync', op: (i) => fast.put(`k${i}`, value) },
        { id: 'diskcache', op: (i) => durable.put(`k${i}`, value) },
        { id: 'diskcache-os-or-miss', op: (i) => oneFlush.put(`k${i}`, value) },
        { id: 'fs-fsync', op: (i) => writeSynced(join(plainDir, `s${i}`), value) },
        { id: 'fs-atomic', op: (i) => writeAtomicByHand(atomicDir, `k${i}`, value) },
      ])
      ctx.emit(row(kase('put'), { op: 'put', bytes: size }, 'ops/s', 'higher', method('put'),
        figures(puts, 'fs', { diskcache: ['fs-fsync', 'fs-atomic'], 'diskcache-os-or-miss': ['fs-fsync'], 'fs-atomic': ['fs-fsync'] })))
      for (let i = 0; i < KEYS; i++) await Promise.all([writeFile(join(plainDir, `k${i}`), value), fast.put(`k${i}`, value)])
      const gets = await alternate(ctx, `blobs · ${kase('get')}`, [
        { id: 'fs', op: (i) => readFile(join(plainDir, `k${i}`)) },
        { id: 'diskcache', op: (i) => fast.get(`k${i}`) },
      ])
      ctx.emit(row(kase('get'), { op: 'get', bytes: size }, 'ops/s', 'higher', method('get (page cache warm)'), figures(gets, 'fs')))
    }
  } finally {
    durable.close()
    oneFlush.close()
    fast.close()
  }
}

function row(kase: string, params: Row['params'], metric: string, better: Row['better'], method: string, figs: Figure[], skipped: Skip[] = []): Row {
  return { suite: 'blobs', case: kase, params, metric, better, method, figures: figs, skipped }
}

/** s3rver and the SDK are dev dependencies: without them the S3 rows say so instead of failing. */
async function s3Available(): Promise<string | undefined> {
  try {
    await import('s3rver' as string)
    await import('@aws-sdk/client-s3')
    return undefined
  } catch (err) {
    return `s3rver or @aws-sdk/client-s3 not installed (${(err as Error).message.split('\n')[0]})`
  }
}

async function s3Rows(ctx: SuiteContext, root: string): Promise<void> {
  const size = uploadBytes(ctx.quick)
  const kaseUpload = `upload ${size / MiB} MiB`
  const kaseTtfb = `TTFB of a ${RANGE_BYTES / KiB} KiB range via serveBlob`
  const missing = await s3Available()
  if (missing) {
    ctx.progress.tick('skipped', uploadRounds(ctx.quick) * 2 + 2)
    ctx.progress.log(`blobs: S3 rows skipped: ${missing}`)
    ctx.emit(row(kaseUpload, { op: 'upload', bytes: size }, 'ms', 'lower', 'not run', [], [{ peer: 's3', reason: missing }]))
    ctx.emit(row(kaseTtfb, { op: 'ttfb', bytes: RANGE_BYTES }, 'ms', 'lower', 'not run', [], [{ peer: 's3', reason: missing }]))
    return
  }
  // The test suite's server helper: s3rver on a free loopback port in a temporary folder.
  const { startS3, s3Options } = await import('../../test/disk/s3-server.js')
  const s3 = await startS3('cortado-bench')
  const multipart = new S3Store({ ...s3Options(s3), partSize: UPLOAD_PART, multipartThreshold: UPLOAD_PART, concurrency: UPLOAD_CONCURRENCY })
  const single = new S3Store({ ...s3Options(s3), multipartThreshold: size })
  try {
    const body = Buffer.alloc(size, 9)
    const times = new Map<string, number[]>([['one PUT', []], ['multipart', []]])
    for (let round = 0; round < uploadRounds(ctx.quick); round++) {
      for (const id of round % 2 === 0 ? ['one PUT', 'multipart'] : ['multipart', 'one PUT']) {
        ctx.progress.tick(`blobs · ${kaseUpload} ${id} round ${round + 1}`)
        const store = id === 'multipart' ? multipart : single
        const start = process.hrtime.bigint()
        const r = await store.put(`upload-${id}`, body)
        times.get(id)!.push(Number(process.hrtime.bigint() - start) / 1e6)
        if ((id === 'multipart') !== r.parts > 1) throw new Error(`${id} upload went in ${r.parts} part(s)`)
        await store.delete(`upload-${id}`)
      }
    }
    ctx.emit(row(kaseUpload, { op: 'upload', bytes: size }, 'ms', 'lower',
      `wall time of S3Store.put of a ${size / MiB} MiB Buffer to s3rver on loopback (which writes to disk and hashes every byte); ` +
      `multipart: ${UPLOAD_PART / MiB} MiB parts, ${UPLOAD_CONCURRENCY} in flight; one PUT: PutObject; median of ${uploadRounds(ctx.quick)} alternating round(s)`,
      figures(times, 'one PUT')))

    // TTFB: the same object on disk and in S3, a server for each, ranges spread over the object.
    const objectBytes = 8 * MiB
    const video = Buffer.alloc(objectBytes, 3)
    const disk = new DiskCache({ dir: join(root, 'serve'), fsync: false, gcIntervalMs: 0 })
    await disk.put('video', video)
    await multipart.put('video', video)
    const { serveBlob } = await import('../../src/disk/index.js')
    const { createServer } = await import('node:http')
    const servers: Server[] = []
    const listen = async (source: DiskCache | S3Store) => {
      const server = createServer((req, res) => void serveBlob(req, res, source, 'video'))
      servers.push(server)
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      return (server.address() as { port: number }).port
    }
    try {
      const ports = { 'disk hit': await listen(disk), 'S3 pass-through': await listen(multipart) }
      const ttfb = new Map<string, number[]>([['disk hit', []], ['S3 pass-through', []]])
      for (const id of ttfb.keys()) ctx.progress.tick(`blobs · TTFB ${id}`)
      for (let i = 0; i < ttfbRequests(ctx.quick); i++) {
        const start = ((i * 2654435761) >>> 0) % (objectBytes - RANGE_BYTES)
        for (const id of i % 2 === 0 ? ['disk hit', 'S3 pass-through'] as const : ['S3 pass-through', 'disk hit'] as const) {
          ttfb.get(id)!.push(await firstByteMs(ports[id], start, start + RANGE_BYTES - 1))
        }
      }
      ctx.emit(row(kaseTtfb, { op: 'ttfb', bytes: RANGE_BYTES }, 'ms', 'lower',
        `time from sending GET with Range: bytes=a-b (${RANGE_BYTES / KiB} KiB at spread offsets of an ${objectBytes / MiB} MiB object) to the first body byte, ` +
        `node:http client and server on loopback; disk hit: serveBlob over a DiskCache; S3 pass-through: serveBlob over an S3Store (HEAD + ranged GET to s3rver); ` +
        `median of ${ttfbRequests(ctx.quick)} alternating requests each`,
        figures(ttfb, 'disk hit')))
    } finally {
      for (const s of servers) await new Promise((r) => s.close(r))
      disk.close()
    }
  } finally {
    await multipart.close()
    await single.close()
    await s3.close()
  }
}

/** Milliseconds from sending a ranged GET to the first byte of its body (the rest is read and dropped). */
function firstByteMs(port: number, start: number, end: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    let first: number | undefined
    const req = request({ host: '127.0.0.1', port, path: '/video', headers: { Range: `bytes=${start}-${end}` } }, (res) => {
      if (res.statusCode !== 206) reject(new Error(`expected 206, got ${res.statusCode}`))
      res.on('data', () => { first ??= Number(process.hrtime.bigint() - t0) / 1e6 })
      res.on('end', () => resolve(first ?? Number.NaN))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

export const blobs: Suite = {
  kind: 'suite',
  id: 'blobs',
  title: 'Blobs: DiskCache vs plain files, S3 uploads, range TTFB',
  plan: (ctx) => SIZES.length * 2 * (ctx.rounds + 1) + uploadRounds(ctx.quick) * 2 + 2,
  async run(ctx) {
    ctx.progress.step('blobs · DiskCache vs fs')
    const root = mkdtempSync(join(tmpdir(), 'cortado-bench-blobs-'))
    try {
      await diskRows(ctx, root)
      ctx.progress.step('blobs · S3 on loopback (s3rver)')
      await s3Rows(ctx, root)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  },
}
