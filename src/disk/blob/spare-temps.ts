/**
 * Spare temporary files, created ahead of the puts that will use them. Creating a file (a new inode and a
 * folder entry) is the dearest step of an atomic put's writes, and it must come first; a spare, created
 * by the thread pool while the previous put waits for its rename, takes it off the put's path. Spares
 * wait in `dir/tmp/` (layout.ts) and a put renames one into its key's folder: a rename within one file
 * system is atomic whichever folders it joins.
 *
 * A spare is handed out at most `maxAgeMs` after its creation: a sweep of another thread or process
 * removes temporary files of live writers after `tempGraceMs`, so older spares are dropped instead. If
 * a sweep removed one anyway, the put's rename fails with ENOENT and the put is written again without a
 * spare (atomic-write.ts).
 */
import { closeSync, mkdirSync, open, unlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import { writingHere } from './atomic-write.js'
import { spareTempPath } from './layout.js'

export interface SpareTemp {
  fd: number
  path: string
}

export class SpareTemps {
  private readonly spares: (SpareTemp & { made: number })[] = []
  private making = 0
  private closed = false

  constructor(private readonly dir: string, private readonly count: number, private readonly maxAgeMs: number) {}

  /** A ready spare (the caller owns its fd and path), or undefined; either way another is started. */
  take(): SpareTemp | undefined {
    if (this.count === 0) return undefined
    const now = Date.now()
    let spare = this.spares.pop()
    while (spare !== undefined && now - spare.made > this.maxAgeMs) {
      drop(spare)
      spare = this.spares.pop()
    }
    this.refill()
    return spare
  }

  /** Removes the spares not handed out; later takes get none. */
  close(): void {
    this.closed = true
    for (const s of this.spares.splice(0)) drop(s)
  }

  private refill(): void {
    while (!this.closed && this.spares.length + this.making < this.count) {
      this.making++
      const path = spareTempPath(this.dir)
      writingHere.add(path)
      open(path, 'wx', 0o644, (err, fd) => {
        this.making--
        if (err) {
          writingHere.delete(path)
          // The first spare of a folder makes the spare folder; failures only cost the spare (the put
          // that finds none creates its temporary file itself, and reports any error).
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            try {
              mkdirSync(dirname(path), { recursive: true })
            } catch {
              return // the next take tries again
            }
            this.refill()
          }
          return
        }
        const spare = { fd, path, made: Date.now() }
        if (this.closed) drop(spare)
        else this.spares.push(spare)
      })
    }
  }
}

function drop(s: SpareTemp): void {
  try {
    closeSync(s.fd)
  } catch { /* closing a spare cannot matter */ }
  try {
    unlinkSync(s.path)
  } catch { /* already swept */ }
  writingHere.delete(s.path)
}
