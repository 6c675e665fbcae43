import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../bench/ingest/synth';
import type { AmiSession } from '../src/demo/ami/ami-server';
import { exporterYaml, metric, sleep, startExporter, waitFor, type Exporter } from './lib/exporter';
import { amiSource, fakeAsterisk, nextLogin } from './lib/pbx';
import { row, type Row, type Scenario } from './lib/scenario';

const sh = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * A small ext4 file system on a loop device (root only): tmpfs would do for a full disk, but only ext4 lets a file turn
 * read-only under an open database (`chattr +i` refuses writes through descriptors already open), and a read-only
 * remount is refused while the database is open.
 */
function mountSmallDisk(dir: string, mib: number): { mnt: string; unmount: () => void } {
  const img = join(dir, 'disk.img');
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  sh('truncate', ['-s', `${mib}M`, img]);
  sh('mkfs.ext4', ['-q', '-F', '-m', '0', img]);
  sh('mount', ['-o', 'loop', img, mnt]);
  return {
    mnt,
    unmount: () => {
      try {
        sh('umount', [mnt]);
      } catch {
        sh('umount', ['-l', mnt]);
      }
    },
  };
}

/** Writes a filler file until the disk is full; returns its path. */
function fillDisk(mnt: string): string {
  const path = join(mnt, 'filler');
  const fd = openSync(path, 'w');
  const mib = Buffer.alloc(1 << 20, 0x61);
  const kib = Buffer.alloc(1 << 10, 0x62);
  try {
    for (;;) writeSync(fd, mib);
  } catch {
    try {
      for (;;) writeSync(fd, kib);
    } catch {
      // full
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** A call a second: the inbound_answered capture, its ids moved to a fresh epoch per call. */
class Traffic {
  sent = 0;
  private timer?: NodeJS.Timeout;
  private readonly body: string;

  constructor(private session: AmiSession) {
    const raw = readFileSync(join(fixturesDir(), 'inbound_answered.ami.txt'), 'latin1');
    const afterBanner = raw.slice(raw.indexOf('\r\n') + 2);
    this.body = afterBanner.slice(afterBanner.indexOf('\r\n\r\n') + 4);
  }

  start(everyMs = 250): void {
    this.timer = setInterval(() => {
      const epoch = 1_900_000_000 + this.sent;
      this.session.writeRaw(this.body.replace(/\b\d{10}\.(\d+)\b/g, `${epoch}.$1`));
      this.sent++;
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function readyz(ex: Exporter): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(`${ex.url}/readyz`, { signal: AbortSignal.timeout(3000) });
    return { status: r.status, body: await r.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}

/** The first reason a /readyz body gives, for the table. */
function reasonOf(body: string): string {
  try {
    const r = (JSON.parse(body) as { reasons?: { component?: string; reason?: string }[] }).reasons?.[0];
    if (r) return `"${r.component}: ${String(r.reason).slice(0, 60)}"`;
  } catch {
    // not JSON: the raw text
  }
  return body.replace(/\s+/g, ' ').slice(0, 60);
}

async function writeErrors(ex: Exporter): Promise<number> {
  return (
    metric(
      await (await fetch(`${ex.url}/metrics`, { signal: AbortSignal.timeout(3000) })).text(),
      'switchboard_db_write_errors_total',
    ) ?? 0
  );
}

/** Calls of the fault's PBX stored as answered (each call the fake PBX sends is answered). */
async function storedCalls(ex: Exporter): Promise<number> {
  const r = (await (await fetch(`${ex.url}/api/v1/calls?pbx=disk&status=answered&page=1&pageSize=1`)).json()) as {
    total?: number;
    detail?: string;
  };
  if (typeof r.total !== 'number') throw new Error(`/api/v1/calls answered ${JSON.stringify(r).slice(0, 200)}`);
  return r.total;
}

/**
 * One fault: `breakIt` until commits fail, then: is /readyz degraded within 5 s of the first failed commit, is it ready
 * again within 30 s of `repair`, and is every call the PBX finished stored in the end.
 */
async function fault(
  name: string,
  ex: Exporter,
  breakIt: () => void,
  repair: () => void,
  log: (m: string) => void,
): Promise<Row[]> {
  const errors0 = await writeErrors(ex);
  breakIt();
  const tBreak = Date.now();
  let tFail: number | undefined;
  let tDegraded: number | undefined;
  let reason = '';
  // watch both for up to 30 s: the first failed commit, the first non-200 /readyz
  while (Date.now() - tBreak < 30_000 && (tFail === undefined || tDegraded === undefined)) {
    if (tFail === undefined && (await writeErrors(ex)) > errors0) tFail = Date.now();
    if (tDegraded === undefined) {
      const r = await readyz(ex);
      if (r.status !== 200) {
        tDegraded = Date.now();
        reason = reasonOf(r.body);
      }
    }
    if (tFail !== undefined && tDegraded === undefined && Date.now() - tFail > 5_000) break;
    await sleep(200);
  }
  log(
    `${name}: first failed commit after ${tFail === undefined ? '—' : `${((tFail - tBreak) / 1000).toFixed(1)} s`}, /readyz degraded after ${tDegraded === undefined ? '—' : `${((tDegraded - tBreak) / 1000).toFixed(1)} s`}`,
  );
  await sleep(2000);
  repair();
  const tRepair = Date.now();
  const ready = await waitFor(async () => ((await readyz(ex)).status === 200 ? Date.now() : undefined), 30_000, 200);
  const degradedIn = tFail !== undefined && tDegraded !== undefined ? (tDegraded - tFail) / 1000 : undefined;
  return [
    row(
      'disk',
      `${name}: commits fail`,
      1,
      tFail === undefined
        ? 'no failed commit within 30 s'
        : `first failed commit ${((tFail - tBreak) / 1000).toFixed(1)} s after the fault`,
      tFail !== undefined,
    ),
    row(
      'disk',
      `${name}: /readyz degraded within 5 s of the first failed commit`,
      1,
      tDegraded === undefined
        ? 'still 200'
        : `degraded ${degradedIn === undefined ? '' : `${Math.max(0, degradedIn).toFixed(1)} s after it`}: ${reason}`,
      degradedIn !== undefined && degradedIn <= 5,
    ),
    // recovery means something only after a degraded /readyz
    row(
      'disk',
      `${name}: /readyz degraded, then 200 again after the repair`,
      1,
      tDegraded === undefined
        ? 'never degraded'
        : ready === undefined
          ? 'not 200 within 30 s'
          : `200 after ${((ready - tRepair) / 1000).toFixed(1)} s`,
      tDegraded !== undefined && ready !== undefined,
    ),
  ];
}

export const disk: Scenario = {
  name: 'disk',
  title:
    'the database disk fills up, then the database turns read-only (loop-mounted ext4): /readyz says so, recovers, no call lost',
  async run({ dir, log }) {
    const disk = mountSmallDisk(dir, 24);
    const pbx = await fakeAsterisk();
    const login = nextLogin(pbx);
    const db = join(disk.mnt, 'sb.db');
    let ex: Exporter | undefined;
    let traffic: Traffic | undefined;
    const immutable = (on: boolean): void => {
      for (const f of [db, `${db}-wal`]) {
        try {
          sh('chattr', [on ? '+i' : '-i', f]);
        } catch {
          // no -wal yet
        }
      }
    };
    try {
      ex = await startExporter(exporterYaml(db, ['sources:', amiSource('disk', pbx.port)]), dir);
      traffic = new Traffic(await login);
      const up = await waitFor(async () => ((await readyz(ex!)).status === 200 ? true : undefined), 30_000);
      if (!up) throw new Error(`/readyz never 200: ${(await readyz(ex)).body}`);
      traffic.start();
      await sleep(2000);
      let filler = '';
      const rows = await fault(
        'disk full',
        ex,
        () => (filler = fillDisk(disk.mnt)),
        () => rmSync(filler),
        log,
      );
      rows.push(
        ...(await fault(
          'read-only database',
          ex,
          () => immutable(true),
          () => immutable(false),
          log,
        )),
      );
      traffic.stop();
      const sent = traffic.sent;
      const stored = await waitFor(async () => ((await storedCalls(ex!)) >= sent ? sent : undefined), 30_000, 500);
      const have = stored ?? (await storedCalls(ex));
      rows.push(
        row(
          'disk',
          'calls the PBX finished, stored in the end',
          sent,
          `${have} stored, ${Math.max(0, sent - have)} lost`,
          have >= sent,
        ),
      );
      const code = await ex.stop();
      rows.push(row('disk', 'clean exit (SIGTERM) afterwards', 1, `exit ${code}`, code === 0));
      return rows;
    } finally {
      traffic?.stop();
      immutable(false);
      await ex?.stop();
      await pbx.close();
      disk.unmount();
    }
  },
};
