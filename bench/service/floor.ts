/**
 * The service suites' floor: not a cache anyone would choose, but the least any cache could cost on
 * this workload, measured in the same run with the same load. It holds the `entries` most popular
 * records (the set a cache of that size holds at best under Zipf) as bytes with no overhead, in one
 * preallocated Buffer: values back to back in rank order, then their keys. A get finds a record by
 * arithmetic (no hash table) and returns a fresh string of the value, as Cortado's get must, and
 * nothing else: no object per entry, no garbage of its own. A miss goes to the origin as the handler
 * does for every cache; set stores nothing (the hottest records are already there).
 *
 * So in one server: its GC pauses are the handler's and node:http's alone (what no cache returning
 * strings can go under), its requests/s the most a cache can leave the handler, and its RSS the
 * process plus the records' own bytes. The only thing it keeps beyond the payload is the offset of
 * each value (4 bytes per entry): the figure that reads as RSS subtracts it (`indexBytes`).
 *
 * In a pool, every worker holds all the records (cluster processes share no memory without a mapped
 * file; built in a worker thread, see buildFloor), and the pool's figure takes every copy but one and
 * the offsets tables off the pool's PSS: the processes plus the one copy a zero-overhead shared store
 * would hold. (`store: false` keeps nothing and answers hits from the origin: only its payloadBytes.)
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { ServiceCache } from './handler.js'
import { idOfRank, rankOfId, scatterInverse } from './keys.js'
import { itemKey, recordJson } from './record.js'

/** The floor's id in the rows (never a peer of --peers: it is added by the service suites). */
export const FLOOR = 'floor'
export const FLOOR_NAME = 'floor (zero-overhead store)'

const KEY_PREFIX = itemKey('')

export interface FloorBytes {
  /** Keys and values of the stored records, UTF-8 (ASCII here): what any cache must hold. */
  payloadBytes: number
  /** The offsets table (4 bytes per entry + 4), when the payload is stored in this process. */
  indexBytes: number
}

/** The records' size, and when stored their bytes and offsets (in shared memory when a thread builds them). */
interface FloorData {
  payloadBytes: number
  starts?: Uint32Array
  bytes?: Buffer
}

/** Lays the `entries` hottest records out: values in rank order, then keys; offsets of the values. */
function layOut(entries: number, keySpace: number, store: boolean, shared = false): FloorData {
  // id × inverse must stay exact in a double.
  if (keySpace >= 2 ** 26) throw new RangeError(`key space ${keySpace} too large for the floor's arithmetic`)
  let valueBytes = 0
  let keyBytes = 0
  const starts = !store ? undefined : shared ? new Uint32Array(new SharedArrayBuffer(4 * (entries + 1))) : new Uint32Array(entries + 1)
  for (let rank = 0; rank < entries; rank++) {
    const id = idOfRank(rank, keySpace)
    if (starts) starts[rank] = valueBytes
    valueBytes += Buffer.byteLength(recordJson(id))
    keyBytes += Buffer.byteLength(itemKey(id))
  }
  const payloadBytes = valueBytes + keyBytes
  if (!starts) return { payloadBytes }
  starts[entries] = valueBytes
  if (payloadBytes >= 2 ** 32) throw new RangeError('the floor addresses its payload with 32-bit offsets')
  const bytes = shared ? Buffer.from(new SharedArrayBuffer(payloadBytes)) : Buffer.allocUnsafeSlow(payloadBytes)
  let keyAt = valueBytes
  for (let rank = 0; rank < entries; rank++) {
    const id = idOfRank(rank, keySpace)
    bytes.write(recordJson(id), starts[rank]!, 'latin1')
    keyAt += bytes.write(itemKey(id), keyAt, 'latin1')
  }
  return { starts, bytes, payloadBytes }
}

const THREAD_DATA = 'cortado-bench-floor'

/**
 * Builds the floor's records, on this thread as every peer's fill runs (the single server), or in a
 * worker thread running this process's own entry module (which calls `floorThreadMain` first): then the
 * records are copied out of the thread's shared memory into a plain Buffer and the thread's heap (the
 * garbage of making every record string) goes with the thread. That is for the pool, whose Cortado
 * workers fill nothing (the primary fills the shared file): built in each worker, that garbage grew V8's
 * heap to ~45 MiB committed, never given back, ~15 MiB per worker more than a Cortado worker's.
 * The single server fills on its own thread because its peers do: their fill grows V8's young
 * generation, and a floor built in a thread, whose young generation never grew, took twice the
 * scavenges of Cortado's server (389 ms of pauses against 216 ms at 5M, 2026-12-05 04:12-04:27 UTC).
 */
export async function buildFloor(entries: number, keySpace: number, o: { thread: boolean }): Promise<FloorStore> {
  if (!o.thread) return new FloorStore(entries, keySpace, true)
  const entry = process.argv[1]
  if (!entry) throw new Error('no entry module to start the floor thread from')
  const worker = new Worker(entry, { workerData: { [THREAD_DATA]: { entries, keySpace, store: true } } })
  const data = await new Promise<{ payloadBytes: number; starts?: Uint32Array; bytes?: Uint8Array }>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`floor thread exited (code ${code}) before its records`)))
  })
  await worker.terminate()
  // Out of shared memory: the store the floor stands for is a plain one (the shared copy is collected).
  const bytes = Buffer.allocUnsafeSlow(data.bytes!.length)
  bytes.set(data.bytes!)
  return new FloorStore(entries, keySpace, { payloadBytes: data.payloadBytes, starts: new Uint32Array(data.starts!), bytes })
}

/** In the floor's thread: builds the records and hands them over; false in any other thread. */
export function floorThreadMain(): boolean {
  if (isMainThread || !(workerData as Record<string, unknown> | null)?.[THREAD_DATA]) return false
  const { entries, keySpace, store } = (workerData as Record<string, { entries: number; keySpace: number; store: boolean }>)[THREAD_DATA]!
  const data = layOut(entries, keySpace, store, true)
  // A Buffer arrives as a plain Uint8Array over the same shared memory.
  parentPort!.postMessage({ payloadBytes: data.payloadBytes, starts: data.starts, bytes: data.bytes && new Uint8Array(data.bytes.buffer, data.bytes.byteOffset, data.bytes.length) })
  return true
}

export class FloorStore implements ServiceCache {
  readonly size: number
  readonly payloadBytes: number
  readonly indexBytes: number
  /** Start of each rank's value in `bytes`; starts[entries] is the end of the last value. */
  private readonly starts: Uint32Array | undefined
  private readonly bytes: Buffer | undefined
  private readonly inverse: number

  /** `store`: keep the records' bytes (see the module's comment); or their laid-out data (buildFloor). */
  constructor(
    private readonly entries: number,
    private readonly keySpace: number,
    store: boolean | FloorData,
  ) {
    this.size = entries
    this.inverse = scatterInverse(keySpace)
    const data = typeof store === 'boolean' ? layOut(entries, keySpace, store) : store
    this.payloadBytes = data.payloadBytes
    this.starts = data.starts
    this.bytes = data.bytes
    this.indexBytes = data.starts?.byteLength ?? 0
  }

  get(key: string): string | undefined {
    // The id's digits read in place: parsing allocates nothing (Number(key.slice(...)) would).
    let id = 0
    for (let i = KEY_PREFIX.length; i < key.length; i++) id = id * 10 + (key.charCodeAt(i) - 48)
    const rank = rankOfId(id, this.keySpace, this.inverse)
    if (rank >= this.entries) return undefined
    if (!this.bytes) return recordJson(id)
    return this.bytes.toString('latin1', this.starts![rank]!, this.starts![rank + 1]!)
  }

  set(): void {}

  floorBytes(): FloorBytes {
    return { payloadBytes: this.payloadBytes, indexBytes: this.indexBytes }
  }
}
