// Buffer's string fast paths, present on every Buffer in Node >= 8 but absent from @types/node.
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string
    utf8Slice(start: number, end: number): string
    utf8Write(s: string, offset: number, length?: number): number
    latin1Write(s: string, offset: number, length?: number): number
    ucs2Slice(start: number, end: number): string
    ucs2Write(s: string, offset: number, length?: number): number
  }
}
export {}
