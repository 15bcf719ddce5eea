// The same package from CommonJS: cortado is ESM-only, and require() of it works where Node supports
// require(esm) (Node >= 20.19 / >= 22.12); elsewhere Node throws ERR_REQUIRE_ESM. Prints one JSON line.
try {
  const { Cache } = require('cortado')
  const { KeyvCortado } = require('cortado/keyv')
  const cache = new Cache({ maxBytes: 4 << 20 })
  cache.set('k', 'from require')
  const store = new KeyvCortado(cache)
  console.log(JSON.stringify({ ok: true, value: cache.get('k'), adapter: typeof store.get, requireModule: process.features.require_module }))
  cache.close()
} catch (err) {
  console.log(JSON.stringify({ ok: false, code: err.code, requireModule: process.features.require_module }))
}
