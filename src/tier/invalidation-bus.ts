/**
 * Invalidation broadcast over Redis Pub/Sub: when one instance writes or deletes a key, every other
 * instance drops its local (L1) copy.
 *
 * - Keys are batched: every key published in the same turn of the event loop (or within `batchDelay`)
 *   leaves in one message, so a burst of writes costs one PUBLISH rather than one per key.
 * - Every message carries the sender's instance id; an instance ignores its own messages (it has
 *   already updated its L1 itself).
 * - Pub/Sub is fire-and-forget: messages published while a subscriber is disconnected are lost to it.
 *   **Choice for that gap:** after the subscriber reconnects and has re-subscribed, the bus reports
 *   `invalidateAll('gap')` and a `TieredCache` clears its L1. While disconnected, L1 keeps serving
 *   (availability first; how stale it can get is bounded by the outage and by the L1's TTL). Clearing
 *   instead of tracking entry ages keeps the L1 hit path free of any per-entry bookkeeping, and a
 *   gap is rare; the price is a burst of L2 reads after it.
 * - Publishing failures keep the keys (up to `maxPending`; past that, one "everything" message replaces
 *   them) and retry when the publishing connection is back, so peers are not left stale by a blip.
 *
 * Message format (JSON, so it can be read with `redis-cli SUBSCRIBE`):
 * `{"v":1,"from":"<instance id>","keys":["a","b"]}` or `{"v":1,"from":"<id>","all":true}`.
 */
import { randomUUID } from 'node:crypto'
import { CortadoError } from '../errors.js'
import type { Cluster, Redis } from 'ioredis'
import type { RedisClient } from './redis-store.js'
import { nonNegative, timerDelay } from '../options.js'
import { checkOptions } from '../option-names.js'

/** Options of `new InvalidationBus(options)`. */
export interface InvalidationBusOptions {
  /**
   * The client that publishes. The bus subscribes on a second connection made with its
   * `duplicate()`, and closes only that one. A client that refuses commands while disconnected
   * (`enableOfflineQueue: false`, as `RedisStore.connect` makes them) lets failed publishes be
   * retried on reconnect instead of piling up in ioredis's queue.
   */
  client: RedisClient
  /** Pub/Sub channel; instances sharing a cache must share it. Default `'cortado:invalidate'`. */
  channel?: string
  /** This instance's id in messages. Default: a random UUID. */
  instanceId?: string
  /**
   * Milliseconds to gather keys before publishing them in one message. Default 0: keys published in
   * the same turn of the event loop go together, and leave at the next turn. Finite.
   */
  batchDelay?: number
  /** Most keys in one message; a larger batch is split. Default 1000; Infinity for no limit. */
  maxBatch?: number
  /**
   * Most keys kept for retry while publishing fails. Past it they are replaced by one message that
   * tells peers to drop everything (a cleared L1 is slow, a stale one is wrong). Default 10000;
   * Infinity keeps every key.
   */
  maxPending?: number
  /** Milliseconds before retrying a failed publish (also retried when the client reconnects). Default 1000. */
  retryDelay?: number
  /** Receives publish failures, malformed messages and subscriber connection errors. */
  onError?: (error: Error) => void
}

/** What a subscriber of the bus is told. */
export interface InvalidationListener {
  /** Another instance changed these keys. */
  invalidate(keys: readonly string[]): void
  /**
   * Anything may be stale: another instance cleared everything (`'peer'`), or messages may have been
   * missed while the subscription was down (`'gap'`).
   */
  invalidateAll(reason: 'peer' | 'gap'): void
}

/** Counters since the bus was created. */
export interface InvalidationBusStats {
  /** Keys handed to `publish` (before batching). */
  keysPublished: number
  /** PUBLISH commands that succeeded. */
  messagesSent: number
  /** PUBLISH commands that failed (their keys are retried). */
  publishErrors: number
  /** Keys received from other instances. */
  keysReceived: number
  /** Messages from this instance, ignored. */
  ownMessagesIgnored: number
  /** Re-subscriptions after a lost connection (each one reported as `invalidateAll('gap')`). */
  gaps: number
}

interface Message {
  v: 1
  from: string
  keys?: string[]
  all?: true
}

const BUS_KNOWN: ReadonlySet<string> = new Set(['client', 'channel', 'instanceId', 'batchDelay', 'maxBatch', 'maxPending', 'retryDelay', 'onError'])

/** Tells the other instances sharing an L2 which keys this one changed (Redis pub/sub), so they drop their L1 copies. */
export class InvalidationBus {
  /** This instance's id: its own messages are ignored when they come back. */
  readonly instanceId: string
  /** The pub/sub channel the instances share. */
  readonly channel: string
  readonly #client: RedisClient
  readonly #subscriber: RedisClient
  readonly #batchDelay: number
  readonly #maxBatch: number
  readonly #maxPending: number
  readonly #retryDelay: number
  readonly #onError: (error: Error) => void
  readonly #listeners = new Set<InvalidationListener>()
  readonly #counters: InvalidationBusStats = {
    keysPublished: 0,
    messagesSent: 0,
    publishErrors: 0,
    keysReceived: 0,
    ownMessagesIgnored: 0,
    gaps: 0,
  }
  #pending = new Set<string>()
  #pendingAll = false
  #flushTimer: NodeJS.Timeout | NodeJS.Immediate | undefined
  #retryTimer: NodeJS.Timeout | undefined
  #inFlight = new Set<Promise<void>>()
  #subscribedOnce = false
  #closed = false
  readonly #readyPromise: Promise<void>
  #resolveReady!: () => void

  constructor(options: InvalidationBusOptions) {
    checkOptions(options, 'new InvalidationBus', BUS_KNOWN, '{ client }', false)
    if (typeof options?.client !== 'object' || options.client === null || typeof options.client.duplicate !== 'function')
      throw new CortadoError('ERR_INVALID_OPTION', 'new InvalidationBus needs { client }: an ioredis client (the bus duplicates it to subscribe)')
    this.#client = options.client
    this.channel = options.channel ?? 'cortado:invalidate'
    this.instanceId = options.instanceId ?? randomUUID()
    // Delays are timer delays, so finite; the counts may be Infinity (no bound).
    this.#batchDelay = timerDelay(options.batchDelay, 'batchDelay', 0)
    this.#maxBatch = Math.max(1, Math.floor(nonNegativeOrInfinity(options.maxBatch, 'maxBatch', 1000)))
    this.#maxPending = nonNegativeOrInfinity(options.maxPending, 'maxPending', 10_000)
    this.#retryDelay = timerDelay(options.retryDelay, 'retryDelay', 1000)
    this.#onError = options.onError ?? (() => {})
    this.#readyPromise = new Promise((resolve) => (this.#resolveReady = resolve))

    // Re-subscribing is done here rather than by ioredis (autoResubscribe) so the bus knows the
    // moment the subscription is live again, which is when a gap can be declared over.
    const client = this.#client
    this.#subscriber = client.isCluster
      ? (client as Cluster).duplicate(undefined, { lazyConnect: true, redisOptions: { autoResubscribe: false } })
      : (client as Redis).duplicate({ lazyConnect: true, autoResubscribe: false })
    this.#subscriber.on('error', this.#onError)
    this.#subscriber.on('ready', this.#onSubscriberReady)
    this.#subscriber.on('message', this.#onMessage)
    this.#client.on('ready', this.#onPublisherReady)
    this.#subscriber.connect().catch(this.#onError)
  }

  /** Resolves once the subscription is live for the first time. */
  ready(): Promise<void> {
    return this.#readyPromise
  }

  /** True while subscribed: messages from peers are being received. */
  get subscribed(): boolean {
    return this.#subscribedOnce && this.#subscriber.status === 'ready'
  }

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: InvalidationListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Tells the other instances to drop `key` (batched with the other keys of this turn). */
  publish(key: string): void {
    this.#checkOpen()
    this.#counters.keysPublished++
    if (!this.#pendingAll) this.#pending.add(key)
    this.#schedule()
  }

  /** Tells the other instances to drop everything. */
  publishAll(): void {
    this.#checkOpen()
    this.#pendingAll = true
    this.#pending.clear()
    this.#schedule()
  }

  /** Publishes whatever is pending now and resolves when those messages are sent (or have failed). */
  async flush(): Promise<void> {
    this.#cancelFlushTimer()
    const messages: Message[] = []
    if (this.#pendingAll) messages.push({ v: 1, from: this.instanceId, all: true })
    else {
      const keys = [...this.#pending]
      for (let i = 0; i < keys.length; i += this.#maxBatch) {
        messages.push({ v: 1, from: this.instanceId, keys: keys.slice(i, i + this.#maxBatch) })
      }
    }
    this.#pending = new Set()
    this.#pendingAll = false
    const sends = messages.map((message) => this.#send(message))
    await Promise.all([...this.#inFlight, ...sends])
  }

  /** Counters since the bus was created. */
  stats(): InvalidationBusStats {
    return { ...this.#counters }
  }

  /** Sends what is pending, then closes the subscriber connection (not the publishing client). */
  async close(): Promise<void> {
    if (this.#closed) return
    await this.flush()
    this.#closed = true
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer)
    this.#client.off('ready', this.#onPublisherReady)
    this.#listeners.clear()
    this.#subscriber.disconnect()
  }

  #send(message: Message): Promise<void> {
    const sent = this.#client.publish(this.channel, JSON.stringify(message)).then(
      () => {
        this.#counters.messagesSent++
      },
      (err: unknown) => {
        this.#counters.publishErrors++
        this.#onError(err instanceof Error ? err : new Error(String(err)))
        this.#requeue(message)
      },
    )
    const tracked = sent.finally(() => this.#inFlight.delete(tracked))
    this.#inFlight.add(tracked)
    return tracked
  }

  #requeue(message: Message): void {
    if (message.all) this.#pendingAll = true
    else if (!this.#pendingAll) for (const key of message.keys ?? []) this.#pending.add(key)
    if (this.#pending.size > this.#maxPending) {
      this.#pendingAll = true
      this.#pending.clear()
    }
    if (this.#retryTimer === undefined && !this.#closed) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined
        void this.flush()
      }, this.#retryDelay)
      this.#retryTimer.unref()
    }
  }

  #schedule(): void {
    if (this.#flushTimer !== undefined) return
    const run = () => {
      this.#flushTimer = undefined
      void this.flush()
    }
    this.#flushTimer = this.#batchDelay > 0 ? setTimeout(run, this.#batchDelay) : setImmediate(run)
  }

  #cancelFlushTimer(): void {
    if (this.#flushTimer === undefined) return
    clearTimeout(this.#flushTimer as NodeJS.Timeout)
    clearImmediate(this.#flushTimer as NodeJS.Immediate)
    this.#flushTimer = undefined
  }

  #checkOpen(): void {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', 'the invalidation bus is closed')
  }

  readonly #onPublisherReady = (): void => {
    if (this.#pendingAll || this.#pending.size > 0) void this.flush()
  }

  readonly #onSubscriberReady = (): void => {
    this.#subscriber.subscribe(this.channel).then(() => {
      if (this.#closed) return
      if (this.#subscribedOnce) {
        this.#counters.gaps++
        for (const listener of this.#listeners) listener.invalidateAll('gap')
      }
      this.#subscribedOnce = true
      this.#resolveReady()
    }, this.#onError)
  }

  readonly #onMessage = (channel: string, text: string): void => {
    if (channel !== this.channel || this.#closed) return
    let message: Message
    try {
      message = JSON.parse(text) as Message
    } catch (err) {
      this.#onError(new CortadoError('ERR_DECODE', `malformed invalidation message on ${channel}`, { cause: err }))
      return
    }
    if (message.from === this.instanceId) {
      this.#counters.ownMessagesIgnored++
      return
    }
    if (message.all === true) {
      for (const listener of this.#listeners) listener.invalidateAll('peer')
    } else if (Array.isArray(message.keys)) {
      this.#counters.keysReceived += message.keys.length
      for (const listener of this.#listeners) listener.invalidate(message.keys)
    }
  }
}

function nonNegativeOrInfinity(value: unknown, name: string, fallback: number): number {
  return value === Infinity ? Infinity : nonNegative(value, name, fallback)
}
