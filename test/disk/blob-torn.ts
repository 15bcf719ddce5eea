/** IEEE CRC-32 for the torn-file tests, computed independently of the code under test. */
import { crc32 } from '../../src/bloom/crc32.js'

export const zlibCrc = (bytes: Uint8Array): number => crc32(bytes)
