import type { Trace } from '../../workloads/trace.js'
import { TraceBuilder } from './builder.js'
import { forEachLine } from './source.js'

/**
 * The ARC paper's format (Megiddo & Modha, FAST 2003): each line is `start count ignored reqno`
 * and stands for `count` requests, of blocks start .. start+count-1. Only the first two fields matter.
 */
export async function readArcTrace(path: string, name: string): Promise<Trace> {
  const builder = new TraceBuilder()
  await forEachLine(path, new Float64Array(2), (f, n) => {
    if (n < 2) return
    const start = f[0]!
    const count = f[1]!
    for (let i = 0; i < count; i++) builder.push(start + i)
  })
  return builder.build(name)
}
