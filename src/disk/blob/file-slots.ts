/**
 * A bound on the files this thread's DiskCaches hold open at once for short operations (whole-body puts,
 * get, stat). Each such operation holds one or two descriptors at a time (the temporary file; then the
 * version it replaces and the folder for its flush). A burst of them, say `Promise.all` over 3000 puts,
 * opened them all before any closed: under the common limit of 1024 descriptors two thirds failed with
 * EMFILE (plain fs.promises.writeFile fails the same way). Operations past the bound now wait their turn.
 *
 * Streams (createReadStream, openBlob, streamed puts) are not counted: they hold their descriptor for as
 * long as the consumer takes, and counting them would let slow clients stall every other put.
 *
 * The bound is a quarter of the process's descriptor limit (an operation holds at most two at a time,
 * so half of the limit stays for the rest of the program), read once from /proc/self/limits. A fixed
 * bound of 128 halved the speed of a burst of 3000 small durable puts where the limit is high (2.7 s
 * against 1.3 s, side by side): the more flushes queued at once, the more of them one journal commit
 * serves. Where the limit cannot be read, 256.
 */
import { readFileSync } from 'node:fs'

function slotsForLimit(softLimit: number | undefined): number {
  return softLimit === undefined || !(softLimit > 0) ? 256 : Math.max(16, Math.floor(softLimit / 4))
}

/** The soft limit on open files, from Linux's /proc/self/limits; undefined elsewhere or when unlimited. */
function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

class Slots {
  private free: number
  private readonly waiting: (() => void)[] = []
  private head = 0

  constructor(count: number) {
    this.free = count
  }

  /** Resolves when a slot is taken (at once while one is free). */
  take(): Promise<void> | undefined {
    if (this.free > 0) {
      this.free--
      return undefined
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  give(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!
      this.waiting[this.head++] = undefined as never
      if (this.head === this.waiting.length) {
        this.waiting.length = 0
        this.head = 0
      }
      next()
    } else this.free++
  }
}

let slots: Slots | undefined

/** Takes one of this thread's open-file slots: undefined when taken at once, else a wait for one. Pair with giveFileSlot. */
export function takeFileSlot(): Promise<void> | undefined {
  slots ??= new Slots(slotsForLimit(openFileLimit()))
  return slots.take()
}

export const giveFileSlot = (): void => slots!.give()
