/** What a result is stamped with, so a figure can always be traced to the machine and code it came from. */
import { availableParallelism, cpus, release, totalmem, type as osType } from 'node:os'
import { projectVersion } from './project.js'

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
  v8: string
  cortado: string
  date: string
}

export function describeMachine(now = new Date()): Machine {
  const cpuList = cpus()
  return {
    cpu: cpuList[0]?.model.trim() || 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    cortado: projectVersion(),
    date: now.toISOString(),
  }
}

/** One line: "AMD EPYC, 2 cores, 23.5 GiB · Linux 6.1 · Node v20.20.2 · 2025-11-24". */
export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · Cortado ${m.cortado} · ${m.date.slice(0, 10)}`
}
