/**
 * Serving peers: the HTTP handler for PEER_PATH. It checks who is asking (the shared secret), what they
 * speak (the version byte) and the key (length, UTF-8, the cache's key rules) before anything is
 * loaded, then hands the key to `serve`, which loads it through the owner's single-flight.
 *
 * A request from a peer is always answered here, never forwarded: even when this peer's view of the
 * ring disagrees with the asker's (during a membership change), loading here is correct, and it can't
 * bounce between peers.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isCortadoError } from '../errors.js'
import { MAX_REQUEST_BYTES, PEER_PATH, ReplyStatus, SECRET_HEADER, decodeRequest, encodeMessageReply } from './wire.js'

export interface PeerServerOptions {
  secret: string | undefined
  /** The reply frame for a key (value, miss or load failure). `hangUp()` is a signal aborted when the asker hangs up. */
  serve(key: string, hangUp: () => AbortSignal): Promise<Buffer>
  /** Counts a served or refused request. */
  count(outcome: 'served' | 'refused'): void
  /** False once the group is closed: requests are then refused. */
  open(): boolean
}

export type PeerHandler = (req: IncomingMessage, res: ServerResponse) => boolean

/** A handler that answers PEER_PATH and returns true, or returns false (and does nothing) for other URLs. */
export function peerHandler(options: PeerServerOptions): PeerHandler {
  const secretDigest = options.secret === undefined ? undefined : digest(options.secret)
  const refuse = (res: ServerResponse, httpStatus: number, message: string): void => {
    options.count('refused')
    // 413: the rest of an oversized body is not read, so the connection can't carry another request.
    if (httpStatus === 413) res.setHeader('connection', 'close')
    send(res, httpStatus, encodeMessageReply(ReplyStatus.Refused, message))
  }
  return (req, res) => {
    if (req.url !== PEER_PATH) return false
    if (req.method !== 'POST') {
      refuse(res, 405, `${req.method} is not allowed: peers POST a request frame`)
      req.resume()
      return true
    }
    if (!options.open()) {
      refuse(res, 503, 'this peer is closing')
      req.resume()
      return true
    }
    if (secretDigest !== undefined) {
      const given = req.headers[SECRET_HEADER]
      // Digests have equal lengths, so the comparison takes the same time whatever was sent.
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), secretDigest)) {
        refuse(res, 403, 'not a member of this group (missing or wrong shared secret)')
        req.resume()
        return true
      }
    }
    readBody(req, MAX_REQUEST_BYTES).then(
      (body) => {
        if (body === undefined) {
          refuse(res, 413, `request over ${MAX_REQUEST_BYTES} bytes: the key is over the limit`)
          return
        }
        let key: string
        try {
          key = decodeRequest(body)
        } catch (error) {
          refuse(res, 400, (error as Error).message)
          return
        }
        // Made only when serve() has to wait (a miss): an AbortController per cached answer is measurable.
        const hangUp = (): AbortSignal => {
          const controller = new AbortController()
          res.on('close', () => {
            if (!res.writableFinished) controller.abort()
          })
          return controller.signal
        }
        options.serve(key, hangUp).then(
          (frame) => {
            options.count('served')
            send(res, 200, frame)
          },
          (error: unknown) => {
            // serve() turns loader failures into frames; what reaches here is this peer's own trouble.
            const message = isCortadoError(error) ? `${error.code}: ${error.message}` : String(error)
            refuse(res, isCortadoError(error, 'ERR_CLOSED') ? 503 : 500, message)
          },
        )
      },
      () => res.destroy(),
    )
    return true
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

function send(res: ServerResponse, status: number, frame: Buffer): void {
  if (res.destroyed) return
  res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': frame.length })
  res.end(frame)
}

/** The request body, or undefined when it is longer than `limit` (the rest is then not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const announced = Number(req.headers['content-length'])
    if (Number.isFinite(announced) && announced > limit) {
      resolve(undefined)
      // Answer first, then drop the connection: the client is not left sending a body nobody reads.
      req.on('error', () => {})
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size))
    })
    req.on('error', reject)
  })
}
