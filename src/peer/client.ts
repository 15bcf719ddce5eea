/**
 * Asking an owner for a key: one POST per request over keep-alive connections (a peer asks the same
 * few owners all the time, so a connection per request would cost a TCP handshake each), with a hard
 * deadline that covers connecting, the owner's load and reading the reply. Everything that is not a
 * checked reply frame becomes a CortadoError ERR_PEER (or ERR_TIMEOUT), which the group treats as
 * "owner unavailable".
 */
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'
import { CortadoError } from '../errors.js'
import { MAX_REPLY_BYTES, PEER_PATH, SECRET_HEADER, decodeReply, encodeRequest, type Reply } from './wire.js'

/** Pooled sockets idle this long are closed by the client. */
export const IDLE_SOCKET_MS = 15_000
/**
 * How long the peer server keeps an idle connection: longer than the client's idle time, so a server
 * never closes a socket the client may be about to reuse (the classic keep-alive race).
 */
export const SERVER_KEEP_ALIVE_MS = 65_000

export interface PeerClientOptions {
  timeoutMs: number
  secret: string | undefined
}

export class PeerClient {
  readonly #agent: Agent
  readonly #timeoutMs: number
  readonly #secret: string | undefined
  readonly #targets = new Map<string, { hostname: string; port: number }>()

  constructor(options: PeerClientOptions) {
    this.#timeoutMs = options.timeoutMs
    this.#secret = options.secret
    // Idle sockets are closed after IDLE_SOCKET_MS, so a departed peer leaves no file descriptors behind
    // and the client, not the server (see SERVER_KEEP_ALIVE_MS), is the side that closes idle sockets.
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: IDLE_SOCKET_MS })
  }

  /** The owner's checked reply for `key`; rejects with ERR_TIMEOUT after timeoutMs, ERR_PEER on anything broken. */
  fetch(peer: string, key: string): Promise<Reply> {
    const body = encodeRequest(key)
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    }
    if (this.#secret !== undefined) headers[SECRET_HEADER] = this.#secret
    return new Promise<Reply>((resolve, reject) => {
      let settled = false
      let req: ClientRequest
      const finish = (error: unknown, reply?: Reply): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error === undefined) resolve(reply!)
        else reject(error)
      }
      const send = (retry: boolean): void => {
        req = request({ ...this.#target(peer), path: PEER_PATH, method: 'POST', agent: this.#agent, headers }, (res) => {
          readReply(res).then((reply) => finish(undefined, reply), (error: unknown) => finish(error))
        })
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A pooled socket the server closed just as it was reused fails before any reply. Asking for a
          // key is idempotent (the owner's load is single-flight), so it is sent once more, on a new socket.
          if (retry && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !settled) send(false)
          else finish(new CortadoError('ERR_PEER', `peer ${peer} unreachable: ${error.message}`, { cause: error }))
        })
        req.end(body)
      }
      const timer = setTimeout(() => {
        finish(new CortadoError('ERR_TIMEOUT', `peer ${peer} did not answer for '${key}' within ${this.#timeoutMs} ms`))
        // Destroying the socket (not just ignoring the reply) frees it from the pool: a late reply on a
        // kept-alive socket would otherwise be read as the answer to the next request.
        req.destroy()
      }, this.#timeoutMs)
      send(true)
    })
  }

  /** Host and port of a peer, parsed once rather than per request. */
  #target(peer: string): { hostname: string; port: number } {
    let target = this.#targets.get(peer)
    if (!target) {
      const url = new URL(peer)
      target = { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80) }
      this.#targets.set(peer, target)
    }
    return target
  }

  /** Closes every pooled connection; requests in flight fail. */
  close(): void {
    this.#agent.destroy()
  }
}

function readReply(res: IncomingMessage): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const announced = Number(res.headers['content-length'])
    if (!Number.isSafeInteger(announced) || announced > MAX_REPLY_BYTES) {
      res.destroy()
      reject(new CortadoError('ERR_PEER', `peer reply without a usable content-length (HTTP ${res.statusCode})`))
      return
    }
    const chunks: Buffer[] = []
    let received = 0
    res.on('data', (chunk: Buffer) => {
      received += chunk.length
      chunks.push(chunk)
    })
    res.on('error', (error) => reject(new CortadoError('ERR_PEER', `peer reply broken: ${error.message}`, { cause: error })))
    res.on('close', () => {
      if (!res.complete) reject(new CortadoError('ERR_PEER', 'peer closed the connection mid-reply'))
    })
    res.on('end', () => {
      if (received !== announced) {
        reject(new CortadoError('ERR_PEER', `peer reply truncated: ${received} of ${announced} bytes`))
        return
      }
      try {
        resolve(decodeReply(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)))
      } catch (error) {
        reject(error)
      }
    })
  })
}
