import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Call } from '../../src/domain';
import { Hub } from '../../src/hub';
import { Sinks, type ResolvedSink } from '../../src/sinks/sinks';
import { Store } from '../../src/store/store';
import { verify } from '../../src/wire/signature';
import { memoryLog, until } from '../ami/harness';
import { makeCall } from '../helpers/calls';
import { tempDir } from '../helpers/tmp';
import { ingestServer, SECRET as INGEST_SECRET } from '../webhook/harness';

const SECRET = 'sink-secret-0123456789';

interface Received {
  delivery: string;
  event: string;
  signed: boolean;
  body: { source?: string; events: Record<string, unknown>[] };
}

/** A receiver on a fixed loopback port that can be down (nothing listening), up, or answer with a chosen status. */
class Receiver {
  readonly got: Received[] = [];
  respond: (req: IncomingMessage) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
  private server?: Server;

  constructor(readonly port: number) {}

  static async freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    return port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const { status, headers } = this.respond(req);
        if (status >= 200 && status < 300) {
          this.got.push({
            delivery: String(req.headers['x-switchboard-delivery']),
            event: String(req.headers['x-switchboard-event']),
            signed: verify(
              {
                timestamp: req.headers['x-switchboard-timestamp'],
                signature: req.headers['x-switchboard-signature'],
                body,
              },
              [SECRET],
              Date.now(),
            ).ok,
            body: JSON.parse(body.toString('utf8')),
          });
        }
        res.writeHead(status, headers).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
}

const sink = (url: string, over: Partial<ResolvedSink> = {}): ResolvedSink => ({
  name: 'crm',
  url,
  secret: SECRET,
  events: ['call'],
  pbx: [],
  headers: {},
  timeoutSeconds: 5,
  retryMinSeconds: 0.02,
  retryMaxSeconds: 0.2,
  maxAgeHours: 72,
  maxPending: 10_000,
  ...over,
});

/** The exporter's side: a real store file (its migrations create the outbox), a hub, the sinks on it. */
function exporter(path: string, sinks: ResolvedSink[]) {
  const store = new Store({ path });
  const hub = new Hub();
  const s = new Sinks(sinks, store.db, memoryLog().log, { flushMs: 10 });
  const counts = { delivered: 0, failed: 0, rejected: 0, dropped: [] as string[] };
  /** when each kind of attempt last ended, as the sinks report it */
  const lastAt: Partial<Record<'delivered' | 'failed' | 'rejected', number>> = {};
  s.on('attempt', (_sink, result) => {
    counts[result]++;
    lastAt[result] = Date.now();
  });
  s.on('dropped', (_sink, reason, n) => counts.dropped.push(`${reason}:${n}`));
  s.start(hub);
  return {
    hub,
    sinks: s,
    counts,
    lastAt,
    async stop() {
      await s.stop();
      store.close();
    },
  };
}

const call = (n: number, over: Partial<Call> = {}): Call =>
  makeCall({ id: `pbx1-${n}`, startedAt: Date.parse('2026-03-02T09:00:00Z') + n * 60_000, ...over });

describe('webhook sinks', () => {
  let tmp: ReturnType<typeof tempDir>;
  let rx: Receiver;
  beforeEach(async () => {
    tmp = tempDir('sb-sinks-');
    rx = new Receiver(await Receiver.freePort());
  });
  afterEach(async () => {
    await rx.down();
    tmp.cleanup();
  });

  it('a receiver down for a while, then up, gets every call once per delivery id, in order; a restart in between loses nothing', async () => {
    const db = join(tmp.dir, 'sb.db');
    const first = exporter(db, [sink(rx.url)]);
    // call 3 is recorded twice (a corrected record): its two deliveries must arrive in that order
    for (let n = 1; n <= 5; n++) first.hub.emit('callEnded', call(n));
    first.hub.emit('callEnded', call(3, { talkMs: 99_000 }));
    await until(() => first.counts.failed >= 3 || undefined, 'a few failed attempts while the receiver is down');
    expect(first.counts.delivered).toBe(0);
    await first.stop();

    const second = exporter(db, [sink(rx.url)]);
    for (let n = 6; n <= 10; n++) second.hub.emit('callEnded', call(n));
    second.sinks.flush();
    expect(second.sinks.state()).toEqual([expect.objectContaining({ sink: 'crm', pending: 11 })]);
    await rx.up();
    await until(() => rx.got.length >= 11 || undefined, 'all deliveries after the receiver came back', 20_000);
    await until(() => second.sinks.state()[0].pending === 0 || undefined, 'the outbox to empty');

    const ids = rx.got.map((r) => r.delivery);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rx.got).toHaveLength(11);
    expect(rx.got.every((r) => r.signed && r.event === 'call')).toBe(true);
    const calls = rx.got.map((r) => r.body.events[0] as { id: string; talkSeconds: number });
    expect(calls.map((c) => c.id)).toEqual([
      'pbx1-1',
      'pbx1-2',
      'pbx1-3',
      'pbx1-4',
      'pbx1-5',
      'pbx1-3',
      'pbx1-6',
      'pbx1-7',
      'pbx1-8',
      'pbx1-9',
      'pbx1-10',
    ]);
    expect(calls.filter((c) => c.id === 'pbx1-3').map((c) => c.talkSeconds)).toEqual([6, 99]);
    expect(rx.got[0].body).toMatchObject({
      source: 'pbx1',
      events: [{ type: 'call', direction: 'inbound', status: 'answered', from: { number: '+12125550101' } }],
    });
    expect(second.counts).toMatchObject({ delivered: 11, rejected: 0, dropped: [] });
    await second.stop();
  });

  it('a refused body is dropped and counted, a 503 with Retry-After is retried when the receiver says', async () => {
    await rx.up();
    const answers = [{ status: 422 }, { status: 503, headers: { 'retry-after': '1' } }];
    rx.respond = () => answers.shift() ?? { status: 204 };
    const x = exporter(join(tmp.dir, 'sb.db'), [sink(rx.url, { retryMinSeconds: 0.01, retryMaxSeconds: 0.01 })]);
    x.hub.emit('callEnded', call(1));
    x.hub.emit('callEnded', call(2));
    await until(() => x.counts.failed === 1 || undefined, 'the 503');
    await until(() => x.counts.delivered === 1 || undefined, 'the second call delivered', 10_000);
    // the receiver asked for a second; our own backoff alone would have retried after 10 ms
    expect(x.lastAt.delivered! - x.lastAt.failed!).toBeGreaterThanOrEqual(950);
    expect(x.counts).toMatchObject({ rejected: 1, failed: 1, delivered: 1, dropped: ['rejected:1'] });
    expect(rx.got.map((r) => (r.body.events[0] as { id: string }).id)).toEqual(['pbx1-2']);
    await x.stop();
  });

  it('bounded: with the receiver down, the outbox keeps the newest maxPending and counts the dropped', async () => {
    const x = exporter(join(tmp.dir, 'sb.db'), [sink(rx.url, { maxPending: 5 })]);
    for (let n = 1; n <= 8; n++) x.hub.emit('callEnded', call(n));
    x.sinks.flush();
    expect(x.counts.dropped).toEqual(['full:3']);
    await rx.up();
    await until(() => rx.got.length === 5 || undefined, 'the five kept deliveries');
    expect(rx.got.map((r) => (r.body.events[0] as { id: string }).id)).toEqual([
      'pbx1-4',
      'pbx1-5',
      'pbx1-6',
      'pbx1-7',
      'pbx1-8',
    ]);
    await x.stop();
  });

  it('a receiver that hangs does not hold up the hub: new calls keep going into the outbox', async () => {
    await rx.up();
    rx.respond = () => ({ status: 200 });
    const hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
    const x = exporter(join(tmp.dir, 'sb.db'), [sink(url, { timeoutSeconds: 30 }), sink(rx.url, { name: 'fast' })]);
    for (let n = 1; n <= 500; n++) x.hub.emit('callEnded', call(n));
    x.sinks.flush();
    // the hanging sink holds one request open and everything else waits in its outbox; the other sink is unaffected
    await until(() => rx.got.length === 500 || undefined, 'the healthy sink to get every call', 20_000);
    expect(x.sinks.state().find((s) => s.sink === 'crm')?.pending).toBe(500);
    // and stopping does not wait out the hanging request's 30 s timeout
    const stopping = Date.now();
    await x.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
  });

  it('gap and source events when asked for; only the sources a sink names', async () => {
    await rx.up();
    const x = exporter(join(tmp.dir, 'sb.db'), [sink(rx.url, { events: ['gap', 'source'], pbx: ['pbx1'] })]);
    x.hub.emit('callEnded', call(1));
    x.hub.emit('source', { pbx: 'pbx1', kind: 'ami', live: true, connected: true, reconnects: 0, loginFailures: 0 });
    x.hub.emit('source', {
      pbx: 'pbx1',
      kind: 'ami',
      live: true,
      connected: false,
      reason: 'ECONNRESET',
      reconnects: 0,
      loginFailures: 0,
    });
    x.hub.emit('gap', {
      pbx: 'pbx1',
      kind: 'source',
      reason: 'ECONNRESET',
      startedAt: Date.parse('2026-03-02T09:00:00Z'),
    });
    x.hub.emit('gap', {
      pbx: 'pbx2',
      kind: 'source',
      reason: 'other PBX',
      startedAt: Date.parse('2026-03-02T09:00:00Z'),
    });
    await until(() => rx.got.length === 2 || undefined, 'two deliveries');
    expect(rx.got.map((r) => [r.event, r.body.events[0]])).toEqual([
      ['source', expect.objectContaining({ type: 'source', pbx: 'pbx1', connected: false, reason: 'ECONNRESET' })],
      [
        'gap',
        {
          type: 'gap',
          pbx: 'pbx1',
          kind: 'source',
          reason: 'ECONNRESET',
          startedAt: '2026-03-02T09:00:00.000Z',
          endedAt: null,
        },
      ],
    ]);
    await x.stop();
  });

  it('one Switchboard can feed another: a sink pointed at an ingest is accepted and stored as the same call', async () => {
    const ingest = await ingestServer();
    const x = exporter(join(tmp.dir, 'sb.db'), [sink(`${ingest.url}/api/v1/ingest/hooks`, { secret: INGEST_SECRET })]);
    x.hub.emit('callEnded', call(42, { talkMs: 12_345 }));
    await until(() => ingest.ended.length === 1 || undefined, 'the call at the other end');
    expect(ingest.ended[0]).toMatchObject({
      id: 'hooks-pbx1-42',
      status: 'answered',
      talkMs: 12_345,
      from: { number: '+12125550101' },
    });
    await until(() => x.counts.delivered === 1 || undefined, 'the 202 to count as delivered');
    await x.stop();
    await ingest.close();
  });
});
