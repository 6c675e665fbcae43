import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Call, ExtensionState, UserStatus } from '../domain';
import type { Hub, HubEvents } from '../hub';
import type { LiveState } from '../live';
import type { ApiCall, ApiExtension } from './models';
import * as render from './render';

export const TOPICS = ['extension', 'call', 'queue', 'trunk', 'conference', 'parking', 'source'] as const;
export type Topic = (typeof TOPICS)[number];

export interface StreamOptions {
  /** a `: heartbeat` comment this often keeps proxies from closing an idle stream */
  heartbeatMs?: number;
  /** deltas kept for clients resuming with Last-Event-ID */
  bufferSize?: number;
  /** a client whose unsent data exceeds this is dropped (it can resume) rather than held in memory */
  maxPendingBytes?: number;
  now?: () => number;
  /** told the number of open streams on every change */
  onClients?: (n: number) => void;
  /** names call parties and extensions' counterparts, as the API's lists do */
  contacts?: render.ContactLookup;
}

interface Message {
  id: number;
  topic: Topic;
  frame: string;
}

interface Client {
  res: ServerResponse;
  topics: ReadonlySet<Topic>;
}

const frame = (id: number, event: string, data: unknown): string =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The live event stream. Hub events become numbered SSE messages, kept in a bounded buffer. A new client gets a
 * `snapshot` of LiveState (numbered with the newest message id) and then the deltas; a client that comes back with
 * Last-Event-ID gets just the deltas it missed, or a fresh snapshot when they have left the buffer. Ids start at the
 * process start time in ms, so an id from an earlier run of the exporter falls outside the buffer and earns a
 * snapshot rather than a wrong replay.
 */
export class EventStream {
  private readonly clients = new Set<Client>();
  private buffer: Message[] = [];
  private lastId: number;
  private readonly bufferSize: number;
  private readonly maxPendingBytes: number;
  private readonly now: () => number;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly off: (() => void)[] = [];

  constructor(
    hub: Hub,
    private readonly live: LiveState,
    private readonly opts: StreamOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.lastId = Date.now();
    this.bufferSize = opts.bufferSize ?? 10_000;
    this.maxPendingBytes = opts.maxPendingBytes ?? 4 * 1024 * 1024;
    const on = <K extends keyof HubEvents>(event: K, topic: Topic, fn: (...a: HubEvents[K]) => unknown) => {
      const listener = (...a: HubEvents[K]) => this.publish(topic, event, fn(...a));
      hub.on(event, listener as never);
      this.off.push(() => hub.off(event, listener as never));
    };
    on('extension', 'extension', (e) => this.ext(e));
    // a status its user set changes how the extension shows: the same delta as a change on the PBX
    const statusSet = (u: UserStatus): void => {
      const e = live.extension(u.pbx, u.extension);
      if (e) this.publish('extension', 'extension', this.ext(e, u));
    };
    hub.on('userStatus', statusSet);
    this.off.push(() => hub.off('userStatus', statusSet));
    on('call', 'call', this.call);
    on('callEnded', 'call', this.call);
    on('queue', 'queue', (q) => render.queue(q, this.now()));
    on('trunk', 'trunk', render.trunk);
    on('conference', 'conference', render.conference);
    on('parking', 'parking', (p) => render.parking(p, this.now()));
    on('source', 'source', render.source);
    this.heartbeat = setInterval(() => this.writeAll(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** an extension as the stream sends it: with its user's status and its counterpart named */
  private ext(e: ExtensionState, user = this.live.userStatus(e.pbx, e.extension)): ApiExtension {
    return render.extension(e, user, this.opts.contacts);
  }

  /** a call as the stream sends it, its parties named like the API's */
  private readonly call = (c: Call): ApiCall => render.withContacts(render.liveCall(c), this.opts.contacts);

  get size(): number {
    return this.clients.size;
  }

  private publish(topic: Topic, event: string, data: unknown): void {
    const id = ++this.lastId;
    const msg = { id, topic, frame: frame(id, event, data) };
    this.buffer.push(msg);
    // trim in chunks: one splice per bufferSize messages instead of a shift per message
    if (this.buffer.length > this.bufferSize * 1.5) this.buffer = this.buffer.slice(-this.bufferSize);
    for (const c of this.clients) if (c.topics.has(topic)) this.write(c, msg.frame);
  }

  private write(c: Client, chunk: string): void {
    if (c.res.writableLength > this.maxPendingBytes) {
      c.res.destroy();
      return;
    }
    c.res.write(chunk);
  }

  private writeAll(chunk: string): void {
    for (const c of this.clients) this.write(c, chunk);
  }

  snapshot(): object {
    const now = this.now();
    const byStart = (a: { startedAt: number }, b: { startedAt: number }) => b.startedAt - a.startedAt;
    return {
      extensions: [...this.live.extensions.values()].map((e) => this.ext(e)),
      queues: [...this.live.queues.values()].map((q) => render.queue(q, now)),
      trunks: [...this.live.trunks.values()].map(render.trunk),
      conferences: [...this.live.conferences.values()].map(render.conference),
      parking: [...this.live.parking.values()].map((p) => render.parking(p, now)),
      calls: [...this.live.activeCalls.values()].sort(byStart).map(this.call),
      sources: [...this.live.sources.values()].map(render.source),
    };
  }

  /** The deltas after `lastEventId`, or undefined when they are no longer (or never were) in the buffer. */
  private missed(lastEventId: number): Message[] | undefined {
    const oldest = this.buffer.length ? this.buffer[0].id : this.lastId + 1;
    if (lastEventId < oldest - 1 || lastEventId > this.lastId) return undefined;
    return this.buffer.filter((m) => m.id > lastEventId);
  }

  /** The response headers of a stream, for GET and for HEAD. */
  headers(): Record<string, string> {
    return {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    };
  }

  /** Takes over the reply: headers go out at once, then the snapshot or the missed deltas, then live deltas. */
  attach(reply: FastifyReply, topics: ReadonlySet<Topic>, lastEventId: number | undefined): void {
    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
    res.writeHead(200, { ...headers, ...this.headers() });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const client: Client = { res, topics };
    const replay = lastEventId === undefined ? undefined : this.missed(lastEventId);
    let first = 'retry: 3000\n\n';
    if (replay) for (const m of replay) if (topics.has(m.topic)) first += m.frame;
    if (!replay) first += frame(this.lastId, 'snapshot', this.snapshot());
    res.write(first);
    this.clients.add(client);
    this.opts.onClients?.(this.clients.size);
    // a stream client never sends after its request, so its half-close (end) means it is gone as surely as close
    // or error; ending our side then lets the socket close instead of waiting in CLOSE-WAIT until shutdown
    const socket = res.socket;
    const drop = () => {
      if (!this.clients.delete(client)) return;
      this.opts.onClients?.(this.clients.size);
      if (!res.destroyed) res.destroy();
    };
    res.on('close', drop);
    res.on('error', drop);
    socket?.on('end', drop);
    socket?.on('close', drop);
    socket?.on('error', drop);
    if (!socket || socket.destroyed || socket.readableEnded) drop();
  }

  /** Ends every stream (on shutdown, so the server can close at once) and stops listening. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const f of this.off.splice(0)) f();
    for (const c of [...this.clients]) c.res.end();
    this.clients.clear();
    this.opts.onClients?.(0);
  }
}
