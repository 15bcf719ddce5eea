/**
 * The load generator's own process: autocannon, with nothing else on its event loop. It builds the
 * request stream once (every request's bytes in one buffer, so the stream costs the collector nothing),
 * gives each connection its own contiguous slice of it, and then runs autocannon against a server as
 * often as the bench asks, each connection going on where it stopped.
 *
 * Why not autocannon's `setupRequest`: autocannon then rebuilds every request (two Object.assign, the
 * header lines joined, Buffer.from, a hyperid) and with 1M distinct paths a list of prebuilt requests
 * would be 1M objects per connection. Measured on this host (2 cores, loaded), the load generator spent
 * 52-62 µs of CPU per request with `setupRequest`, against 27-43 µs with the prebuilt buffers below,
 * while a node:http server over the cache spends ~55 µs: with `setupRequest` the load generator was the
 * bottleneck, and requests/s measured autocannon. See docs/benchmarks.md#http-service.
 */
import autocannon from 'autocannon'
import hdr from 'hdr-histogram-js'
import { serveCommands } from './ipc.js'
import { requestPaths } from './keys.js'

export interface PrepareInput {
  keySpace: number
  seed: number
  /** Requests in the whole stream; each connection gets length / connections of them. */
  length: number
  connections: number
}

export interface RunInput {
  port: number
  seconds: number
  /** Start every connection at the beginning of its slice (a new server), else go on where it stopped. */
  fromStart: boolean
}

export interface LoadResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Client-side latency in µs (request written to response parsed, autocannon's timing). */
  p50: number
  p99: number
  p999: number
  errors: number
  timeouts: number
  non2xx: number
  /** CPU time of this process (user + system) per 2xx response, µs. */
  cpuUsPerRequest: number
  /** Share of one core this process used over the run. */
  cpuBusy: number
}

/** The slice of autocannon's client this process drives: its request iterator (autocannon 9's httpClient). */
interface AutocannonClient {
  requestIterator?: { currentRequest: { requestBuffer?: Buffer }; requests: unknown[]; nextRequest(): unknown; resetted: boolean }
}

let stream: { bytes: Buffer; starts: Uint32Array; connections: number; slice: number } | undefined
/** Next request of each connection: an index into the stream. */
let cursors: number[] = []

function prepare(input: PrepareInput): { requests: number; bytes: number } {
  const slice = Math.floor(input.length / input.connections)
  if (slice < 1) throw new RangeError(`a stream of ${input.length} requests for ${input.connections} connections`)
  const paths = requestPaths(input.keySpace, input.seed, slice * input.connections)
  // The request line and headers autocannon itself writes for a GET (Host is fixed per run below).
  const heads = paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`)
  const starts = new Uint32Array(heads.length + 1)
  for (let i = 0; i < heads.length; i++) starts[i + 1] = starts[i]! + heads[i]!.length
  const bytes = Buffer.from(heads.join(''), 'latin1')
  stream = { bytes, starts, connections: input.connections, slice }
  cursors = Array.from({ length: input.connections }, (_, c) => c * slice)
  return { requests: heads.length, bytes: bytes.length }
}

async function run(input: RunInput): Promise<LoadResult> {
  const s = stream
  if (!s) throw new Error('load: run before prepare')
  if (input.fromStart) cursors = Array.from({ length: s.connections }, (_, c) => c * s.slice)
  const latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e6, numberOfSignificantValueDigits: 3, autoResize: true })
  let connection = 0
  const request = (c: number): Buffer => {
    const i = cursors[c]!
    const base = c * s.slice
    cursors[c] = base + ((i - base + 1) % s.slice)
    return s.bytes.subarray(s.starts[i]!, s.starts[i + 1]!)
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const instance = autocannon({
    url: `http://127.0.0.1:${input.port}`,
    connections: s.connections,
    pipelining: 1,
    duration: input.seconds,
    timeout: 30,
    // Each connection reads its own slice of the stream from the prebuilt bytes: the iterator's next
    // request is the slice's next buffer, nothing rebuilt.
    setupClient: (client: AutocannonClient) => {
      const it = client.requestIterator
      if (!it || typeof it.nextRequest !== 'function' || !it.currentRequest)
        throw new Error('load: autocannon client without requestIterator.nextRequest (autocannon 9 expected)')
      const c = connection++ % s.connections
      // autocannon's default request object is shared by all clients: this client gets its own.
      const current = { ...it.currentRequest, requestBuffer: request(c) }
      it.currentRequest = current
      it.requests = [current]
      it.nextRequest = () => {
        it.resetted = false
        current.requestBuffer = request(c)
        return current
      }
    },
  })
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) latency.recordValue(Math.max(1, Math.round(ms * 1000)))
  })
  const result = await instance
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const requests = result['2xx']
  return {
    requests,
    seconds: result.duration,
    requestsPerSecond: requests / result.duration,
    p50: latency.getValueAtPercentile(50),
    p99: latency.getValueAtPercentile(99),
    p999: latency.getValueAtPercentile(99.9),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    cpuUsPerRequest: requests > 0 ? (cpu.user + cpu.system) / requests : 0,
    cpuBusy: (cpu.user + cpu.system) / 1000 / wallMs,
  }
}

serveCommands({ prepare, run })
