/**
 * Stop 50 (lagonce): test/policy/admission.test.ts's first case on the model (one shard of 1000 entries,
 * 950 hot keys read cache-aside, then a set of a never-read key after each get, the test's five seeds):
 * the share of hot gets hit per seed and their mean, with the shard's window, late first hits (LATE_HIT),
 * unasked and hot shares and early ageings. Deterministic.
 *
 *   npx tsx bench/sim/admission-probe.ts ['lateHit=0,freeTag=0'] [gets per write (1)] [hot keys (950)]
 *
 * Stop 56 (lagopen2): more gets per write, or fewer hot keys, saturate the hot keys' counts (15 hits in a sketch
 * period): then their hits add nothing to the sketch, as a lag phase's opening's do (research knob dryRun's cue).
 */
import { Prng } from '../workloads/prng.js'
import { CortadoModel } from './model/cortado.js'
import { parseTuningList } from './tuning-args.js'
const tune = parseTuningList(process.argv[2] ?? '')
const per = Number(process.argv[3] ?? '1')
const hotArg = Number(process.argv[4] ?? '950')
let sum = 0
for (const seed of [31, 32, 33, 34, 35]) {
  const hotN = hotArg
  const n = 20_000
  const m = new CortadoModel(1000, { keys: new Int32Array(0), universe: hotN + n + 10, name: 'adm' }, { tuning: tune, seed })
  const rng = new Prng(seed)
  for (let i = 0; i < 20 * hotN; i++) m.access(rng.nextInt(hotN))
  let hits = 0
  const raisesBefore = (m.shards[0]! as unknown as { stat: Record<string, number> }).stat.hitRaises!
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < per; j++) if (m.access(rng.nextInt(hotN))) hits++
    m.write(hotN + i)
  }
  const s = m.shards[0]! as unknown as { dryRunMax?: number; windowTarget: number; stat: Record<string, number>; unaskedShare: number; hotShare: number; earlyAgeings: number }
  hits /= per
  console.log(seed, (hits / n).toFixed(4), 'window', (s.windowTarget / 1000).toFixed(3), 'late', s.stat.lateFirstHits, 'unasked', s.unaskedShare.toFixed(2), 'hot', s.hotShare.toFixed(3), 'ageings', s.earlyAgeings, 'lagWins', s.stat.lagWins, 'dryWins', s.stat.dryWins, 'hit adds / write', ((s.stat.hitRaises! - raisesBefore) / n).toFixed(3))
  sum += hits / n
}
console.log('mean', (sum / 5).toFixed(4))
