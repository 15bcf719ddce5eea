/**
 * The load generator: autocannon, driven from the bench process, with a fixed number of keep-alive
 * connections taking turns through one precomputed stream of request paths. Client latency is recorded
 * from autocannon's per-response event into an HDR histogram in microseconds (autocannon's own latency
 * histogram keeps whole milliseconds).
 */
import autocannon from 'autocannon'
import hdr from 'hdr-histogram-js'

export interface LoadOptions {
  port: number
  paths: readonly string[]
  /** Where in `paths` this run starts (rounds continue the stream instead of replaying its start). */
  offset: number
  connections: number
  seconds: number
}

export interface LoadResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Client-side latency in µs. */
  p50: number
  p99: number
  p999: number
  errors: number
  timeouts: number
  non2xx: number
  /** Where the stream stopped: the next run's offset. */
  next: number
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { paths } = options
  let cursor = options.offset
  const latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e6, numberOfSignificantValueDigits: 3, autoResize: true })
  const instance = autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          req.path = paths[cursor++ % paths.length]!
          return req
        },
      },
    ],
  })
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) latency.recordValue(Math.max(1, Math.round(ms * 1000)))
  })
  const result = await instance
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
    next: cursor % paths.length,
  }
}
