// Starts three peers (examples/peers/peer.mjs) as three processes on free loopback ports, asks all three
// for the same keys at once, prints who loaded what, and stops them.
//
//   npm run build && node examples/peers/run-three.mjs
import { fork } from 'node:child_process'
import { createServer } from 'node:net'

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address()
    server.close(() => resolve(port))
  })
})

const peerPorts = [await freePort(), await freePort(), await freePort()]
const appPorts = [await freePort(), await freePort(), await freePort()]
const children = peerPorts.map((port, i) =>
  fork(new URL('./peer.mjs', import.meta.url), [port, appPorts[i], peerPorts.join(',')], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }))
const stopAll = () => children.forEach((child) => child.kill('SIGTERM'))
const deadline = setTimeout(() => {
  console.error('the example did not finish within 30 s')
  stopAll()
  process.exit(1)
}, 30_000)

// Wait until each peer says it is ready.
await Promise.all(children.map((child) => new Promise((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`a peer exited early (${code})`)))
  child.stdout.on('data', (line) => String(line).includes('ready') && resolve())
})))
const ask = async (port, path) => (await fetch(`http://127.0.0.1:${port}/${path}`)).json()

for (const key of ['page:home', 'page:about', 'user:42']) {
  const answers = await Promise.all(appPorts.map((port) => ask(port, key)))
  console.log(`${key} asked at all three peers at once; every answer: ${JSON.stringify(answers[0])}`)
  if (answers.some((a) => a.loadedBy !== answers[0].loadedBy)) throw new Error('peers disagree')
}
// The same keys again: now from the owners' caches and the other peers' hot copies.
for (const port of appPorts) await Promise.all(['page:home', 'page:about', 'user:42'].map((key) => ask(port, key)))

const stats = await Promise.all(appPorts.map((port) => ask(port, 'stats')))
stats.forEach((s, i) => console.log(`peer ${i + 1}: originLoads ${s.originLoads}, localHits ${s.localHits}, hotHits ${s.hotHits}, peerFetches ${s.peerFetches}, served ${s.served}`))
console.log(`origin loads in the group: ${stats.reduce((n, s) => n + s.originLoads, 0)} for 3 keys, each asked twice at each of the 3 peers`)
clearTimeout(deadline)
children.forEach((child) => child.removeAllListeners('exit'))
stopAll()
