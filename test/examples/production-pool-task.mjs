// Attach once per worker; no close() needed when the pool retires the worker.
import { workerData, threadId } from 'node:worker_threads'
import { Cache } from 'cortado'

const cache = Cache.attach(workerData.cache)

export default function render(id) {
  const key = `page:${id}`
  if (cache.get(key) === undefined) cache.set(key, `<h1>Page ${id}</h1>`)
  return { threadId }
}
