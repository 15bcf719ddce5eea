/**
 * One replication connection streaming a slot: the CopyBoth framing of the streaming replication
 * protocol (XLogData, primary keepalives, standby status updates) over a `pg` client, with the pgoutput
 * payloads decoded by `pg-logical-replication`'s parser.
 *
 * Why the framing is here and not in pg-logical-replication's service: the feed must know, when a
 * keepalive arrives, whether every change received before it has been applied (only then may it
 * confirm the keepalive's position), and it must confirm exact positions. So data and keepalives go
 * through one ordered queue, handled one at a time; the queue is bounded by pausing the socket
 * (backpressure: a slow target slows the server's sending, memory stays flat).
 */
import pg from 'pg'
import { PgoutputPlugin, type Pgoutput } from 'pg-logical-replication'
import { PG_EPOCH_MICROS, type Lsn } from './lsn.js'

export type StreamItem =
  | { kind: 'data'; start: Lsn; walEnd: Lsn; message: Pgoutput.Message }
  | { kind: 'keepalive'; walEnd: Lsn; replyRequested: boolean }

export interface StreamHandlers {
  /** Called once per item, in order; the next item waits for a returned promise. */
  onItem(item: StreamItem): void | Promise<void>
  /** The stream ended (connection lost, server error, or a handler threw). Not called after close(). */
  onEnd(err: Error): void
}

interface CopyDataMessage {
  chunk: Buffer
}

/** The parts of pg's Connection the replication protocol uses (pg exposes it as `client.connection`). */
interface ReplicationConnection {
  on(event: 'copyData', listener: (msg: CopyDataMessage) => void): void
  once(event: 'replicationStart', listener: () => void): void
  sendCopyFromChunk(chunk: Buffer): void
  stream: { pause(): void; resume(): void }
}

const XLOG_DATA = 0x77 // 'w'
const KEEPALIVE = 0x6b // 'k'

export class ReplicationStream {
  readonly #client: pg.Client
  readonly #connection: ReplicationConnection
  readonly #handlers: StreamHandlers
  readonly #maxPending: number
  readonly #decoder: PgoutputPlugin
  #queue: StreamItem[] = []
  #head = 0
  #draining = false
  #paused = false
  #ended = false
  /** Set once streaming started: failures before that reject open() instead of calling onEnd. */
  #live = false

  private constructor(client: pg.Client, handlers: StreamHandlers, maxPending: number, publication: string) {
    this.#client = client
    this.#connection = (client as unknown as { connection: ReplicationConnection }).connection
    this.#handlers = handlers
    this.#maxPending = maxPending
    this.#decoder = new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication] })
  }

  /** Connects and starts streaming the slot from its confirmed position; resolves once the server streams. */
  static async open(config: pg.ClientConfig, slot: string, publication: string, maxPending: number, handlers: StreamHandlers): Promise<ReplicationStream> {
    const client = new pg.Client({ ...config, replication: 'database' } as pg.ClientConfig)
    const stream = new ReplicationStream(client, handlers, maxPending, publication)
    client.on('error', (err) => stream.#end(err))
    client.on('end', () => stream.#end(new Error('the replication connection closed')))
    await client.connect()
    const started = new Promise<void>((resolve) => stream.#connection.once('replicationStart', resolve))
    stream.#connection.on('copyData', (msg) => stream.#receive(msg.chunk))
    // 0/0: the server starts from the slot's confirmed position (what was applied and acknowledged).
    const publications = pg.escapeLiteral(pg.escapeIdentifier(publication))
    const streaming = client.query(`START_REPLICATION SLOT ${pg.escapeIdentifier(slot)} LOGICAL 0/0 (proto_version '1', publication_names ${publications})`)
    streaming.then(
      () => stream.#end(new Error('the server ended replication')),
      (err: Error) => stream.#end(err),
    )
    try {
      await Promise.race([started, streaming.then(() => { throw new Error('the server ended replication at start') })])
    } catch (err) {
      stream.#ended = true
      await client.end().catch(() => {})
      throw err
    }
    if (stream.#ended) throw new Error('the replication connection closed at start')
    stream.#live = true
    return stream
  }

  /** Tells the server everything before `applied` is done: it may recycle that WAL. */
  sendStatus(applied: Lsn, replyRequested = false): void {
    if (this.#ended) return
    const message = Buffer.alloc(34)
    message[0] = 0x72 // 'r': standby status update
    message.writeBigUInt64BE(applied, 1) // written
    message.writeBigUInt64BE(applied, 9) // flushed: what the server keeps the slot at
    message.writeBigUInt64BE(applied, 17) // applied
    message.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_MICROS, 25)
    message[33] = replyRequested ? 1 : 0
    this.#connection.sendCopyFromChunk(message)
  }

  /** Items received and not yet handled. */
  get pending(): number {
    return this.#queue.length - this.#head
  }

  async close(): Promise<void> {
    this.#ended = true
    this.#queue = []
    this.#head = 0
    await this.#client.end().catch(() => {})
  }

  #receive(chunk: Buffer): void {
    if (this.#ended) return
    const tag = chunk[0]
    if (tag === XLOG_DATA) {
      let message: Pgoutput.Message
      try {
        message = this.#decoder.parse(chunk.subarray(25))
      } catch (err) {
        this.#end(new Error(`cannot decode a pgoutput message: ${(err as Error).message}`))
        return
      }
      this.#queue.push({ kind: 'data', start: chunk.readBigUInt64BE(1), walEnd: chunk.readBigUInt64BE(9), message })
    } else if (tag === KEEPALIVE) {
      this.#queue.push({ kind: 'keepalive', walEnd: chunk.readBigUInt64BE(1), replyRequested: chunk[17] === 1 })
    } else {
      return
    }
    if (!this.#paused && this.pending >= this.#maxPending) {
      this.#paused = true
      this.#connection.stream.pause()
    }
    if (!this.#draining) void this.#drain()
  }

  async #drain(): Promise<void> {
    this.#draining = true
    try {
      while (!this.#ended && this.#head < this.#queue.length) {
        const item = this.#queue[this.#head]!
        this.#queue[this.#head++] = undefined as unknown as StreamItem
        const done = this.#handlers.onItem(item)
        if (done !== undefined) await done
        if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head)
          this.#head = 0
        }
        if (this.#paused && this.pending <= this.#maxPending >> 1) {
          this.#paused = false
          this.#connection.stream.resume()
        }
      }
    } catch (err) {
      this.#end(err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.#draining = false
    }
  }

  #end(err: Error): void {
    if (this.#ended) return
    this.#ended = true
    this.#queue = []
    this.#head = 0
    this.#client.end().catch(() => {})
    if (this.#live) this.#handlers.onEnd(err)
  }
}
