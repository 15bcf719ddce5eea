import type { Trace } from '../../workloads/trace.js'
import { TraceBuilder } from './builder.js'
import { forEachLine } from './source.js'

/** The LIRS paper's format (Jiang & Zhang, SIGMETRICS 2002): one block number per line. */
export async function readLirsTrace(path: string, name: string): Promise<Trace> {
  const builder = new TraceBuilder()
  await forEachLine(path, new Float64Array(1), (f, n) => {
    if (n >= 1) builder.push(f[0]!)
  })
  return builder.build(name)
}
