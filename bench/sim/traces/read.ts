import { basename } from 'node:path'
import type { Trace } from '../../workloads/trace.js'
import { readArcTrace } from './arc.js'
import { readLirsTrace } from './lirs.js'

export type TraceFormat = 'arc' | 'lirs'

/** `OLTP.lis.gz` → `OLTP`: the name reports and the anchors file use. */
export function traceName(path: string): string {
  return basename(path).replace(/\.gz$/, '').replace(/\.(lis|lirs|trace|txt)$/, '')
}

/** The format a file's extension implies (`.lis` → ARC, `.lirs` → LIRS), if any. */
export function formatOf(path: string): TraceFormat | undefined {
  const p = path.replace(/\.gz$/, '')
  if (p.endsWith('.lis')) return 'arc'
  if (p.endsWith('.lirs')) return 'lirs'
  return undefined
}

export async function readTrace(path: string, format?: TraceFormat): Promise<Trace> {
  const f = format ?? formatOf(path)
  if (f === undefined) throw new Error(`${path}: unknown trace format; pass --format arc|lirs`)
  return f === 'arc' ? readArcTrace(path, traceName(path)) : readLirsTrace(path, traceName(path))
}
