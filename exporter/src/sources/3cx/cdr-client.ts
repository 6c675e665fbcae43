import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Backoff } from '../runtime/backoff';
import type { CdrInput } from './cdr-input';
import { LineSplitter } from './lines';

export interface CdrClientOptions {
  host: string;
  port: number;
  backoff: Backoff;
  connectTimeoutMs?: number;
  maxLineBytes?: number;
}

export interface CdrClientEvents {
  up: [];
  down: [reason: string, wasUp: boolean];
}

/**
 * "Passive socket" CDR output: 3CX's CDR service listens and we connect. The connection carries one line per
 * record; if 3CX closes it after a record we are straight back (it was a good connection), and only failures back
 * off, with jitter, up to the configured ceiling.
 */
export class CdrClient extends EventEmitter<CdrClientEvents> {
  private socket?: Socket;
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private readonly backoff: Backoff;

  constructor(
    private readonly opts: CdrClientOptions,
    private readonly input: CdrInput,
  ) {
    super();
    this.backoff = opts.backoff;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const s = this.socket;
    this.socket = undefined;
    if (s && !s.destroyed) {
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      });
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const peer = `tcp:${this.opts.host}:${this.opts.port}`;
    const socket = connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    let up = false;
    let gotData = false;
    let reason = 'connection closed';
    const splitter = new LineSplitter(
      { line: (text) => this.input.line(text, peer), oversized: (bytes) => this.input.oversized(bytes, peer) },
      this.opts.maxLineBytes,
    );
    socket.setKeepAlive(true, 30_000);
    socket.setTimeout(this.opts.connectTimeoutMs ?? 10_000, () => {
      if (!up) {
        reason = 'connect timeout';
        socket.destroy();
      }
    });
    socket.once('connect', () => {
      up = true;
      socket.setTimeout(0);
      this.emit('up');
    });
    socket.on('data', (chunk: Buffer) => {
      gotData = true;
      splitter.push(chunk);
    });
    socket.once('end', () => splitter.end());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      reason = err.code ? `${err.code} ${this.opts.host}:${this.opts.port}` : err.message;
    });
    socket.once('close', () => {
      const rest = splitter.leftover();
      if (rest) this.input.truncated(rest, peer);
      if (this.socket === socket) this.socket = undefined;
      this.emit('down', reason, up);
      if (this.stopped) return;
      // a connection that delivered records and then closed is 3CX's one-record-per-connection style, not a failure
      if (up) this.backoff.reset();
      const delay = up && gotData ? 0 : this.backoff.next();
      this.timer = setTimeout(() => this.connect(), delay);
      this.timer.unref();
    });
  }
}
