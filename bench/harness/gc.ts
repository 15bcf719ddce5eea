/** A function that forces a full garbage collection, in any process or worker. */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc
  if (typeof exposed === 'function') return exposed
  // Without --expose-gc (workers, or `tsx bench/run.ts` itself) the flag can still be set at run time;
  // a fresh context then sees `gc`.
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/**
 * Yields to the event loop, then collects: what a tool that makes and closes large caches row after row
 * runs between rows. Closed arenas (SharedArrayBuffers up to 256 MiB, fully touched) are freed only when
 * V8 collects them; a run that never collected grew past 14 GB and was OOM-killed (stop 35).
 */
export async function collectBetweenRows(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  ;(collector ??= fullGc())()
}

let collector: (() => void) | undefined
