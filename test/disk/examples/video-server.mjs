// Videos with seeking: a disk cache in front of S3; a range is answered from disk once the video is cached.
import { createServer } from 'node:http'
import { BlobCache, DiskCache, S3Store, serveBlob } from 'cortado/disk'

const store = new S3Store({
  bucket: process.env.S3_BUCKET ?? 'videos',
  endpoint: process.env.S3_ENDPOINT, // e.g. http://127.0.0.1:9000 for MinIO; unset for AWS
  forcePathStyle: process.env.S3_ENDPOINT !== undefined,
  region: process.env.AWS_REGION ?? 'us-east-1', // credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
})
const disk = new DiskCache({ dir: process.env.CACHE_DIR ?? '/var/cache/videos', maxBytes: 20 * 1024 ** 3 })
const videos = new BlobCache({ disk, store })

// Write-through: the upload lands on disk and in S3, with one ETag for both.
await videos.put('demo.mp4', Buffer.alloc(3 * 1024 * 1024, 7), { contentType: 'video/mp4' })

const server = createServer((req, res) => {
  let key
  try {
    key = decodeURIComponent(new URL(req.url, 'http://localhost').pathname.slice(1))
  } catch {
    res.writeHead(400).end('malformed URL\n') // GET /%ZZ: decodeURIComponent throws, and uncaught it would end the process
    return
  }
  serveBlob(req, res, videos, key, { cacheControl: 'public, max-age=3600' })
})
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/demo.mp4`
  console.log(`serving ${url}`)
  // What a <video> element sends when the viewer seeks to the middle:
  const seek = await fetch(url, { headers: { Range: 'bytes=1572864-' } })
  console.log(seek.status, seek.headers.get('content-range'), (await seek.arrayBuffer()).byteLength, 'bytes')
  // A revalidation with the ETag it got: 304, no body.
  const again = await fetch(url, { headers: { 'If-None-Match': seek.headers.get('etag') } })
  console.log(again.status, JSON.stringify(videos.stats()))
  if (process.argv.includes('--once')) {
    server.close()
    disk.close()
    await store.close()
  }
})
