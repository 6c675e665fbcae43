import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { rssBytes } from '../bench/lib/proc';
import { exporterYaml, metric, sleep, startExporter, waitFor } from './lib/exporter';
import { amiSource, fakeAsterisk, nextLogin } from './lib/pbx';
import { row, type Scenario } from './lib/scenario';
import type { ReaderReport } from './lib/sse-readers';

const READERS = join(__dirname, 'lib/sse-readers.ts');

/** One child process of stream clients (lib/sse-readers.ts), asked for its counts over IPC. */
class ReaderProcess {
  private readonly child: ChildProcess;

  constructor(url: string, clients: number) {
    this.child = fork(READERS, [url, String(clients)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  private seq = 0;

  /** The counts as of now: the answer to this very request, never a late answer to an earlier one. */
  report(): Promise<ReaderReport> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const onMessage = (r: ReaderReport): void => {
        if (r.seq !== seq) return;
        clearTimeout(t);
        this.child.off('message', onMessage);
        resolve(r);
      };
      const t = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error('a reader process did not report within 30 s'));
      }, 30_000);
      this.child.on('message', onMessage);
      this.child.send({ report: seq });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('close');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}

/** All reader processes' reports as one. */
async function reportOf(procs: ReaderProcess[]): Promise<ReaderReport> {
  const all: ReaderReport = { seq: 0, first: [], last: [], messages: 0, gaps: 0, duplicates: 0, resumes: 0, resnapshots: 0 };
  for (const p of procs) {
    const r = await p.report();
    all.first.push(...r.first);
    all.last.push(...r.last);
    all.messages += r.messages;
    all.gaps += r.gaps;
    all.duplicates += r.duplicates;
    all.resumes += r.resumes;
    all.resnapshots += r.resnapshots;
  }
  return all;
}

/** The newest message id, as a fresh client's snapshot says it. */
function newestId(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const req = request(`${url}/api/v1/stream?topics=source`, { agent: false }, (res) => {
      res.setEncoding('latin1');
      res.on('data', (d: string) => {
        text += d;
        const m = /(?:^|\n)id: (\d+)\nevent: snapshot/.exec(text);
        if (m) {
          req.destroy();
          resolve(Number(m[1]));
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(5000, () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

export const sse: Scenario = {
  name: 'sse',
  title: '200 stream clients (4 processes of their own, resuming like EventSource) while the PBX sends 1,000 state events a second: no message lost, duplicated or reordered, exporter RSS bounded',
  async run({ full, dir, log }) {
    const clientsN = 200;
    const processes = 4;
    const rate = 1000;
    const seconds = full ? 60 : 8;
    const pbx = await fakeAsterisk();
    const login = nextLogin(pbx);
    const ex = await startExporter(exporterYaml(join(dir, 'sb.db'), ['sources:', amiSource('sse', pbx.port)]), dir);
    const procs: ReaderProcess[] = [];
    try {
      const session = await login;
      for (let i = 0; i < processes; i++) procs.push(new ReaderProcess(ex.url, clientsN / processes));
      const ready = await waitFor(async () => ((await reportOf(procs)).first.every((f) => f !== null) ? true : undefined), 60_000, 500);
      if (!ready) throw new Error('not every client got its snapshot within 60 s');
      log(`${clientsN} clients attached in ${processes} processes; sending ${rate} events/s for ${seconds} s`);
      let sent = 0;
      const t0 = Date.now();
      let maxRss = 0;
      while (Date.now() - t0 < seconds * 1000) {
        // catch up to the schedule in 10 ms steps
        const due = Math.floor(((Date.now() - t0) / 1000) * rate);
        let batch = '';
        for (; sent < due; sent++) {
          const ext = 1000 + (sent % 100);
          const state = Math.floor(sent / 100) % 2 ? 'INUSE' : 'NOT_INUSE';
          batch += `Event: DeviceStateChange\r\nPrivilege: call,all\r\nDevice: PJSIP/${ext}\r\nState: ${state}\r\n\r\n`;
        }
        if (batch) session.writeRaw(batch);
        maxRss = Math.max(maxRss, rssBytes(ex.pid));
        await sleep(10);
      }
      const sendSeconds = (Date.now() - t0) / 1000;
      // the newest id once it stops moving; every client must end there (a dropped one after its resume)
      let final: number | undefined;
      await waitFor(
        async () => {
          const got = await newestId(ex.url);
          const settled = got !== undefined && final === got;
          final = got;
          return settled ? got : undefined;
        },
        30_000,
        500,
      );
      let r = await reportOf(procs);
      const t1 = Date.now();
      while (Date.now() - t1 < 30_000 && !r.last.every((l) => l === final)) {
        maxRss = Math.max(maxRss, rssBytes(ex.pid));
        await sleep(500);
        r = await reportOf(procs);
      }
      const metrics = await (await fetch(`${ex.url}/metrics`)).text();
      const dropped = metric(metrics, 'switchboard_sse_clients_dropped_total') ?? 0;
      const behind = r.last.filter((l) => l !== final).length;
      // every client should have had each message after its snapshot exactly once
      const expected = final !== undefined ? r.first.reduce((a: number, f) => a + (final! - (f ?? final!)), 0) : 0;
      const published = final !== undefined ? final - Math.min(...r.first.map((f) => f ?? final!)) : 0;
      return [
        row('sse', 'state events sent by the PBX / stream messages published', sent, `${published.toLocaleString('en')} messages published in ${sendSeconds.toFixed(0)} s`, published >= sent * 0.9),
        row(
          'sse',
          'messages lost or duplicated over all clients',
          `${clientsN} clients`,
          `${r.gaps} lost, ${r.duplicates} duplicated, ${r.messages.toLocaleString('en')} of ${expected.toLocaleString('en')} delivered; ${r.resumes} resumes with Last-Event-ID (${r.resnapshots} answered with a snapshot)`,
          r.gaps === 0 && r.duplicates === 0 && r.messages === expected,
        ),
        row('sse', 'clients that ended at the newest message', clientsN, `${clientsN - behind} at id ${final}, ${behind} behind`, behind === 0),
        row('sse', 'exporter RSS under load (slow clients dropped before it balloons)', 1, `max ${(maxRss / 2 ** 20).toFixed(0)} MiB, ${dropped} clients dropped as slow`, maxRss < 512 * 2 ** 20),
      ];
    } finally {
      for (const p of procs) await p.close();
      await ex.stop();
      await pbx.close();
    }
  },
};
