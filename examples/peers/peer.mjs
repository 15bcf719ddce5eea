// One peer of a PeerGroup, with a small app in front of it.
//
//   node examples/peers/peer.mjs <peer port> <app port> <every peer port, comma-separated>
//
// The peer port is where the other peers ask for keys this one owns; the app port is what your users
// would call: GET /<key> answers the key's value, GET /stats this peer's counters.
import { createServer } from 'node:http'
import { Cache, PeerGroup } from 'cortado'

const [peerPort, appPort, allPorts] = process.argv.slice(2)
if (!allPorts) {
  console.error('usage: node examples/peers/peer.mjs <peer port> <app port> <every peer port, comma-separated>')
  process.exit(2)
}
const self = `http://127.0.0.1:${peerPort}`
const peers = allPorts.split(',').map((port) => `http://127.0.0.1:${port}`)

const cache = new Cache({ maxBytes: 64 << 20 })
const group = new PeerGroup({
  self,
  peers,
  cache,
  hotCache: { maxBytes: 8 << 20 },
  secret: process.env.PEER_SECRET, // the same on every peer, or unset
  timeoutMs: 5000, // then load locally (and skip that owner for unhealthyMs)
  onPeerError: (error, peer) => console.warn(`asking ${peer} failed, loading locally: ${error.message}`),
  // The origin: a database query or a render. It runs once per key in the whole group.
  load: async (key) => {
    await new Promise((resolve) => setTimeout(resolve, 100))
    return { key, loadedBy: self }
  },
})
await group.listen()

const app = createServer(async (req, res) => {
  try {
    // Inside the try: a malformed escape (GET /%ZZ) makes decodeURIComponent throw, a 400, not a crash.
    const path = decodeURIComponent(new URL(req.url, 'http://app').pathname.slice(1))
    const body = path === 'stats' ? group.stats() : await group.get(path)
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body ?? null))
  } catch (error) {
    const bad = error instanceof URIError || error.code === 'ERR_INVALID_KEY'
    res.writeHead(bad ? 400 : 502, { 'content-type': 'text/plain' })
    res.end(`${error.code ?? error.name}: ${error.message}\n`)
  }
})
app.listen(Number(appPort), '127.0.0.1', () => console.log(`peer ${self} ready, app on http://127.0.0.1:${appPort}`))

process.on('SIGTERM', async () => {
  app.close()
  await group.close()
  cache.close()
  process.exit(0)
})
