import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/** Header order matters to humans reading a capture, so frames are ordered pairs (an object keeps its key order). */
export type Frame = Record<string, string | number | undefined>;

export function formatFrame(frame: Frame): string {
  let s = '';
  for (const k in frame) {
    const v = frame[k];
    if (v !== undefined) s += `${k}: ${v}\r\n`;
  }
  return `${s}\r\n`;
}

/** Parses action frames from a client (the server side only ever reads small, well-formed requests). */
function* parseFrames(buffer: { data: string }): Generator<Record<string, string>> {
  let end: number;
  while ((end = buffer.data.indexOf('\r\n\r\n')) >= 0) {
    const block = buffer.data.slice(0, end);
    buffer.data = buffer.data.slice(end + 4);
    const frame: Record<string, string> = {};
    for (const line of block.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) frame[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (Object.keys(frame).length) yield frame;
  }
}

export type ActionHandler = (action: Record<string, string>, session: AmiSession) => void | Promise<void>;

export interface AmiServerOptions {
  host?: string;
  port?: number;
  username: string;
  secret: string;
  /** lower-case action name → handler; Login, Logoff and Ping are built in */
  actions?: Record<string, ActionHandler>;
}

/** Test knobs: how this PBX misbehaves. */
export interface Misbehaviour {
  /** never answer Ping (a half-dead PBX) */
  ignorePing?: boolean;
  /** delay every action response by this long */
  actionDelayMs?: number;
}

export interface AmiServerEvents {
  session: [AmiSession];
  login: [AmiSession];
  action: [Record<string, string>, AmiSession];
}

/** One client connection. */
export class AmiSession {
  authenticated = false;
  eventsOn = true;

  constructor(
    readonly socket: Socket,
    readonly server: AmiServer,
  ) {}

  send(frame: Frame): void {
    if (!this.socket.destroyed) this.socket.write(formatFrame(frame));
  }

  writeRaw(bytes: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  respond(action: Record<string, string>, fields: Frame = {}, response = 'Success'): void {
    this.send({ Response: response, ActionID: action.actionid, ...fields });
  }

  /** An EventList answer: the Success response, the items (each with the ActionID), then `<name>Complete`. */
  list(action: Record<string, string>, items: Frame[], complete: string, message = 'Events will follow'): void {
    this.respond(action, { EventList: 'start', Message: message });
    for (const item of items) this.send({ ...item, ActionID: action.actionid });
    this.send({ Event: complete, ActionID: action.actionid, EventList: 'Complete', ListItems: items.length });
  }
}

/**
 * A TCP server that speaks the Asterisk Manager Interface: banner, Login (MD5 challenge not supported, plain secret
 * only, like most AMI clients use), Logoff, Ping, pluggable actions and event broadcast to logged-in sessions. The demo
 * PBX runs on it, and the tests use it as a fake Asterisk (replayed captures, dropped connections, slow answers).
 */
export class AmiServer extends EventEmitter<AmiServerEvents> {
  readonly sessions = new Set<AmiSession>();
  misbehave: Misbehaviour = {};
  private server?: Server;
  private boundPort: number;

  constructor(private readonly opts: AmiServerOptions) {
    super();
    this.boundPort = opts.port ?? 0;
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return !!this.server?.listening;
  }

  async listen(): Promise<number> {
    if (this.server?.listening) return this.boundPort;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.boundPort = addr.port;
    return this.boundPort;
  }

  /** Stops listening and drops every session (the PBX "goes away"). */
  async close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    this.sessions.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends an event to every logged-in session that asked for events. */
  broadcast(frame: Frame): void {
    const bytes = formatFrame(frame);
    for (const s of this.sessions) if (s.authenticated && s.eventsOn && !s.socket.destroyed) s.socket.write(bytes);
  }

  private accept(socket: Socket): void {
    const session = new AmiSession(socket, this);
    this.sessions.add(session);
    socket.setNoDelay(true);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => socket.destroy());
    socket.write('Asterisk Call Manager/11.0.0\r\n');
    const buffer = { data: '' };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer.data += chunk;
      if (buffer.data.length > 1 << 20) return socket.destroy(); // a client that never ends a frame
      for (const action of parseFrames(buffer)) void this.dispatch(action, session);
    });
    this.emit('session', session);
  }

  private async dispatch(action: Record<string, string>, session: AmiSession): Promise<void> {
    const name = (action.action ?? '').toLowerCase();
    this.emit('action', action, session);
    if (this.misbehave.actionDelayMs && name !== 'login') {
      await new Promise((r) => setTimeout(r, this.misbehave.actionDelayMs));
    }
    if (name === 'login') return this.login(action, session);
    if (name === 'logoff') {
      session.respond(action, { Message: 'Thanks for all the fish.' }, 'Goodbye');
      session.socket.end();
      return;
    }
    if (!session.authenticated) {
      session.respond(action, { Message: 'Permission denied' }, 'Error');
      return;
    }
    if (name === 'ping') {
      if (this.misbehave.ignorePing) return;
      session.respond(action, { Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) });
      return;
    }
    const handler = this.opts.actions?.[name];
    if (!handler) {
      session.respond(action, { Message: 'Invalid/unknown command' }, 'Error');
      return;
    }
    try {
      await handler(action, session);
    } catch (err) {
      session.respond(action, { Message: (err as Error).message }, 'Error');
    }
  }

  private login(action: Record<string, string>, session: AmiSession): void {
    if (action.username !== this.opts.username || action.secret !== this.opts.secret) {
      session.respond(action, { Message: 'Authentication failed' }, 'Error');
      // Asterisk ends the session after a refused login
      setTimeout(() => session.socket.end(), 50);
      return;
    }
    session.authenticated = true;
    session.eventsOn = (action.events ?? 'on').toLowerCase() !== 'off';
    session.respond(action, { Message: 'Authentication accepted' });
    this.emit('login', session);
  }
}
