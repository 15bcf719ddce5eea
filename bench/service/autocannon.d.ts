/** The slice of autocannon's programmatic API the load driver uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface RequestSpec {
    method?: string
    path?: string
    setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec
  }

  interface Options {
    url: string
    connections?: number
    pipelining?: number
    duration?: number
    timeout?: number
    requests?: RequestSpec[]
    /** Called with each client (connection) as it is made; the load generator reaches its request iterator. */
    setupClient?: (client: never) => void
  }

  interface Percentiles {
    p50: number
    p99: number
    p99_9: number
    average: number
    max: number
  }

  interface Result {
    requests: Percentiles & { total: number; sent: number }
    latency: Percentiles & { totalCount: number }
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void
  }

  function autocannon(options: Options): Instance
  export default autocannon
}
