/**
 * One caller's wait for a shared load, bounded by the caller's own AbortSignal and timeout. Giving up
 * only concerns this caller: the load goes on for the others.
 */
import { aborted, timedOut } from './errors.js'

export function waitAsCaller<T>(promise: Promise<T>, key: string, signal: AbortSignal | undefined, timeout: number | undefined): Promise<T> {
  if (!signal && timeout === undefined) return promise
  if (signal?.aborted) return Promise.reject(aborted(key, signal.reason))
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const onAbort = () => {
      cleanup()
      reject(aborted(key, signal!.reason))
    }
    const cleanup = () => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        cleanup()
        reject(timedOut(key, timeout))
      }, timeout)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    promise.then((v) => { cleanup(); resolve(v) }, (e) => { cleanup(); reject(e) })
  })
}
