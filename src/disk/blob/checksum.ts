/**
 * What lets a reader tell a whole blob from one an OS crash tore: a CRC-32 of the data in the header,
 * and the id of the boot (the running kernel) that wrote a file that was not flushed before its rename.
 *
 * A torn file is one whose data did not all reach the device before a crash: after the reboot its
 * name may point to a file that is short (caught by the length check) or whose tail, or all of it, reads
 * as zeros or old blocks (only a checksum of the data catches that). Only an OS crash or a power loss
 * tears a renamed file: while the kernel runs, the page cache holds every byte written before the
 * rename, whatever a process does. So a file written during the current boot needs no check, and one
 * from an earlier boot is checked once before its first use.
 *
 * Linux names each boot with a random UUID (/proc/sys/kernel/random/boot_id). Elsewhere a random id
 * per process stands in: then every file this process did not write is checked once (slower, as safe).
 */
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { crc32 } from '../../crc32.js'

/** IEEE CRC-32 (zlib's), continuing from `value` (0 to start). */
export type Crc32 = (data: Uint8Array, value?: number) => number

const native = (zlib as { crc32?: Crc32 }).crc32

/** zlib.crc32 (native, Node ≥ 20.15), else the same function in JS (same values). */
export const dataCrc32: Crc32 = native ?? crc32Js

function crc32Js(data: Uint8Array, value = 0): number {
  return crc32(data, 0, data.length, value)
}

/** 16 bytes naming this boot of the machine (or, where the OS gives none, this process). */
export const BOOT_ID: Buffer = readBootId() ?? randomBytes(16)

function readBootId(): Buffer | undefined {
  try {
    const hex = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').replace(/[-\s]/g, '')
    return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined
  } catch {
    return undefined
  }
}
