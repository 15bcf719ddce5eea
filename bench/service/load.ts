/**
 * The load generator as the bench drives it: autocannon in a process of its own (load-child.ts), so
 * the bench process's heap, its IPC with the server and its own collections stay off the load's event
 * loop. The stream of requests is built once per generator, from a seed, and each session starts every
 * connection at the beginning of its slice: both peers' servers get exactly the same requests.
 */
import { ServerProcess } from './ipc.js'
import type { LoadResult, PrepareInput, RunInput } from './load-child.js'

export type { LoadResult } from './load-child.js'

export class LoadGenerator {
  private constructor(private readonly child: ServerProcess) {}

  static async start(input: PrepareInput): Promise<LoadGenerator> {
    const child = await ServerProcess.spawn(new URL('./load-child.ts', import.meta.url))
    try {
      await child.call('prepare', input, 120_000)
    } catch (err) {
      await child.stop()
      throw err
    }
    return new LoadGenerator(child)
  }

  run(input: RunInput): Promise<LoadResult> {
    return this.child.call<LoadResult>('run', input, (input.seconds + 60) * 1000)
  }

  stop(): Promise<void> {
    return this.child.stop()
  }
}
