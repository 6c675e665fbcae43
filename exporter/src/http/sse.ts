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
  /** deltas kept for clients resuming with Last-Event-ID: at most this many … */
  bufferSize?: number;
  /**
   * … at most this many bytes, each message counted as its frame's UTF-8 bytes and its bookkeeping (shared by every
   * client: a dropped client resumes from here, not from a snapshot) …
   */
  bufferBytes?: number;
  /** … and none older than this: an EventSource is back within seconds, a laptop waking up within minutes */
  bufferMaxAgeMs?: number;
  /**
   * a client whose socket still holds more than this unsent is dropped (it resumes with Last-Event-ID) rather than
   * held in memory: 200 clients that stopped reading cost at most 200 × (this + one tick's messages)
   */
  maxPendingBytes?: number;
  now?: () => number;
  /** told the number of open streams on every change */
  onClients?: (n: number) => void;
  /** told of each client dropped for not reading */
  onSlowClient?: () => void;
  /** names call parties and extensions' counterparts, as the API's lists do */
  contacts?: render.ContactLookup;
}

interface Message {
  id: number;
  topic: Topic;
  /** the frame as it goes out: UTF-8 bytes of its own, outside the V8 heap (see bytesOf) */
  frame: Buffer;
  /** its share of bufferBytes */
  bytes: number;
  /** when it was published, on the stream's clock */
  at: number;
}

/** What a buffered message costs besides its frame's bytes: the message, the Buffer and its ArrayBuffer, malloc's header. */
const MESSAGE_OVERHEAD = 320;

/**
 * A frame as bytes of its own. Kept as a string, the buffer cost what V8 made of it: two bytes a character as soon as
 * any string it was built from was stored so (one AMI chunk with a byte that is no UTF-8 does it to every name cut
 * from it), and, as it turned over, old-space pages that held a few live frames each (the fuzz run's old space grew
 * by 2.5 times the buffer's size). Bytes are counted exactly, live outside the V8 heap, and go out without being
 * encoded again per client. Not from Buffer's shared pool: one buffered frame would keep its whole 8 KiB slab alive.
 */
function bytesOf(text: string): Buffer {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  b.write(text);
  return b;
}

interface Client {
  res: ServerResponse;
  topics: ReadonlySet<Topic>;
  /** its topics as one key: clients with the same topics share one chunk per flush */
  key: string;
  /** the newest id it was sent when it attached: messages of the same tick up to it are already in what it got */
  from: number;
}

const frame = (id: number, event: string, data: unknown): string =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The frames of `tick` for a client: its topics, after what it already has; undefined when there are none. */
function pick(tick: Message[], c: Client): Buffer | undefined {
  const out: Buffer[] = [];
  for (const m of tick) if (m.id > c.from && c.topics.has(m.topic)) out.push(m.frame);
  return out.length > 1 ? Buffer.concat(out) : out[0];
}

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
  private bufferedBytes = 0;
  private readonly bufferBytes: number;
  private readonly bufferMaxAgeMs: number;
  /** messages published since the last flush */
  private tick: Message[] = [];
  private lastId: number;
  private readonly bufferSize: number;
  private readonly maxPendingBytes: number;
  private readonly now: () => number;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly off: (() => void)[] = [];
  private flushing = false;

  constructor(
    hub: Hub,
    private readonly live: LiveState,
    private readonly opts: StreamOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.lastId = Date.now();
    this.bufferSize = opts.bufferSize ?? 100_000;
    // 8 MiB holds some 10,000 extension deltas (520 bytes, counted at 840): an hour of a busy office, 10 s of the sse
    // fault scenario's 1,000 events/s, while a client dropped as slow is back in 3 s. It was 32 MiB counted at a byte
    // a character (52 MiB of heap when full, and twice that in old space), which the fuzz scenario, with nobody
    // reading, watched fill for its whole run.
    this.bufferBytes = opts.bufferBytes ?? 8 * 1024 * 1024;
    this.bufferMaxAgeMs = opts.bufferMaxAgeMs ?? 5 * 60_000;
    this.maxPendingBytes = opts.maxPendingBytes ?? 1024 * 1024;
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
    const bytes = bytesOf(frame(id, event, data));
    const at = this.now();
    const msg: Message = { id, topic, frame: bytes, bytes: bytes.length + MESSAGE_OVERHEAD, at };
    this.buffer.push(msg);
    this.bufferedBytes += msg.bytes;
    // trim in chunks: one slice now and then instead of a shift per message
    if (
      this.buffer.length > this.bufferSize * 1.25 ||
      this.bufferedBytes > this.bufferBytes * 1.25 ||
      at - this.buffer[0].at > this.bufferMaxAgeMs * 1.25
    )
      this.trim(at);
    this.tick.push(msg);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  private trim(now: number): void {
    let drop = Math.max(0, this.buffer.length - this.bufferSize);
    let bytes = this.bufferedBytes;
    for (let i = 0; i < drop; i++) bytes -= this.buffer[i].bytes;
    while (drop < this.buffer.length && (bytes > this.bufferBytes || now - this.buffer[drop].at > this.bufferMaxAgeMs))
      bytes -= this.buffer[drop++].bytes;
    this.buffer = this.buffer.slice(drop);
    this.bufferedBytes = bytes;
  }

  /**
   * Writes what the tick published: one chunk per client, built once per set of topics. One write per message and
   * client cost far more than its bytes (a chunked write is three buffered entries with their callbacks, each client
   * its own copy): 200 lagging clients at 1,000 events/s once took the exporter to 1.8 GB. A client whose socket
   * still holds more than maxPendingBytes from earlier flushes is not reading: it is dropped.
   */
  private flush(): void {
    this.flushing = false;
    const tick = this.tick;
    this.tick = [];
    if (!tick.length) return;
    const shared = new Map<string, Buffer | undefined>();
    for (const c of this.clients) {
      if (c.res.writableLength > this.maxPendingBytes) {
        this.drop(c);
        continue;
      }
      let chunk: Buffer | undefined;
      if (c.from >= tick[0].id) chunk = pick(tick, c); // it attached during this tick
      else if (shared.has(c.key)) chunk = shared.get(c.key);
      else shared.set(c.key, (chunk = pick(tick, c)));
      if (chunk) c.res.write(chunk);
    }
  }

  /** A client too slow to keep up: its socket goes, it comes back with Last-Event-ID (the buffer has what it missed). */
  private drop(c: Client): void {
    this.opts.onSlowClient?.();
    c.res.destroy();
  }

  private writeAll(chunk: string): void {
    for (const c of this.clients) if (!c.res.destroyed) c.res.write(chunk);
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
    const client: Client = { res, topics, key: [...topics].sort().join(','), from: this.lastId };
    const replay = lastEventId === undefined ? undefined : this.missed(lastEventId);
    const first: Buffer[] = [Buffer.from('retry: 3000\n\n')];
    if (replay) for (const m of replay) if (topics.has(m.topic)) first.push(m.frame);
    if (!replay) first.push(Buffer.from(frame(this.lastId, 'snapshot', this.snapshot())));
    res.write(Buffer.concat(first));
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
    const tick = this.tick;
    this.tick = [];
    for (const c of [...this.clients]) c.res.end(tick.length ? pick(tick, c) : undefined);
    this.clients.clear();
    this.opts.onClients?.(0);
  }
}
