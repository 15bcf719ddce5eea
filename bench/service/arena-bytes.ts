/**
 * Where Cortado's arena puts its bytes for the service's records, per record, against the records' own
 * bytes (what the floor holds): `Cache.maxBytesFor` for the service's longest record, and the geometry
 * it gives (src/layout/geometry.ts). No cache is made: this is the layout, not a measurement of RSS
 * (untouched segments are not resident).
 *
 *   npx tsx bench/service/arena-bytes.ts [entries=5000000]
 */
import { computeGeometry, maxBytesFor } from '../../src/layout/geometry.js'
import * as L from '../../src/layout/constants.generated.js'
import { idOfRank, keySpaceFor } from './keys.js'
import { itemKey, recordBytes, recordJson } from './record.js'

const entries = Number(process.argv[2] ?? 5_000_000)
const keySpace = keySpaceFor(entries)
const longest = recordBytes(keySpace)
const entryBytes = L.ENTRY_HEADER_BYTES + longest.keyBytes + longest.valueBytes
const maxBytes = maxBytesFor(entries, entryBytes, { policy: L.POLICY_ADAPTIVE })
const g = computeGeometry({ maxBytes, maxEntries: entries, policy: L.POLICY_ADAPTIVE })
// The stored records' mean size, from every 97th of them (the same records the floor stores).
let payload = 0
let sampled = 0
for (let rank = 0; rank < entries; rank += 97, sampled++) {
  const id = idOfRank(rank, keySpace)
  payload += Buffer.byteLength(recordJson(id)) + Buffer.byteLength(itemKey(id))
}
const mean = payload / sampled
const per = (bytes: number) => `${(bytes / entries).toFixed(1)} B`
const s = g.shardCount
console.log(`${entries} entries, longest entry ${entryBytes} B (header + key + value), mean key + value ${mean.toFixed(1)} B`)
console.log(`maxBytesFor: ${(maxBytes / 2 ** 20).toFixed(1)} MiB = ${per(maxBytes)} per record; ${s} shards of ${g.segCount} segments of ${g.segBytes / 1024} KiB`)
console.log(`  records (key + value):        ${mean.toFixed(1)} B   what the floor holds`)
console.log(`  entry headers:                ${L.ENTRY_HEADER_BYTES.toFixed(1)} B`)
console.log(`  hash index:                   ${per(s * g.indexBuckets * L.BUCKET_BYTES)}`)
console.log(`  admission sketch:             ${per(s * g.sketchBlocks * L.SKETCH_BLOCK_BYTES)}`)
console.log(`  ghost list:                   ${per(s * g.ghostSlots * 8)}`)
console.log(`  segment headers, thread areas: ${per(s * g.segCount * L.SEG_SIZE + g.shardsOffset)}`)
console.log(`  segment room not holding a record (slack for shards, partly filled segments): ${per(g.bytesTotal - entries * (L.ENTRY_HEADER_BYTES + mean))}`)
