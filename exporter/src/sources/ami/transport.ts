import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { canonicalHeader } from './headers';
import type { AmiEventBase, AmiMessage, AmiResponse } from './messages';

// asterisk-manager is plain JS without types; this is the part of its surface we use.
interface RawManager {
  on(event: string, fn: (...args: never[]) => void): void;
  removeAllListeners(): void;
  connect(port: number, host: string, cb: () => void): void;
  login(cb: (err?: Record<string, unknown>) => void): void;
  action(action: Record<string, string>, cb?: (err?: unknown, res?: unknown) => void): string;
  disconnect(): void;
}
type ManagerFactory = (
  port: number | undefined,
  host: string,
  username: string,
  secret: string,
  events: boolean,
) => RawManager;
const createManager = require('asterisk-manager') as ManagerFactory;
// the very module object asterisk-manager requires as 'net' (an ES namespace import would be a frozen copy)
const net = require('node:net') as typeof import('node:net');

export interface TransportOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** a frame larger than this without a blank line is garbage: reject it and drop the connection */
  maxFrameBytes?: number;
}

export interface TransportEvents {
  connected: [];
  loggedIn: [];
  loginFailed: [message: string];
  event: [AmiEventBase];
  response: [AmiResponse];
  malformed: [reason: string, detail: string];
  closed: [reason: string];
}

/** Flattens asterisk-manager's values (arrays for repeated keys, objects for Variable) and restores header case. */
export function normalize(raw: Record<string, unknown>): AmiMessage {
  const out: AmiMessage = {};
  for (const key in raw) {
    const v = raw[key];
    let s: string;
    if (typeof v === 'string') s = v;
    else if (Array.isArray(v)) s = v.map(String).join('\n');
    else if (v && typeof v === 'object') s = Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join('\n');
    else s = String(v);
    out[canonicalHeader(key)] = s;
  }
  return out;
}

const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * One AMI TCP session over asterisk-manager, which parses the wire protocol. A new Transport (and a new manager
 * object) per connection: the package keeps `authenticated` across reconnects and queues actions for a dead socket, so
 * its own reconnect (`keepConnected()`) is never used. We keep the socket it opens so a dead heartbeat can destroy
 * it; the package itself only ever `end()`s, which leaves a half-open connection hanging.
 */
export class Transport extends EventEmitter<TransportEvents> {
  private readonly manager: RawManager;
  private socket?: Socket;
  private bytesSinceFrame = 0;
  private closedReason?: string;

  constructor(private readonly opts: TransportOptions) {
    super();
    this.manager = createManager(undefined, opts.host, opts.username, opts.secret, true);
    this.manager.on('rawevent', () => {
      this.bytesSinceFrame = 0;
    });
    this.manager.on('managerevent', (raw: Record<string, unknown>) => this.onEvent(raw));
    this.manager.on('response', (raw: Record<string, unknown>) => {
      const msg = normalize(raw);
      if (typeof msg.Response === 'string') this.emit('response', msg as AmiResponse);
    });
    // the package emits 'asterisk' for every frame that is not an event, responses included
    this.manager.on('asterisk', (raw: Record<string, unknown>) => {
      if (typeof raw.response === 'string') return;
      this.emit('malformed', 'frame without Event or Response', JSON.stringify(raw).slice(0, 200));
    });
  }

  open(): void {
    const original = net.createConnection;
    // capture the socket asterisk-manager creates inside connect(); connect() is synchronous up to that call
    const capture = ((...args: Parameters<typeof net.createConnection>) => {
      const s = original.apply(net, args);
      this.socket = s;
      return s;
    }) as typeof net.createConnection;
    net.createConnection = capture;
    try {
      this.manager.connect(this.opts.port, this.opts.host, () => this.emit('connected'));
    } finally {
      net.createConnection = original;
    }
    const socket = this.socket;
    if (!socket) throw new Error('asterisk-manager did not open a socket');
    const limit = this.opts.maxFrameBytes ?? 1024 * 1024;
    socket.on('data', (chunk: string | Buffer) => {
      this.bytesSinceFrame += chunk.length;
      if (this.bytesSinceFrame > limit) {
        this.emit('malformed', 'oversized frame', `${this.bytesSinceFrame} bytes without a frame end`);
        this.destroy('oversized frame');
      }
    });
    socket.on('error', (err) => {
      this.closedReason ??= err.message;
    });
    socket.on('close', () => this.emit('closed', this.closedReason ?? 'connection closed by the PBX'));
  }

  /** Sends Login; resolves true on success, false (after emitting loginFailed) when Asterisk refused. */
  login(): void {
    this.manager.login((err) => {
      if (err) {
        const msg = normalize(err);
        this.emit('loginFailed', msg.Message ?? 'Authentication failed');
      } else this.emit('loggedIn');
    });
  }

  send(action: Record<string, string>): void {
    this.manager.action(action);
  }

  private onEvent(raw: Record<string, unknown>): void {
    const msg = normalize(raw);
    const name = msg.Event;
    if (!name || !EVENT_NAME.test(name)) {
      this.emit('malformed', 'bad event name', String(name).slice(0, 80));
      return;
    }
    this.emit('event', msg as AmiEventBase);
  }

  /** Drops the TCP connection at once (no Logoff: used when the peer is dead or talking garbage). */
  destroy(reason: string): void {
    this.closedReason ??= reason;
    this.socket?.destroy();
  }

  /** Polite close: Logoff, then end. */
  close(reason: string): void {
    this.closedReason ??= reason;
    try {
      this.manager.action({ action: 'Logoff' });
    } catch {
      // the socket may already be gone
    }
    this.socket?.end();
    setTimeout(() => this.socket?.destroy(), 500).unref();
  }

  dispose(): void {
    this.manager.removeAllListeners();
    this.removeAllListeners();
    this.socket?.destroy();
  }
}
