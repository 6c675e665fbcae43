// Long on purpose (about 360 lines): one fake server whose routes share its token, stream and fault state; the
// click-to-dial part is already its own file, and the rest is the NFON protocol read top to bottom.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ClickToDial, type DialBody, type DialTiming } from './click-to-dial';
import type { FakeCallEvent } from './call-event';

export type { FakeCallEvent };

/** A state object as the states stream sends it (spec 1.0.1 `state`). */
export interface FakeState {
  extension: string;
  line: 'unknown' | 'offline' | 'idle' | 'ringing' | 'in-use';
  presence: 'offline' | 'available' | 'away' | 'busy' | 'dnd' | 'null';
}

export interface FakeNfonOptions {
  host?: string;
  port?: number;
  account?: string;
  username?: string;
  password?: string;
  /** access token lifetime (NFON: 5 minutes) */
  tokenTtlMs?: number;
  /** refresh token lifetime */
  refreshTtlMs?: number;
  /** extensions: number → name */
  extensions?: Record<string, string>;
  /** a stream is cut when the token it was opened with expires (whether NFON does this is not known) */
  cutOnExpiry?: boolean;
  /** delay between the items of the states bootstrap */
  bootstrapDelayMs?: number;
  /** how long the steps of a click-to-dial call take */
  clickToDial?: DialTiming;
}

/** What the fake server saw of one request: for tests asserting on what the client sends. */
export interface SeenRequest {
  method: string;
  path: string;
  userAgent?: string;
  authorization?: string;
  status: number;
}

type StreamKind = 'calls' | 'states';

interface Client {
  kind: StreamKind;
  res: ServerResponse;
  token: string;
  timer?: NodeJS.Timeout;
  /** changes that happened during a slow bootstrap: sent after it, in order */
  held?: string[];
}

/** A JWT-shaped token (header.payload.signature, unsigned): clients treat it as opaque, as they should. */
function token(kind: string, account: string, exp: number): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: account, typ: kind, exp: Math.floor(exp / 1000), jti: randomUUID() })}.${randomBytes(16).toString('base64url')}`;
}

/**
 * A fake NFON CTI API on loopback: real HTTP and SSE, shaped by NFON's OpenAPI spec 1.0.1 — `POST /v1/login` and
 * `PUT /v1/login` (hyphenated token keys, access tokens that expire), `GET /v1/extensions/phone/data`, the states
 * stream (bootstrap, then changes) and snapshot, and the tenant-wide calls stream (no replay). Knobs make it misbehave
 * the ways a client must survive: a refused refresh, streams cut, tokens expiring mid-stream, a slow bootstrap, data
 * that is not JSON. Used by the tests and by the demo's NFON office.
 */
export class FakeNfon {
  readonly account: string;
  readonly username: string;
  password: string;
  readonly requests: SeenRequest[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly access = new Map<string, number>();
  private readonly refresh = new Map<string, number>();
  private readonly clients = new Set<Client>();
  private readonly states = new Map<string, FakeState & { updated: string }>();
  private readonly extensions: Map<string, string>;
  private refreshRefusals = 0;
  private online = true;
  private portNumber = 0;
  private heartbeat?: NodeJS.Timeout;
  private readonly dialler: ClickToDial;

  constructor(private readonly opts: FakeNfonOptions = {}) {
    this.account = opts.account ?? 'K9999';
    this.username = opts.username ?? 'switchboard-api';
    this.password = opts.password ?? 'nfon-secret-password';
    this.extensions = new Map(Object.entries(opts.extensions ?? {}));
    this.dialler = new ClickToDial(this.account, (ev) => this.call(ev), opts.clickToDial);
    for (const ext of this.extensions.keys()) this.states.set(ext, { extension: ext, line: 'idle', presence: 'available', updated: new Date().toISOString() });
  }

  get port(): number {
    return this.portNumber;
  }

  /** The API's base URL, version included: a source's `url`. */
  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.portNumber}/v1`;
  }

  async start(): Promise<void> {
    await this.listen(this.opts.port ?? 0);
    // comments keep idle streams alive through proxies, as SSE servers do
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, 15_000);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.dialler.stop();
    await this.close();
  }

  /** false: streams cut and the port closed; true: listening again on the same port. */
  async setOnline(online: boolean): Promise<void> {
    if (online === this.online) return;
    this.online = online;
    if (online) await this.listen(this.portNumber);
    else await this.close();
  }

  // ---- what the tests and the demo office drive --------------------------------------------------------------

  /** One call event to every calls stream. */
  call(ev: FakeCallEvent): void {
    const body = { customer: this.account, ...ev, updated: ev.updated ?? new Date().toISOString() };
    this.broadcast('calls', JSON.stringify(body));
  }

  /** An extension's line / presence changes: sent to every states stream. */
  state(extension: string, change: Partial<Omit<FakeState, 'extension'>>, updated = new Date().toISOString()): void {
    const prev = this.states.get(extension) ?? { extension, line: 'idle' as const, presence: 'available' as const, updated };
    const next = { ...prev, ...change, updated };
    this.states.set(extension, next);
    this.broadcast('states', JSON.stringify({ customer: this.account, ...next }));
  }

  /** Raw `data:` text, JSON or not, to every stream of `kind`. */
  raw(kind: StreamKind, data: string): void {
    this.broadcast(kind, data);
  }

  /** Cuts the open streams (of one kind, or all): the client sees the stream end. */
  cut(kind?: StreamKind): void {
    for (const c of [...this.clients]) if (!kind || c.kind === kind) this.drop(c);
  }

  /** The next `n` token refreshes are refused with 401. */
  refuseRefresh(n = 1): void {
    this.refreshRefusals += n;
  }

  /** Every access token expires now (streams opened with one are cut when `cutOnExpiry`). */
  expireTokens(): void {
    for (const t of this.access.keys()) this.access.set(t, 0);
    if (this.opts.cutOnExpiry) for (const c of [...this.clients]) this.drop(c);
  }

  streams(kind: StreamKind): number {
    return [...this.clients].filter((c) => c.kind === kind).length;
  }

  seen(method: string, path: string): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private listen(port: number): Promise<void> {
    const server = createServer((req, res) => this.route(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.host ?? '127.0.0.1', () => {
        this.portNumber = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private close(): Promise<void> {
    for (const c of [...this.clients]) this.drop(c);
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private drop(c: Client): void {
    clearTimeout(c.timer);
    this.clients.delete(c);
    c.res.socket?.destroy();
    c.res.destroy();
  }

  private broadcast(kind: StreamKind, data: string): void {
    for (const c of this.clients) {
      if (c.kind !== kind) continue;
      if (c.held) c.held.push(data);
      else c.res.write(`data: ${data}\n\n`);
    }
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown): void {
    this.log(req, status);
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': randomUUID() });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private log(req: IncomingMessage, status: number): void {
    this.requests.push({
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0]!,
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status,
    });
    if (this.requests.length > 10_000) this.requests.splice(0, 5000);
  }

  private pair(): { 'access-token': string; 'refresh-token': string } {
    const now = Date.now();
    const access = token('access', this.account, now + (this.opts.tokenTtlMs ?? 300_000));
    const refresh = token('refresh', this.account, now + (this.opts.refreshTtlMs ?? 3600_000));
    this.access.set(access, now + (this.opts.tokenTtlMs ?? 300_000));
    this.refresh.set(refresh, now + (this.opts.refreshTtlMs ?? 3600_000));
    return { 'access-token': access, 'refresh-token': refresh };
  }

  private bearer(req: IncomingMessage): string | undefined {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m?.[1];
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v1/login' && req.method === 'POST') return void this.login(req, res);
    if (path === '/v1/login' && req.method === 'PUT') return this.renew(req, res);
    const t = this.bearer(req);
    const exp = t === undefined ? undefined : this.access.get(t);
    if (exp === undefined || exp <= Date.now()) return this.send(req, res, 401, { error: exp === undefined ? 'invalid token' : 'token expired' });
    if (path === '/v1/extensions/phone/calls' && req.method === 'POST') return void this.dial(req, res);
    const cancel = /^\/v1\/extensions\/phone\/calls\/([^/]+)$/.exec(path);
    if (cancel && req.method === 'DELETE') {
      if (!this.dialler.cancel(decodeURIComponent(cancel[1]))) return this.send(req, res, 404, { error: 'no call in progress with this uuid' });
      return this.send(req, res, 204);
    }
    if (req.method !== 'GET') return this.send(req, res, 404, { error: 'not found' });
    if (path === '/v1/extensions/phone/data') {
      return this.send(req, res, 200, [...this.extensions].map(([n, name]) => ({ uuid: `${n}@${this.account}`, extension_number: n, name })));
    }
    const accept = req.headers.accept ?? '';
    if (path === '/v1/extensions/phone/states') {
      if (accept.includes('application/json')) return this.send(req, res, 200, [...this.states.values()].map((s) => ({ customer: this.account, ...s })));
      return this.stream(req, res, 'states', t!, exp);
    }
    if (path === '/v1/extensions/phone/calls') {
      if (!accept.includes('text/event-stream')) return this.send(req, res, 406, { error: 'Accept: text/event-stream required' });
      return this.stream(req, res, 'calls', t!, exp);
    }
    this.send(req, res, 404, { error: 'not found' });
  }

  /** POST /extensions/phone/calls with `Accept: application/json` (or none): 202 and the `start` event. */
  private async dial(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: DialBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DialBody;
    } catch {
      return this.send(req, res, 400, { error: 'body is not JSON' });
    }
    const r = this.dialler.start(body ?? {});
    if ('error' in r) return this.send(req, res, 400, { error: r.error });
    this.send(req, res, 202, r.start);
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { username?: unknown; password?: unknown } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return this.send(req, res, 400, { error: 'body is not JSON' });
    }
    if (body.username !== this.username || body.password !== this.password) return this.send(req, res, 401, { error: 'invalid credentials' });
    this.send(req, res, 200, this.pair());
  }

  private renew(req: IncomingMessage, res: ServerResponse): void {
    const t = this.bearer(req);
    const exp = t === undefined ? undefined : this.refresh.get(t);
    if (this.refreshRefusals > 0) {
      this.refreshRefusals--;
      return this.send(req, res, 401, { error: 'refresh token rejected' });
    }
    if (exp === undefined || exp <= Date.now()) return this.send(req, res, 401, { error: 'invalid refresh token' });
    this.refresh.delete(t!);
    this.send(req, res, 200, this.pair());
  }

  private stream(req: IncomingMessage, res: ServerResponse, kind: StreamKind, t: string, exp: number): void {
    this.log(req, 200);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Request-Id': randomUUID() });
    res.write(': connected\n\n');
    const c: Client = { kind, res, token: t };
    if (this.opts.cutOnExpiry) {
      c.timer = setTimeout(() => this.drop(c), Math.max(0, exp - Date.now()));
      c.timer.unref();
    }
    req.on('close', () => {
      clearTimeout(c.timer);
      this.clients.delete(c);
    });
    if (kind === 'calls') {
      this.clients.add(c);
      return;
    }
    // the bootstrap: every extension's current state, then changes as they happen
    const items = [...this.states.values()];
    const delay = this.opts.bootstrapDelayMs ?? 0;
    if (delay === 0) {
      for (const s of items) res.write(`data: ${JSON.stringify({ customer: this.account, ...s })}\n\n`);
      this.clients.add(c);
      return;
    }
    c.held = [];
    this.clients.add(c);
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ customer: this.account, ...items[i++] })}\n\n`);
      if (i < items.length) return void setTimeout(next, delay).unref();
      for (const d of c.held ?? []) res.write(`data: ${d}\n\n`);
      delete c.held;
    };
    if (items.length) next();
    else delete c.held;
  }
}
