import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { captureBody, fakePbx } from '../ami/harness';
import { eventually, startExporter, TWO_STARTS_TIMEOUT_MS, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * kill -9 of the real exporter right after a call's last hangup, inside the 2 s grace period in which the call is
 * still open: the restarted exporter must close it as what it was (a real voicemail capture comes back `voicemail`),
 * never `incomplete`, and record the downtime as a gap.
 */
describe('kill -9 inside the grace period', () => {
  const tmp = tempDir();
  const dbPath = join(tmp.dir, 'sb.db');
  let pbx: AmiServer;
  let ex: RunningExporter | undefined;

  beforeAll(async () => {
    pbx = await fakePbx();
    let sessions = 0;
    // the first session gets the capture; after the restart the PBX has nothing left to say (no channels up)
    pbx.on('login', (s) => {
      if (sessions++ === 0) s.writeRaw(captureBody('inbound_missed_voicemail'));
    });
  });
  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGKILL');
      await ex.exit;
    }
    await pbx.close();
    tmp.cleanup();
  });

  const start = async (): Promise<RunningExporter> =>
    (ex = await startExporter(
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { path: ${JSON.stringify(dbPath)}, flushMs: 50, backup: { enabled: false } }`,
        'demo: { enabled: false }',
        'sources:',
        `  - { name: office, kind: ami, host: 127.0.0.1, port: ${pbx.port}, username: rig, secret: rig-secret }`,
      ].join('\n'),
      tmp.dir,
    ));

  /** The open call rows and whether their checkpoint shows every leg hung up. */
  const openRows = (): { id: string; hungUp: boolean }[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare('SELECT id, checkpoint FROM calls WHERE open = 1').all() as {
        id: string;
        checkpoint: string | null;
      }[];
      return rows.map((r) => {
        const legs = r.checkpoint ? (JSON.parse(r.checkpoint) as { legs: { endedAt?: number }[] }).legs : [];
        return { id: r.id, hungUp: legs.length > 0 && legs.every((l) => l.endedAt !== undefined) };
      });
    } finally {
      db.close();
    }
  };

  it('comes back voicemail, not incomplete', async () => {
    const first = await start();
    // polled closely: the kill has to land within the 2 s grace period that began at the hangup
    const open = await eventually(
      async () => openRows().find((r) => r.hungUp),
      20000,
      'the call committed with every leg hung up',
      20,
    );
    first.child.kill('SIGKILL');
    await first.exit;
    // it died with the call still open: the grace period had not run out
    expect(openRows().map((r) => r.id)).toContain(open.id);

    const second = await start();
    const call = await eventually(
      async () => {
        const r = await fetch(`${second.url}/api/v1/calls/${open.id}`);
        const body = (await r.json()) as {
          open: boolean;
          status: string;
          from: { number: string };
          legs: { id: string }[];
        };
        return body.open === false ? body : undefined;
      },
      20000,
      'the call closed after the restart',
    );
    expect(call).toMatchObject({ status: 'voicemail', open: false, direction: 'inbound' });
    expect(openRows()).toEqual([]);
    const gaps = (await (await fetch(`${second.url}/api/v1/gaps`)).json()) as {
      items: { kind: string; endedAt: string | null }[];
    };
    expect(gaps.items.filter((g) => g.kind === 'exporter')).toEqual([
      expect.objectContaining({ endedAt: expect.any(String) }),
    ]);
  }, TWO_STARTS_TIMEOUT_MS);
});
