// A/B of sets with eviction by process CPU time (stop 48, docs/policy.md "Stop 48, setcost"): policy-cost.ts's workload
// (100k entries, maxEntries, new keys), builds and policies alternating; prints medians of adaptive ÷ clock per build
// and B ÷ A for adaptive.
// usage: node bench/arena/policy-ab-cpu.mjs <libA> <libB> [rounds] [engine]
const [, , la, lb, roundsArg, engineArg] = process.argv
const rounds = Number(roundsArg ?? 9), engine = engineArg ?? 'wasm'
const mods = [await import(la), await import(lb)]
const N = 100_000, OPS = 200_000
const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
const fresh = Array.from({ length: OPS }, (_, i) => `new:${String(i).padStart(12, '0')}`)
const value = 'v'.repeat(100)
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1] }
const res = {}
function one(mod, policy, r) {
  const c = new mod.Cache({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy, seed: 3, engine })
  for (const k of keys) c.set(k, value)
  for (let i = 0; i < OPS; i++) c.set(`${fresh[i]}w${r}`, value)
  const u0 = process.cpuUsage(); const t0 = process.hrtime.bigint()
  for (let i = 0; i < OPS; i++) c.set(fresh[i] + r, value)
  const u = process.cpuUsage(u0); const t = Number(process.hrtime.bigint() - t0) / 1e3
  c.close?.()
  return [u.user + u.system, t]
}
const runs = [['A', 0, 'clock'], ['A', 0, 'adaptive'], ['B', 1, 'clock'], ['B', 1, 'adaptive']]
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...runs].reverse() : runs
  for (const [b, i, p] of order) { const [cpu, wall] = one(mods[i], p, r); ((res[b + p] ??= { cpu: [], wall: [] }).cpu.push(cpu)); res[b + p].wall.push(wall) }
}
const ratio = (x, y, k) => med(res[x][k].map((v, i) => res[y][k][i] / v))
for (const k of ['cpu', 'wall']) {
  console.log(`${k}: A adaptive÷clock ${ratio('Aadaptive', 'Aclock', k).toFixed(3)}  B adaptive÷clock ${ratio('Badaptive', 'Bclock', k).toFixed(3)}  adaptive B÷A (speed) ${ratio('Badaptive', 'Aadaptive', k).toFixed(3)}  clock B÷A ${ratio('Bclock', 'Aclock', k).toFixed(3)}   (${engine}, ${rounds} rounds, medians of per-round ratios)`)
}
