/**
 * The request handler both servers run, as a real read handler does it: build the key from the URL,
 * get the record; on a miss load it from the origin and set it (cache-aside); parse the JSON, add a
 * field, serialize it again, respond. The handler's own time goes into the probe's histogram.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WindowProbe } from './probes.js'
import { ITEM_PATH, itemKey, recordJson } from './record.js'

/** The two calls the handler makes: what lru-cache and Cortado have in common. */
export interface ServiceCache {
  get(key: string): string | undefined
  set(key: string, value: string): unknown
}

export function makeHandler(cache: ServiceCache, probe: WindowProbe): (req: IncomingMessage, res: ServerResponse) => void {
  const now = process.hrtime.bigint
  // Named, so a CPU profile of the server (bench/service/profile.ts) finds the request path by it.
  return function serveRecord(req, res) {
    const t0 = now()
    const url = req.url ?? ''
    if (!url.startsWith(ITEM_PATH)) {
      res.writeHead(404).end()
      return
    }
    const id = url.slice(ITEM_PATH.length)
    const key = itemKey(id)
    let json = cache.get(key)
    if (json === undefined) {
      probe.misses++
      json = recordJson(Number(id))
      cache.set(key, json)
    } else probe.hits++
    const record = JSON.parse(json) as Record<string, unknown>
    record.servedAt = Date.now()
    const body = JSON.stringify(record)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
    probe.record(now() - t0)
  }
}
