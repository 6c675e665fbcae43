import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { CdrInput } from './cdr-input';
import { LineSplitter } from './lines';

export interface CdrListenerOptions {
  host: string;
  port: number;
  /** peer addresses allowed to send CDRs; empty = any */
  allowFrom?: readonly string[];
  /** a connection silent this long is closed (3CX opens a new one for the next record) */
  idleTimeoutMs?: number;
  maxLineBytes?: number;
}

export interface CdrListenerEvents {
  connection: [peer: string];
  refused: [peer: string];
  closed: [peer: string, records: number];
}

const plainAddress = (a: string | undefined): string => (a ?? '').replace(/^::ffff:/, '');

/**
 * "Active socket" CDR output: 3CX's CDR service is the client and connects to us. Some 3CX builds send one record
 * per connection and close, others keep the connection and stream one line per record: every connection gets its
 * own line splitter, and the record a closing connection leaves without a newline still counts.
 */
export class CdrListener extends EventEmitter<CdrListenerEvents> {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly allow: Set<string>;

  constructor(
    private readonly opts: CdrListenerOptions,
    private readonly input: CdrInput,
  ) {
    super();
    this.allow = new Set((opts.allowFrom ?? []).map(plainAddress));
  }

  /** The bound port (the configured one, or the one the OS picked for port 0). */
  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        this.server = undefined;
        reject(err);
      };
      server.once('error', fail);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', fail);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(socket: Socket): void {
    const address = plainAddress(socket.remoteAddress);
    const peer = `tcp:${address}:${socket.remotePort ?? 0}`;
    if (this.allow.size > 0 && !this.allow.has(address)) {
      this.emit('refused', peer);
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    this.emit('connection', peer);
    let records = 0;
    const splitter = new LineSplitter(
      {
        line: (text) => {
          records++;
          this.input.line(text, peer);
        },
        oversized: (bytes) => this.input.oversized(bytes, peer),
      },
      this.opts.maxLineBytes,
    );
    socket.setTimeout(this.opts.idleTimeoutMs ?? 10 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    // a clean end finishes the last record; a reset or timeout leaves half a line, which is no record
    socket.once('end', () => splitter.end());
    socket.on('error', () => undefined);
    socket.once('close', () => {
      const rest = splitter.leftover();
      if (rest) this.input.truncated(rest, peer);
      this.sockets.delete(socket);
      this.emit('closed', peer, records);
    });
  }
}
