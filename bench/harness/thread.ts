/**
 * Worker threads running TypeScript. On Node 20 a worker inherits neither tsx's loader hooks nor
 * `--import tsx` from execArgv (both fail with "Unknown file extension .ts" here), so the worker starts
 * from a two-line ES module that registers tsx in its own thread and then imports the real file. This
 * keeps the bench runnable without a build step, on the same sources as the rest of it.
 */
import { Worker } from 'node:worker_threads'

export function startTsWorker(file: URL, workerData: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api')
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}) })`
  return new Worker(code, { eval: true, workerData })
}

/** The next message from a worker, or its error/exit as a rejection. */
export function nextMessage<T>(worker: Worker, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    const onMessage = (m: T): void => {
      cleanup()
      resolve(m)
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    const onExit = (code: number): void => {
      cleanup()
      reject(new Error(`worker exited with code ${code}`))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`worker gave no answer within ${timeoutMs} ms`))
    }, timeoutMs)
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
  })
}
