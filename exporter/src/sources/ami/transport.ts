import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { FrameReader } from './frames';
import type { AmiEventBase, AmiMessage, AmiResponse } from './messages';

export interface TransportOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** an ordinary frame larger than this is counted and skipped */
  maxFrameBytes?: number;
  /** a legacy `Response: Follows` body larger than this, or open longer than followsTimeoutMs, is given up */
  maxFollowsBytes?: number;
  followsTimeoutMs?: number;
  /** whether an action of ours with this ActionID waits for its answer (only such an answer can be a Follows body) */
  awaits?: (actionId: string) => boolean;
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

const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const LOGIN_ID = 'sb-login';
const FOLLOWS_TIMEOUT_MS = 5000;

/** One action as AMI text; a CR or LF in a key or value would smuggle in headers of its own, so it is refused. */
export function formatAction(fields: Record<string, string>): string {
  let s = '';
  for (const [k, v] of Object.entries(fields)) {
    if (/[\r\n:]/.test(k) || /[\r\n]/.test(v)) throw new Error(`AMI action header "${k.slice(0, 40)}" holds a line break`);
    s += `${k}: ${v}\r\n`;
  }
  return `${s}\r\n`;
}

/**
 * One AMI TCP session: our own frame reader (frames.ts) over a plain socket, a new Transport per connection.
 * asterisk-manager used to carry the bytes, but it turned frame text into emitter event names (an `ActionID` or an
 * `Event` of `rawevent` crashed or hung the process) and let an unterminated `Follows` swallow the stream; what was
 * left of it worth keeping (a socket and a login) is a few lines here.
 */
export class Transport extends EventEmitter<TransportEvents> {
  private socket?: Socket;
  private closedReason?: string;
  private followsTimer?: NodeJS.Timeout;
  private loginAnswered = false;
  private readonly reader: FrameReader;

  constructor(private readonly opts: TransportOptions) {
    super();
    this.reader = new FrameReader(
      {
        frame: (msg) => this.onFrame(msg),
        reject: (reason, detail) => this.emit('malformed', reason, detail),
        follows: (open) => {
          clearTimeout(this.followsTimer);
          if (open) this.followsTimer = setTimeout(() => this.reader.abandonFollows(), opts.followsTimeoutMs ?? FOLLOWS_TIMEOUT_MS);
        },
      },
      { maxFrameBytes: opts.maxFrameBytes, maxFollowsBytes: opts.maxFollowsBytes, awaits: opts.awaits },
    );
  }

  open(): void {
    const socket = createConnection({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.setEncoding('utf8');
    socket.once('connect', () => this.emit('connected'));
    socket.on('data', (chunk: string) => this.reader.push(chunk));
    socket.on('error', (err) => {
      this.closedReason ??= err.message;
    });
    socket.on('close', () => {
      clearTimeout(this.followsTimer);
      this.emit('closed', this.closedReason ?? 'connection closed by the PBX');
    });
  }

  /** Sends Login; its answer is emitted as loggedIn or loginFailed, never as a response. */
  login(): void {
    try {
      this.send({ Action: 'Login', ActionID: LOGIN_ID, Username: this.opts.username, Secret: this.opts.secret, Events: 'on' });
    } catch (err) {
      this.emit('loginFailed', (err as Error).message);
    }
  }

  /** Writes one action; throws when a value would break the frame. */
  send(action: Record<string, string>): void {
    const text = formatAction(action);
    this.socket?.write(text);
  }

  private onFrame(msg: AmiMessage): void {
    if (msg.Response !== undefined) {
      if (msg.ActionID === LOGIN_ID) {
        // one Login, one answer: a later frame with our login's ActionID (a PBX bug, a fuzzer) logs nobody in again
        if (this.loginAnswered) return;
        this.loginAnswered = true;
        if (msg.Response.toLowerCase() === 'success') this.emit('loggedIn');
        else this.emit('loginFailed', msg.Message ?? 'Authentication failed');
        return;
      }
      this.emit('response', msg as AmiResponse);
      return;
    }
    const name = msg.Event;
    if (name === undefined || !EVENT_NAME.test(name)) {
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
    if (this.socket?.writable) this.socket.write(formatAction({ Action: 'Logoff' }));
    this.socket?.end();
    setTimeout(() => this.socket?.destroy(), 500).unref();
  }

  dispose(): void {
    clearTimeout(this.followsTimer);
    this.removeAllListeners();
    this.socket?.destroy();
  }
}
