/**
 * How a loader's failure reaches waiters in other threads. Values travel through the cache; errors
 * don't (storing one would overwrite whatever the key holds), so the loading thread broadcasts the
 * serialized error on a BroadcastChannel named after the arena, before it wakes the waiters. A woken
 * waiter whose flight FAILED takes the error from what arrived (messages may arrive just before or
 * just after the wake-up) and, if nothing came within ARRIVAL_MS, fails with the same code and a
 * generic message. A thread only listens while one of its loads waits on another thread.
 */
import type { SerializedError } from './errors.js'

const ARRIVAL_MS = 1000
/** Errors kept for waiters that wake after the message arrived. */
const KEEP_MS = 5000
const KEEP_MAX = 256

interface Message {
  flight: string
  error: SerializedError
}

class ErrorChannel {
  readonly #name: string
  #channel: BroadcastChannel | undefined
  #users = 0
  readonly #arrived = new Map<string, { error: SerializedError; at: number }>()
  readonly #pending = new Map<string, (error: SerializedError) => void>()

  constructor(name: string) {
    this.#name = name
  }

  /** Starts listening (counted; `leave` stops when nobody in this thread needs it). */
  join(): void {
    if (this.#users++ > 0) return
    const ch = new BroadcastChannel(this.#name)
    ch.onmessage = (event) => this.#receive((event as MessageEvent<Message>).data)
    // A waiter's own timers keep the thread alive; the channel must not.
    ;(ch as unknown as { unref?: () => void }).unref?.()
    this.#channel = ch
  }

  leave(): void {
    if (--this.#users > 0) return
    this.#channel?.close()
    this.#channel = undefined
    this.#arrived.clear()
  }

  #receive(m: Message): void {
    if (typeof m !== 'object' || m === null || typeof m.flight !== 'string') return
    const waiter = this.#pending.get(m.flight)
    if (waiter) {
      this.#pending.delete(m.flight)
      waiter(m.error)
      return
    }
    const now = performance.now()
    if (this.#arrived.size >= KEEP_MAX) {
      for (const [k, v] of this.#arrived) if (now - v.at > KEEP_MS || this.#arrived.size >= KEEP_MAX) this.#arrived.delete(k)
    }
    this.#arrived.set(m.flight, { error: m.error, at: now })
  }

  /** Sends a failure to the other threads (a short-lived channel if this thread isn't listening). */
  send(flight: string, error: SerializedError): void {
    const message: Message = { flight, error }
    if (this.#channel) {
      // A channel never hears itself: waiters of this thread (another Cache object over the same arena)
      // get it directly.
      this.#receive(message)
      this.#channel.postMessage(message)
      return
    }
    const ch = new BroadcastChannel(this.#name)
    ch.postMessage(message)
    ch.close()
  }

  /** The failure of a flight, once it arrives (undefined if it did not within ARRIVAL_MS). */
  take(flight: string): Promise<SerializedError | undefined> {
    const got = this.#arrived.get(flight)
    if (got) {
      this.#arrived.delete(flight)
      return Promise.resolve(got.error)
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(flight)
        resolve(undefined)
      }, ARRIVAL_MS)
      this.#pending.set(flight, (error) => {
        clearTimeout(timer)
        resolve(error)
      })
    })
  }
}

const channels = new Map<number, ErrorChannel>()

/** This thread's channel for the arena with this instance id. */
export function errorChannel(instanceId: number): ErrorChannel {
  let ch = channels.get(instanceId)
  if (!ch) {
    ch = new ErrorChannel(`cortado:load-errors:${instanceId}`)
    channels.set(instanceId, ch)
  }
  return ch
}

export type { ErrorChannel }

/** Names one ended flight: its slot, id and the `done` value its release published. */
export function flightName(slot: number, id: number, done: number): string {
  return `${slot}:${id}:${done}`
}
