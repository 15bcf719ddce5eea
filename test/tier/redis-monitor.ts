/**
 * Counts the commands a real Redis server receives while a piece of code runs, with MONITOR: the
 * server's own view, so "one round trip" is checked where it matters rather than inside the client.
 */
import { Redis } from 'ioredis'

let marker = 0

/** The commands (lower-cased name first) the server executed while `run` ran, markers excluded. */
export async function commandsDuring(port: number, run: () => Promise<unknown>): Promise<string[][]> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true })
  await client.connect()
  const monitor = await client.monitor()
  const id = ++marker
  const begin = `cortado-begin-${id}`
  const end = `cortado-end-${id}`
  const seen: string[][] = []
  let recording = false
  const done = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[]) => {
      const name = String(args[0]).toLowerCase()
      if (name === 'echo' && args[1] === begin) recording = true
      else if (name === 'echo' && args[1] === end) resolve()
      else if (recording) seen.push([name, ...args.slice(1).map(String)])
    })
  })
  const marks = new Redis({ port, host: '127.0.0.1' })
  try {
    await marks.echo(begin)
    await run()
    await marks.echo(end)
    await done
  } finally {
    marks.disconnect()
    monitor.disconnect()
    client.disconnect()
  }
  return seen
}
