import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { rssBytes } from '../bench/lib/proc';
import { exporterYaml, sleep, startExporter, waitFor } from './lib/exporter';
import { amiSource, fakeAsterisk, nextLogin } from './lib/pbx';
import { row, type Scenario } from './lib/scenario';

/** One stream client: every message id it saw, checked for order as it arrives. */
class Client {
  first?: number;
  last?: number;
  messages = 0;
  gaps = 0;
  duplicates = 0;
  closed = false;
  private rest = '';
  private req?: ClientRequest;

  constructor(private readonly url: string) {}

  open(): void {
    this.req = request(`${this.url}/api/v1/stream`, { agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => this.read(d));
      res.on('close', () => (this.closed = true));
    });
    this.req.on('error', () => (this.closed = true));
    this.req.end();
  }

  private read(d: string): void {
    const text = this.rest + d;
    const end = text.lastIndexOf('\n\n');
    if (end < 0) {
      this.rest = text;
      return;
    }
    this.rest = text.slice(end + 2);
    for (const m of text.slice(0, end).matchAll(/^id: (\d+)$/gm)) {
      const id = Number(m[1]);
      if (this.last === undefined) this.first = id;
      else if (id <= this.last) this.duplicates++;
      else if (id !== this.last + 1) this.gaps += id - this.last - 1;
      if (this.last === undefined || id > this.last) this.last = id;
      this.messages++;
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

export const sse: Scenario = {
  name: 'sse',
  title: '200 stream clients while the PBX sends 1,000 state events a second: no message lost, duplicated or reordered',
  async run({ full, dir, log }) {
    const clientsN = 200;
    const rate = 1000;
    const seconds = full ? 60 : 8;
    const pbx = await fakeAsterisk();
    const login = nextLogin(pbx);
    const ex = await startExporter(exporterYaml(join(dir, 'sb.db'), ['sources:', amiSource('sse', pbx.port)]), dir);
    const clients: Client[] = [];
    try {
      const session = await login;
      for (let i = 0; i < clientsN; i++) {
        const c = new Client(ex.url);
        c.open();
        clients.push(c);
      }
      const ready = await waitFor(() => (clients.every((c) => c.first !== undefined) ? true : undefined), 30_000);
      if (!ready) throw new Error(`${clients.filter((c) => c.first === undefined).length} clients got no snapshot`);
      log(`${clientsN} clients attached; sending ${rate} events/s for ${seconds} s`);
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
      // the newest id, as a fresh client's snapshot says it; every client must end there
      let final: number | undefined;
      await waitFor(async () => {
        const p = new Client(ex.url);
        p.open();
        const got = await waitFor(() => p.first, 5000, 20);
        p.close();
        if (got === undefined) return undefined;
        const settled = final === got;
        final = got;
        return settled ? got : undefined;
      }, 30_000, 500);
      await waitFor(() => (clients.every((c) => c.last === final || c.closed) ? true : undefined), 20_000);
      const lost = clients.reduce((a, c) => a + c.gaps, 0);
      const dup = clients.reduce((a, c) => a + c.duplicates, 0);
      const dropped = clients.filter((c) => c.closed).length;
      const behind = clients.filter((c) => !c.closed && c.last !== final).length;
      const published = final !== undefined ? final - Math.min(...clients.map((c) => c.first ?? final!)) : 0;
      const delivered = clients.reduce((a, c) => a + c.messages, 0);
      return [
        row('sse', 'state events sent by the PBX / stream messages published', sent, `${published.toLocaleString('en')} messages published`, published >= sent * 0.9),
        row('sse', 'messages lost or duplicated over all clients', `${clientsN} clients`, `${lost} lost, ${dup} duplicated, ${delivered.toLocaleString('en')} delivered`, lost === 0 && dup === 0),
        row('sse', 'clients that ended at the newest message', clientsN, `${clientsN - dropped - behind} at id ${final}, ${behind} behind, ${dropped} dropped`, dropped === 0 && behind === 0),
        row('sse', 'exporter RSS under load', 1, `max ${(maxRss / 2 ** 20).toFixed(0)} MiB`, maxRss < 512 * 2 ** 20),
      ];
    } finally {
      for (const c of clients) c.close();
      await ex.stop();
      await pbx.close();
    }
  },
};
