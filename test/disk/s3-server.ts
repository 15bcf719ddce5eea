/**
 * A real S3-protocol server for the tests: s3rver (npm) on a free loopback port, storing in a fresh
 * temporary folder, with one bucket. s3rver 3.7 answers AbortMultipartUpload with 405, so this adds the
 * operation with S3's semantics in front of its routes: the upload's stored parts are deleted, and a
 * part that arrives (or finishes) after the abort is refused and removed (NoSuchUpload). The tests then
 * look at the storage folder itself to prove that no part was left behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver'

export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

export interface S3Server {
  endpoint: string
  bucket: string
  /** The store's folder on disk. */
  dir: string
  /** Stored parts of multipart uploads not completed or aborted, as `<uploadId>/<file>`. */
  partsLeft(): string[]
  /** Uploads that AbortMultipartUpload removed. */
  abortedUploads: Set<string>
  close(): Promise<void>
}

interface KoaContext {
  method: string
  path: string
  query: Record<string, string | undefined>
  status: number
  type: string
  body: unknown
}

export async function startS3(bucket = 'cortado-test'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'cortado-s3rver-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: bucket }] })
  const uploadsDir = (b: string) => join(dir, b, '._S3rver_uploads')
  const abortedUploads = new Set<string>()
  const noSuchUpload = (ctx: KoaContext, id: string) => {
    ctx.status = 404
    ctx.type = 'application/xml'
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${id}</UploadId></Error>`
  }
  server.middleware.unshift(async (ctx: KoaContext, next: () => Promise<void>) => {
    const id = ctx.query.uploadId
    if (id === undefined || !/^[0-9a-f]+$/.test(id)) return next()
    const folder = join(uploadsDir(ctx.path.split('/')[1]!), id)
    if (ctx.method === 'DELETE') {
      if (!existsSync(folder) && !abortedUploads.has(id)) return noSuchUpload(ctx, id)
      abortedUploads.add(id)
      await rm(folder, { recursive: true, force: true })
      ctx.status = 204
      return
    }
    if (abortedUploads.has(id)) return noSuchUpload(ctx, id)
    await next()
    if (abortedUploads.has(id)) await rm(folder, { recursive: true, force: true })
  })
  const address = (await server.run()) as { port: number }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    dir,
    abortedUploads,
    partsLeft() {
      const root = uploadsDir(bucket)
      if (!existsSync(root)) return []
      return readdirSync(root).flatMap((id) => readdirSync(join(root, id)).map((f) => `${id}/${f}`))
    },
    async close() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** S3Store options for this server. */
export function s3Options(server: S3Server) {
  return { bucket: server.bucket, endpoint: server.endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true }
}
