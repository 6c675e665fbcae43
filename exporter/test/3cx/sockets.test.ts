import { connect, createServer, type Server, type Socket } from 'node:net';
import { until } from '../ami/harness';
import { tempDir } from '../helpers/tmp';
import { cdrLine, SAMPLE_LINE } from './cdr-lines';
import { make3cx, type Running3cx } from './harness';

/** A call line of the 27-field template; `n` makes the history id, `name` the caller's display name. */
const callLine = (n: number, name = 'Caller'): string =>
  cdrLine({
    historyid: `Call ${n}`,
    callid: `c${n}`,
    duration: '00:00:30',
    'time-start': '2026/03/02 09:00:00',
    'time-answered': '2026/03/02 09:00:05',
    'time-end': '2026/03/02 09:00:35',
    'from-no': '+4930111222',
    'to-no': 'Ext.101',
    'final-number': 'Ext.101',
    'from-type': 'Line',
    'to-type': 'Extension',
    'final-type': 'Extension',
    'from-dispname': name,
  });

/** 3CX's CDR service as the client of an "active socket": connects, writes, closes (or not). */
function send(port: number, chunks: (string | Buffer)[], end = true): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, async () => {
      for (const c of chunks) {
        s.write(c);
        // separate TCP segments, as a slow sender would produce them
        await new Promise((r) => setTimeout(r, 5));
      }
      if (end) s.end();
      resolve(s);
    });
    s.on('error', reject);
  });
}

describe('3CX CDR over TCP', () => {
  let tmp: ReturnType<typeof tempDir>;
  let running: Running3cx | undefined;

  beforeEach(() => {
    tmp = tempDir('sb-3cx-');
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    tmp.cleanup();
  });

  describe('active socket (3CX connects to us)', () => {
    const start = async (allowFrom: string[] = []): Promise<Running3cx> => {
      running = make3cx({ mode: 'activeSocket', listen: { host: '127.0.0.1', port: 0, allowFrom } }, tmp.dir);
      await running.start();
      expect(running.status).toEqual(['up']);
      return running;
    };

    it('one record per connection: each connection is one call, with or without a final newline', async () => {
      const r = await start();
      const port = r.driver.listeningPort;
      await send(port, [`${SAMPLE_LINE}\r\n`]);
      await send(port, [`${callLine(1)}\r\n`]);
      await send(port, [callLine(2)]);
      await until(() => r.records.length === 3 || undefined, 'three records');
      expect(r.records.map((c) => c.id).sort()).toEqual(['pbx3-1', 'pbx3-2', 'pbx3-288831']);
      expect(r.records.find((c) => c.id === 'pbx3-288831')).toMatchObject({
        direction: 'outbound',
        status: 'answered',
        talkMs: 25_000,
      });
      expect(r.rejected).toEqual([]);
    });

    it('a streamed connection: records split anywhere between TCP segments, even inside a UTF-8 character', async () => {
      const r = await start();
      const text = `${callLine(10, 'Jürgen Müller')}\n${callLine(11, 'Zoë')}\r\n${callLine(12)}\n`;
      const bytes = Buffer.from(text, 'utf8');
      const cut = bytes.indexOf(Buffer.from('ü', 'utf8')) + 1; // the middle of the two-byte ü
      const socket = await send(
        r.driver.listeningPort,
        [bytes.subarray(0, cut), bytes.subarray(cut, cut + 40), bytes.subarray(cut + 40)],
        false,
      );
      await until(() => r.records.length === 3 || undefined, 'three streamed records');
      expect(r.records.map((c) => [c.id, c.from.name])).toEqual([
        ['pbx3-10', 'Jürgen Müller'],
        ['pbx3-11', 'Zoë'],
        ['pbx3-12', 'Caller'],
      ]);
      // the connection stays open for more
      socket.write(`${callLine(13)}\n`);
      await until(() => r.records.length === 4 || undefined, 'a fourth record on the same connection');
      socket.end();
    });

    it('a re-sent record is one call; a bad line is counted, kept in the reject file with where it came from', async () => {
      const r = await start();
      const port = r.driver.listeningPort;
      await send(port, [`${callLine(20)}\n`, `${callLine(20)}\n`, 'not,a,cdr\n', `${callLine(21)}\n`]);
      await until(() => r.records.length === 2 || undefined, 'two records');
      await until(() => r.rejected.length === 1 || undefined, 'one rejection');
      expect(r.records.map((c) => c.id)).toEqual(['pbx3-20', 'pbx3-21']);
      expect(r.rejected[0].reason).toBe('field count');
      const [kept] = r.rejectLines();
      expect(kept).toMatchObject({
        reason: 'field count',
        input: 'not,a,cdr',
        detail: '3 fields, the configured template has 27',
      });
      expect(kept.origin).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
      // a re-send on a later connection is still the same call
      await send(port, [`${callLine(20)}\n`, `${callLine(22)}\n`]);
      await until(() => r.records.length === 3 || undefined, 'the new record');
      expect(r.records.map((c) => c.id)).toEqual(['pbx3-20', 'pbx3-21', 'pbx3-22']);
    });

    it('a connection reset mid-line leaves no half record: it is rejected as truncated', async () => {
      const r = await start();
      const socket = await send(r.driver.listeningPort, [callLine(30).slice(0, 50)], false);
      await new Promise((res) => setTimeout(res, 30));
      socket.resetAndDestroy();
      await until(() => r.rejected.length === 1 || undefined, 'the truncated line');
      expect(r.rejected[0].reason).toBe('truncated');
      expect(r.records).toEqual([]);
    });

    it('refuses peers outside listen.allowFrom', async () => {
      const r = await start(['192.0.2.10']);
      const socket = await send(r.driver.listeningPort, [`${callLine(40)}\n`], false);
      socket.on('error', () => undefined);
      await until(() => socket.destroyed || undefined, 'the listener closing the connection');
      expect(r.records).toEqual([]);
      expect(r.logs.some((l) => /allowFrom refused/.test(l.msg))).toBe(true);
    });
  });

  describe('passive socket (we connect to 3CX)', () => {
    /** 3CX's CDR service as a server: per connection it either streams or sends one queued record and closes. */
    async function fake3cx(style: 'stream' | 'one-per-connection', port = 0) {
      const queue: string[] = [];
      const clients = new Set<Socket>();
      let connections = 0;
      const server: Server = createServer((s) => {
        connections++;
        clients.add(s);
        s.on('close', () => clients.delete(s));
        s.on('error', () => undefined);
        if (style === 'one-per-connection') {
          const next = queue.shift();
          if (next) s.end(`${next}\r\n`);
        }
      });
      await new Promise<void>((res) => server.listen(port, '127.0.0.1', () => res()));
      return {
        port: (server.address() as { port: number }).port,
        get connections() {
          return connections;
        },
        push(line: string) {
          if (style === 'stream') for (const c of clients) c.write(`${line}\r\n`);
          else queue.push(line);
        },
        async close() {
          for (const c of clients) c.destroy();
          await new Promise((res) => server.close(res));
        },
      };
    }

    it('streamed: records arrive on one long connection', async () => {
      const pbx = await fake3cx('stream');
      running = make3cx({ mode: 'passiveSocket', connect: { host: '127.0.0.1', port: pbx.port } }, tmp.dir);
      const r = running;
      await r.start();
      await until(() => r.status[0] === 'up' || undefined, 'connected');
      pbx.push(callLine(50));
      pbx.push(callLine(51));
      await until(() => r.records.length === 2 || undefined, 'two records');
      pbx.push(callLine(52));
      await until(() => r.records.length === 3 || undefined, 'a third record');
      expect(pbx.connections).toBe(1);
      expect(r.status).toEqual(['up']);
      await r.stop();
      running = undefined;
      await pbx.close();
    });

    it('one record per connection: back at once after each, never reported down', async () => {
      const pbx = await fake3cx('one-per-connection');
      pbx.push(callLine(60));
      pbx.push(callLine(61));
      pbx.push(callLine(62));
      running = make3cx({ mode: 'passiveSocket', connect: { host: '127.0.0.1', port: pbx.port } }, tmp.dir, {
        downGraceMs: 5000,
      });
      const r = running;
      await r.start();
      await until(() => r.records.length === 3 || undefined, 'three records over three connections');
      expect(r.records.map((c) => c.id)).toEqual(['pbx3-60', 'pbx3-61', 'pbx3-62']);
      expect(pbx.connections).toBeGreaterThanOrEqual(3);
      expect(r.status).toEqual(['up']);
      await r.stop();
      running = undefined;
      await pbx.close();
    });

    it('3CX down at start: reported down, reconnects with backoff once it listens', async () => {
      const probe = await fake3cx('stream');
      const port = probe.port;
      await probe.close();
      running = make3cx(
        { mode: 'passiveSocket', connect: { host: '127.0.0.1', port }, reconnectMaxSeconds: 1 },
        tmp.dir,
      );
      const r = running;
      await r.start();
      await until(() => r.status[0]?.startsWith('down') || undefined, 'reported down');
      expect(r.status[0]).toBe(`down: ECONNREFUSED 127.0.0.1:${port}`);
      const pbx = await fake3cx('stream', port);
      await until(() => r.status.includes('up') || undefined, 'reconnected', 15_000);
      pbx.push(callLine(70));
      await until(() => r.records.length === 1 || undefined, 'a record after the reconnect');
      await r.stop();
      running = undefined;
      await pbx.close();
    });
  });
});
