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
