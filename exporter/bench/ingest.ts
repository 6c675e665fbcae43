/**
 * Ingest benchmark: a synthetic day of ≥ 1M AMI events built from the real captures (bench/ingest/synth.ts), streamed
 * over loopback TCP by the same fake Asterisk the tests use, then
 *  1. parse only: our frame reader + client (login, header casing, typed events), events counted and dropped;
 *  2. full pipeline: the AMI source on the source runtime (translation, correlation, live state) → hub → SQLite
 *     through the app's Writer, until every event is handled, every call closed and the last commit done.
 * Prints events per wall-clock second and per CPU-second of this process (the fair figure on a loaded machine: other
 * processes' work does not count). The fake Asterisk runs in this process too; its share of the CPU-seconds is the cost
 * of writing the bytes.
 *
 * Target: the full pipeline handles ≥ 40,000 events per CPU-second. A fixed floor on the pipeline's own cost, not a
 * ratio: wave 1's target, full ≥ 50 % of parse-only, was set against asterisk-manager's parser (~39k events/s); our
 * frame reader parses ~10× faster, so the ratio fell to ~30 % while the pipeline itself got faster — it rewarded a slow
 * parser. The ratio is still printed, as the share of the pipeline's CPU that reading the wire takes. 40,000 is twice
 * wave 1's 20,000 events/s wall-clock floor (which assumed a core to itself, where the two figures agree for this
 * one-threaded process) and about four fifths of what the pipeline did when the floor was set (~51k on the loaded
 * 2-core machine), so a real regression shows; it is also some 400 calls set up and torn down per second per core, far
 * more than one PBX makes. Wall-clock is printed but has no target: on a shared machine it measures the other processes.
 */
import { Readable } from 'node:stream';
import { join } from 'node:path';
import pino from 'pino';
import { Hub } from '../src/hub';
import { AmiServer, type ActionHandler } from '../src/demo/ami/ami-server';
import { createSource } from '../src/sources';
import { AmiClient } from '../src/sources/ami/client';
import { Backoff } from '../src/sources/runtime/backoff';
import { Store } from '../src/store/store';
import { Writer } from '../src/store/writer';
import { buildDay, type Day } from './ingest/synth';
import { tempDir } from './lib/tmp';

const EVENTS = Number(process.env.SB_BENCH_EVENTS ?? 1_000_000);
const TARGET_PER_CPU_SECOND = 40_000;
const silent = pino({ level: 'silent' });

const emptyLists: Record<string, ActionHandler> = Object.fromEntries(
  ['coreshowchannels', 'devicestatelist', 'extensionstatelist', 'pjsipshowendpoints', 'pjsipshowcontacts', 'pjsipshowregistrationsoutbound', 'queuestatus', 'voicemailuserslist'].map(
    (a) => [a, ((act, s) => s.list(act, [], 'ListComplete')) as ActionHandler],
  ),
);

async function server(day: Day): Promise<AmiServer> {
  const s = new AmiServer({ username: 'bench', secret: 'bench', actions: emptyLists });
  // the day starts after the resync lists have been answered, so both runs see exactly the same stream
  s.on('action', (a, session) => {
    if (a.action?.toLowerCase() === 'voicemailuserslist') setImmediate(() => Readable.from(day.chunks).pipe(session.socket, { end: false }));
  });
  await s.listen();
  return s;
}

const config = (port: number) => ({
  name: 'bench',
  kind: 'ami' as const,
  host: '127.0.0.1',
  port,
  username: 'bench',
  secret: 'bench',
  pingIntervalSeconds: 300,
  actionTimeoutSeconds: 120,
  reconnectMaxSeconds: 60,
});

interface Rate {
  wall: number;
  cpu: number;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function parseOnly(day: Day): Promise<Rate> {
  const srv = await server(day);
  const client = new AmiClient({ host: '127.0.0.1', port: srv.port, username: 'bench', secret: 'bench', pingIntervalMs: 300_000, actionTimeoutMs: 120_000, backoff: new Backoff(1000, 60_000) });
  let n = 0;
  let t0 = 0;
  let c0 = 0;
  const done = new Promise<Rate>((resolve) => {
    client.on('event', () => {
      if (n++ === 0) {
        t0 = performance.now();
        c0 = cpuNow();
      }
      if (n === day.events) resolve({ wall: (day.events / (performance.now() - t0)) * 1000, cpu: day.events / (cpuNow() - c0) });
    });
  });
  client.on('up', () => {
    // the same resync the source sends; the server starts the day after its last list
    for (const a of ['CoreShowChannels', 'DeviceStateList', 'ExtensionStateList', 'PJSIPShowEndpoints', 'PJSIPShowContacts', 'PJSIPShowRegistrationsOutbound', 'QueueStatus', 'VoicemailUsersList']) {
      void client.action({ Action: a }, { list: true }).catch(() => undefined);
    }
  });
  client.start();
  const rate = await done;
  await client.stop();
  await srv.close();
  return rate;
}

async function fullPipeline(day: Day): Promise<{ rate: Rate; stored: number; extensions: number }> {
  const srv = await server(day);
  const tmp = tempDir('sb-bench-ingest-');
  const store = new Store({ path: join(tmp.dir, 'ingest.db') });
  const hub = new Hub();
  const writer = new Writer(hub, store, silent, 200, 10_000);
  writer.start();
  let n = 0;
  let t0 = 0;
  let c0 = 0;
  const done = new Promise<void>((resolve) => {
    hub.on('sourceEvent', () => {
      if (n++ === 0) {
        t0 = performance.now();
        c0 = cpuNow();
      }
      if (n === day.events) resolve();
    });
  });
  const source = createSource(config(srv.port), { hub, log: silent, store });
  await source.start();
  await done;
  // nothing more will come: close the calls still in their grace period and commit everything
  await source.stop();
  writer.stop();
  const ms = performance.now() - t0;
  const cpu = cpuNow() - c0;
  const stored = (store.db.prepare('SELECT count(*) AS n FROM calls WHERE open = 0').get() as { n: number }).n;
  const extensions = (store.db.prepare('SELECT count(*) AS n FROM extension_history').get() as { n: number }).n;
  store.close();
  tmp.cleanup();
  await srv.close();
  return { rate: { wall: (day.events / ms) * 1000, cpu: day.events / cpu }, stored, extensions };
}

/** Runs both passes and prints their figures; true when the target is met. */
async function main(): Promise<boolean> {
  const built = performance.now();
  const day = buildDay(EVENTS);
  const top = [...day.byEvent].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${((v / day.events) * 100).toFixed(0)}%`);
  console.log(
    `synthetic day: ${day.events.toLocaleString('en')} events, ${day.calls.toLocaleString('en')} calls, ${(day.bytes / 2 ** 20).toFixed(0)} MiB of AMI (${top.join(', ')}), built in ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );
  const fmt = (r: Rate): string => `${Math.round(r.wall).toLocaleString('en')} events/s wall-clock, ${Math.round(r.cpu).toLocaleString('en')} events per CPU-second`;
  const parse = await parseOnly(day);
  console.log(`parse-only: ${fmt(parse)}`);
  const full = await fullPipeline(day);
  console.log(`full pipeline (parse → correlate → SQLite commit): ${fmt(full.rate)} (${full.stored.toLocaleString('en')} of ${day.calls.toLocaleString('en')} calls stored)`);
  const ratio = full.rate.cpu / parse.cpu;
  console.log(`ratio full/parse-only per CPU-second: ${(ratio * 100).toFixed(0)} % (no target: reading the wire's share of the pipeline's CPU)`);
  const perCall = day.events / day.calls;
  const met = full.rate.cpu >= TARGET_PER_CPU_SECOND;
  console.log(
    `target: full pipeline ≥ ${TARGET_PER_CPU_SECOND.toLocaleString('en')} events per CPU-second (${Math.round(TARGET_PER_CPU_SECOND / perCall)} calls/s per core at this day's ${perCall.toFixed(0)} events a call): ${Math.round(full.rate.cpu).toLocaleString('en')}, ${met ? 'met' : 'NOT met'}`,
  );
  return met;
}

main().then(
  (met) => process.exit(met ? 0 : 1),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
