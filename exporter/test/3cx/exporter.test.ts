import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verify } from '../../src/wire/signature';
import { eventually, startExporter, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { cdrLine } from './cdr-lines';

/** `YYYY/MM/DD HH:MM:SS` in UTC, `s` seconds after an hour ago: recent enough for the retention to keep it */
const at = (s: number): string =>
  new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + s * 1000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ')
    .replace(/-/g, '/');

const line = (n: number, over: Parameters<typeof cdrLine>[0]): string =>
  cdrLine({ historyid: `Call ${n}`, 'time-start': at(0), 'time-end': at(72), ...over });

const SINK_SECRET = 'crm-webhook-secret-0123456789';

/**
 * The real CLI with a 3CX source tailing a CDR file and a webhook sink: from the line 3CX writes to the API, the
 * metrics, a CRM's webhook, and back after a restart.
 */
describe('exporter with a 3CX source (file mode) and a webhook sink', () => {
  const tmp = tempDir('sb-3cx-app-');
  const cdr = join(tmp.dir, 'cdr.log');
  let ex: RunningExporter | undefined;
  let crm: Server;
  const delivered: { id: string; signed: boolean }[] = [];
  let config = '';

  beforeAll(async () => {
    crm = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const signed = verify(
          {
            timestamp: req.headers['x-switchboard-timestamp'],
            signature: req.headers['x-switchboard-signature'],
            body,
          },
          [SINK_SECRET],
          Date.now(),
        ).ok;
        for (const ev of (JSON.parse(body.toString()) as { events: { id: string }[] }).events)
          delivered.push({ id: ev.id, signed });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => crm.listen(0, '127.0.0.1', () => r()));
    config = [
      'server: { host: 127.0.0.1, port: 0 }',
      `store: { path: ${JSON.stringify(join(tmp.dir, 'data', 'sb.db'))}, flushMs: 50, backup: { enabled: false } }`,
      'sources:',
      `  - { name: office3cx, kind: 3cx, mode: file, file: { path: ${JSON.stringify(cdr)}, pollSeconds: 0.1 } }`,
      'sinks:',
      `  - { name: crm, url: "http://127.0.0.1:${(crm.address() as AddressInfo).port}/calls", secret: ${SINK_SECRET} }`,
    ].join('\n');
  });

  afterAll(async () => {
    await new Promise((r) => crm.close(r));
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGKILL');
      await ex.exit;
    }
    tmp.cleanup();
  });

  it('records the calls, counts them and their queue, keeps what it cannot read, and reads nothing twice after a restart', async () => {
    writeFileSync(
      cdr,
      [
        line(1, {
          'time-answered': at(12),
          duration: '00:01:00',
          'from-no': '+4930111001',
          'to-no': '800',
          'to-dn': '800',
          'final-number': 'Ext.102',
          'from-type': 'Line',
          'to-type': 'Queue',
          'final-type': 'Extension',
          'final-dispname': 'Bob',
          'missed-queue-calls': 'Ext.101',
        }),
        line(2, { 'from-no': '+4930111002', 'to-no': 'Ext.101', 'from-type': 'Line', 'to-type': 'Extension' }),
        'this is no CDR line',
        '',
      ].join('\r\n'),
    );
    ex = await startExporter(config, tmp.dir);
    const url = ex.url;
    const calls = await eventually(
      async () => {
        const r = (await (await fetch(`${url}/api/v1/calls?pbx=office3cx`)).json()) as {
          items: { id: string; status: string; answeredBy: { number: string } | null; queue: string | null }[];
        };
        return r.items.length === 2 ? r.items : undefined;
      },
      20000,
      'two 3CX calls in the API',
    );
    expect(calls.map((c) => [c.id, c.status, c.answeredBy?.number ?? null, c.queue]).sort()).toEqual([
      ['office3cx-1', 'answered', '102', '800'],
      ['office3cx-2', 'missed', null, null],
    ]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^pbx_up\{pbx="office3cx"\} 1$/m);
    expect(metrics).toMatch(/^pbx_calls_total\{pbx="office3cx",direction="inbound",status="answered"\} 1$/m);
    expect(metrics).toMatch(/^pbx_queue_calls_total\{pbx="office3cx",queue="800",outcome="answered"\} 1$/m);
    expect(metrics).toMatch(/^switchboard_events_rejected_total\{pbx="office3cx",reason="field count"\} 1$/m);
    // kept with where it came from, next to the database
    expect(existsSync(join(tmp.dir, 'data', '3cx', 'office3cx.rejects.jsonl'))).toBe(true);
    // history-only, and says so
    const version = (await (await fetch(`${url}/api/v1/version`)).json()) as { sources: unknown[] };
    expect(version.sources).toEqual([{ pbx: 'office3cx', kind: '3cx', capabilities: { live: false, control: [] } }]);
    // each call reached the CRM, signed
    await eventually(async () => (delivered.length === 2 ? true : undefined), 20000, 'two deliveries to the CRM');
    expect(delivered.map((d) => d.id).sort()).toEqual(['office3cx-1', 'office3cx-2']);
    expect(delivered.every((d) => d.signed)).toBe(true);
    const sunk = await eventually(
      async () => {
        const t = await (await fetch(`${url}/metrics`)).text();
        return /^switchboard_sink_deliveries_total\{sink="crm",result="delivered"\} 2$/m.test(t) ? t : undefined;
      },
      10000,
      'the deliveries counted',
    );
    expect(sunk).toMatch(/^switchboard_sink_pending\{sink="crm"\} 0$/m);

    ex.child.kill('SIGTERM');
    expect(await ex.exit).toBe(0);
    appendFileSync(
      cdr,
      `${line(3, { 'from-no': 'Ext.101', 'to-no': 'Ext.102', 'from-type': 'Extension', 'to-type': 'Extension' })}\r\n`,
    );
    ex = await startExporter(config, tmp.dir);
    const restarted = ex.url;
    await eventually(
      async () => {
        const r = (await (await fetch(`${restarted}/api/v1/calls?pbx=office3cx`)).json()) as { items: unknown[] };
        return r.items.length === 3 ? true : undefined;
      },
      20000,
      'the call written while the exporter was down',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${ex?.logs().join('\n')}`);
    });
    // the first two lines were not read again: this run counted one call
    const after = await (await fetch(`${restarted}/metrics`)).text();
    expect(after).toMatch(/^pbx_calls_total\{pbx="office3cx",direction="internal",status="missed"\} 1$/m);
    expect(after).not.toMatch(/^pbx_calls_total\{pbx="office3cx",direction="inbound",status="answered"\} 1$/m);
    await eventually(async () => (delivered.length === 3 ? true : undefined), 20000, 'the new call delivered');
    expect(delivered.map((d) => d.id)).toContain('office3cx-3');
  }, 120_000); // two exporter start-ups from source: slow on a loaded machine, and only waited on, never timed
});
