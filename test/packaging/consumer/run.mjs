// Run (as ESM) in a project where cortado was installed from its packed tarballs: both engines, the
// keyv entry point, and where the native addon came from. Prints one JSON line.
import { Cache } from 'cortado'
import { KeyvCortado } from 'cortado/keyv'
import Keyv from 'keyv'

const report = {}
for (const engine of ['wasm', 'native']) {
  try {
    const cache = new Cache({ maxBytes: 4 << 20, engine })
    cache.set('k', { engine })
    report[engine] = { ok: true, value: cache.get('k') }
    cache.close()
  } catch (err) {
    report[engine] = { ok: false, code: err.code, message: err.message }
  }
}
const keyv = new Keyv({ store: new KeyvCortado({ maxBytes: 4 << 20 }) })
await keyv.set('user', { id: 1 })
report.keyv = await keyv.get('user')
await keyv.disconnect()
console.log(JSON.stringify(report))
