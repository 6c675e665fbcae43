import { readFileSync } from 'node:fs';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { eventually, startExporter, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { captureBody, fakePbx } from './harness';

/**
 * The frames that crashed or hung the exporter while asterisk-manager parsed AMI (issue 11): frame text became emitter
 * event names. Sent by a real TCP fake Asterisk to the real exporter process, each followed by real traffic.
 */
const KILLERS = [
  'Response: Success\r\nActionID: rawevent\r\n\r\n', // TypeError, exit 1
  'Response: Success\r\nActionID: asterisk\r\n\r\n', // TypeError in the transport, exit 1
  'Event: rawevent\r\nFoo: bar\r\n\r\n', // busy loop, SIGTERM ignored
  'Response: Error\r\nActionID: rawevent\r\nMessage: boom\r\n\r\n', // busy loop
  'Event: error\r\n\r\n', // an unhandled 'error' emit throws
  'Event: __proto__\r\n__proto__: x\r\nconstructor: y\r\n\r\n',
  'Response: Success\r\nActionID: __proto__\r\n\r\n',
  'Event: UserEvent\r\nUserEvent: rawevent\r\n\r\n',
  // a Follows without its end marker swallowed every later frame until the Ping timed out; it answers no action of
  // ours, so it is now skipped at once
  'Response: Follows\r\nPrivilege: Command\r\nActionID: asterisk\r\nsome output\r\n\r\n',
];

/** CPU seconds the process used (utime + stime from /proc, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('AMI frames that used to crash or hang the exporter', () => {
  const tmp = tempDir();
  let server: AmiServer;
  let ex: RunningExporter;

  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGKILL');
      await ex.exit;
    }
    await server?.close();
    tmp.cleanup();
  });

  it('are counted or ignored; the exporter stays up, answers, reads the call after them and stops on SIGTERM', async () => {
    server = await fakePbx();
    server.on('login', (s) => setTimeout(() => s.writeRaw(KILLERS.join('') + captureBody('inbound_answered')), 200));
    ex = await startExporter(
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { path: ${JSON.stringify(`${tmp.dir}/sb.db`)}, flushMs: 50, backup: { enabled: false } }`,
        'sources:',
        `  - { name: rig, kind: ami, host: 127.0.0.1, port: ${server.port}, username: rig, secret: rig-secret, pingIntervalSeconds: 60 }`,
      ].join('\n'),
      tmp.dir,
    );
    const pid = ex.child.pid!;
    // the stray Follows holds nothing back: the call arrives
    const calls = await eventually(
      async () => {
        const r = (await (await fetch(`${ex.url}/api/v1/calls?pbx=rig`)).json()) as { items: { status: string; direction: string }[] };
        return r.items.some((c) => c.status === 'answered') ? r.items : undefined;
      },
      30000,
      'the call sent after the killer frames, ended',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${ex.logs().slice(-20).join('\n')}`);
    });
    expect(calls).toMatchObject([{ direction: 'inbound', status: 'answered' }]);
    expect(ex.child.exitCode).toBeNull();

    const t0 = Date.now();
    const health = await fetch(`${ex.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000);

    const metrics = await (await fetch(`${ex.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchboard_events_rejected_total\{pbx="rig",reason="unsolicited Follows"\} 1$/m);
    expect(metrics).toMatch(/^switchboard_events_total\{pbx="rig",event="rawevent"\} 1$/m);
    expect(metrics).toMatch(/^pbx_up\{pbx="rig"\} 1$/m);

    // no busy loop: an idle exporter uses a small part of one core (a spinning one uses all of it)
    const c0 = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 2000));
    expect(cpuSeconds(pid) - c0).toBeLessThan(1);

    ex.child.kill('SIGTERM');
    expect(await ex.exit).toBe(0);
  }, 90_000);
});
