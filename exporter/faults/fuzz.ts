import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Socket } from 'node:net';
import type { AmiSession } from '../src/demo/ami/ami-server';
import { fixturesDir } from '../bench/ingest/synth';
import { rssBytes } from '../bench/lib/proc';
import { exporterYaml, metric, startExporter, statusOf, waitFor, type Exporter } from './lib/exporter';
import { amiSource, fakeAsterisk, nextLogin } from './lib/pbx';
import { row, type Scenario } from './lib/scenario';

/** Names that used to become emitter events or property paths, and other text a parser might trust. */
const NASTY_NAMES = [
  'rawevent',
  'asterisk',
  'managerevent',
  'response',
  'error',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'Follows',
  'sb-1',
  'sb-login',
];
const NASTY_TEXT = [
  '\r\n',
  '\r\n\r\n',
  '\n',
  '\r',
  ':',
  ': ',
  '\u0000',
  '\ufffd',
  '😀',
  '--END COMMAND--',
  'Response: Follows\r\n',
  'Event: ',
  'ActionID: ',
  '%s%n',
  '{"a":1}',
];

/** Resolves when the socket has drained, closed or 30 s passed; leaves no listener behind. */
function drained(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      s.off('drain', done);
      s.off('close', done);
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(done, 30_000);
    s.on('drain', done);
    s.on('close', done);
  });
}

/** Every frame of every real capture: the mutator's seeds. */
function seeds(): string[] {
  const dir = fixturesDir();
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ami.txt'))) {
    const body = readFileSync(join(dir, f), 'latin1');
    for (const b of body.split('\r\n\r\n')) if (b.includes(': ')) out.push(`${b}\r\n\r\n`);
  }
  return out;
}

type Mutation = (s: string) => string;

function mutations(): fc.Arbitrary<Mutation> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  return fc.oneof(
    // flip one character
    fc.tuple(at, fc.integer({ min: 0, max: 0xff })).map(([p, c]): Mutation => (s) => {
      const i = Math.floor(p * s.length);
      return s.slice(0, i) + String.fromCharCode(c) + s.slice(i + 1);
    }),
    // cut a range out
    fc.tuple(at, fc.integer({ min: 1, max: 64 })).map(([p, n]): Mutation => (s) => {
      const i = Math.floor(p * s.length);
      return s.slice(0, i) + s.slice(i + n);
    }),
    // insert nasty text, or random text
    fc
      .tuple(at, fc.oneof(fc.constantFrom(...NASTY_TEXT), fc.string({ unit: 'binary', maxLength: 20 })))
      .map(([p, t]): Mutation => (s) => {
        const i = Math.floor(p * s.length);
        return s.slice(0, i) + t + s.slice(i);
      }),
    // a header value (Event, ActionID, any) becomes a name an emitter or an object would trust
    fc
      .tuple(
        fc.constantFrom('Event', 'ActionID', 'Response', 'Uniqueid', 'Linkedid', 'Channel', 'Queue', 'Exten'),
        fc.constantFrom(...NASTY_NAMES),
      )
      .map(
        ([k, v]): Mutation =>
          (s) =>
            new RegExp(`^${k}: .*$`, 'm').test(s)
              ? s.replace(new RegExp(`^${k}: .*$`, 'm'), `${k}: ${v}`)
              : `${k}: ${v}\r\n${s}`,
      ),
    // a key becomes a nasty name
    fc.constantFrom(...NASTY_NAMES).map(
      (k): Mutation =>
        (s) =>
          s.replace(/^[A-Za-z]+:/m, `${k}:`),
    ),
    // duplicate a line, or the whole frame's headers
    at.map((p): Mutation => (s) => {
      const lines = s.split('\r\n');
      const i = Math.floor(p * (lines.length - 2));
      lines.splice(i, 0, lines[i]);
      return lines.join('\r\n');
    }),
    // a huge value (rarely: an oversized frame)
    fc.integer({ min: 1, max: 1000 }).map(
      (k): Mutation =>
        (s) =>
          k === 1
            ? s.replace(/\r\n\r\n$/, `\r\nData: ${'x'.repeat(1_100_000)}\r\n\r\n`)
            : s.replace(/\r\n\r\n$/, `\r\nData: ${'y'.repeat(k * 4)}\r\n\r\n`),
    ),
    // a frame cut short (its end is the next frame's start)
    at.map(
      (p): Mutation =>
        (s) =>
          s.slice(0, Math.max(1, Math.floor(p * s.length))),
    ),
  );
}

function frames(base: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...base), fc.array(mutations(), { minLength: 0, maxLength: 4 }))
    .map(([f, ms]) => ms.reduce((s, m) => m(s), f));
}

/** The call the scenario sends after the fuzz, its ids moved to an epoch no seed frame uses. */
function finalCall(): string {
  const raw = readFileSync(join(fixturesDir(), 'inbound_answered.ami.txt'), 'latin1');
  const afterBanner = raw.slice(raw.indexOf('\r\n') + 2);
  // new ids (Uniqueid, Linkedid, …) so the call is told apart from the fuzz's; the Timestamp lines keep their values,
  // or every event of the call would land in the same second and its order and durations would be lost
  return afterBanner
    .slice(afterBanner.indexOf('\r\n\r\n') + 4)
    .split('\r\n')
    .map((line) => (line.startsWith('Timestamp: ') ? line : line.replace(/\b\d{10}\.(\d+)\b/g, '1999999999.$1')))
    .join('\r\n');
}

/** The exporter's own reading of its V8 heap in use (prom-client's default metric), or undefined. */
async function heapUsed(url: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    return metric(text, 'nodejs_heap_size_used_bytes');
  } catch {
    return undefined;
  }
}

/** The `n`th quarter (0–3) of a series of readings. */
const quarter = (xs: number[], n: number): number[] => xs.slice(Math.floor((xs.length * n) / 4), Math.floor((xs.length * (n + 1)) / 4));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

export const fuzz: Scenario = {
  name: 'fuzz',
  title: 'mutated AMI frames (fast-check) from a fake Asterisk: no crash, no hang, bounded RSS, the stream read on',
  async run({ full, dir, log }) {
    const total = full ? 1_000_000 : 30_000;
    const batch = 2_000;
    const pbx = await fakeAsterisk();
    let login = nextLogin(pbx);
    const yaml = exporterYaml(join(dir, 'sb.db'), ['sources:', amiSource('fuzz', pbx.port)]);
    let ex: Exporter = await startExporter(yaml, dir);
    let crashes = 0;
    let hangs = 0;
    const rss: number[] = [];
    /** the exporter's V8 heap in use, from its own /metrics: the lowest reading of a stretch is its floor after GC */
    const heap: number[] = [];
    const arb = frames(seeds());
    try {
      let session = await login;
      let sent = 0;
      let bytes = 0;
      let drops = 0;
      let checks = 0;
      const liveSession = (): Promise<AmiSession | undefined> =>
        waitFor(() => [...pbx.sessions].find((x) => x.authenticated && !x.socket.destroyed), 30_000, 50);
      for (let b = 0; sent < total; b++) {
        const text = fc.sample(arb, { numRuns: batch, seed: 4242 + b }).join('');
        sent += batch;
        bytes += text.length;
        // the socket drains before the next batch: the exporter sets the pace, memory stays flat here
        const s = session.socket;
        if (!s.destroyed && !s.write(text, 'latin1')) await drained(s);
        rss.push(rssBytes(ex.pid));
        // after every batch: alive, answering, its RSS
        if (ex.child.exitCode !== null) {
          crashes++;
          log(`exporter exited with ${ex.child.exitCode} after ${sent} frames:\n${ex.logs().slice(-5).join('\n')}`);
          login = nextLogin(pbx);
          ex = await startExporter(yaml, dir);
          session = await login;
          continue;
        }
        if ((await statusOf(`${ex.url}/healthz`, 5000)) !== 200) hangs++;
        checks++;
        const used = await heapUsed(ex.url);
        if (used !== undefined) heap.push(used);
        // a session the exporter dropped (a fuzzed answer failed its Ping, say) comes back: carry on on the new one
        if (s.destroyed) {
          drops++;
          const next = await liveSession();
          if (!next) {
            hangs++;
            throw new Error(`the exporter did not log in again after a dropped session (${sent} frames)`);
          }
          session = next;
        }
        if (b % 50 === 49) log(`${sent.toLocaleString('en')} frames, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
      }
      // the stream goes on: a real call after the fuzz is read and stored
      session.socket.write(`\r\n\r\n${finalCall()}`, 'latin1');
      const stored = await waitFor(
        async () => {
          const r = (await (await fetch(`${ex.url}/api/v1/calls?pbx=fuzz&limit=500`)).json()) as {
            items: { id: string; status: string }[];
          };
          return r.items.find((c) => c.id.startsWith('fuzz-1999999999.') && c.status === 'answered');
        },
        60_000,
        500,
      );
      // what became of it, for the table when it was not stored answered
      const seen = (await (await fetch(`${ex.url}/api/v1/calls?pbx=fuzz&limit=500`)).json()) as {
        items: { id: string; status: string }[];
      };
      const open = (await (await fetch(`${ex.url}/api/v1/calls/active?pbx=fuzz`)).json()) as {
        items?: { id: string; status: string }[];
      };
      const finalSeen =
        [...seen.items, ...(open.items ?? [])]
          .filter((c) => c.id.startsWith('fuzz-1999999999.'))
          .map((c) => `${c.id} ${c.status}`)
          .join(', ') || 'no record of it at all';
      const metrics = await (await fetch(`${ex.url}/metrics`)).text();
      const rejected = [
        ...metrics.matchAll(/^switchboard_events_rejected_total\{pbx="fuzz",reason="[^"]*"\} (\d+)$/gm),
      ].reduce((a, m) => a + Number(m[1]), 0);
      const reconnects =
        metric(metrics, 'switchboard_source_reconnects_total', { pbx: 'fuzz' }) ??
        metric(metrics, 'pbx_source_reconnects_total', { pbx: 'fuzz' });
      const ignored = [
        ...metrics.matchAll(/^switchboard_event_timestamps_ignored_total\{pbx="fuzz",reason="[^"]*"\} (\d+)$/gm),
      ].reduce((a, m) => a + Number(m[1]), 0);
      // flat means: what the second quarter settled at (after the warm-up), the last quarter still holds. RSS by its
      // median (GC makes single readings jumpy), the heap by its floor (the lowest reading is what survived a GC):
      // a map keyed by fuzzed ids would raise both quarter after quarter
      const q2 = quarter(rss, 1);
      const q4 = quarter(rss, 3);
      const rssFlat = median(q4) <= median(q2) + 32 * 2 ** 20 && Math.max(...q4) < 768 * 2 ** 20;
      const h2 = quarter(heap, 1);
      const h4 = quarter(heap, 3);
      // a floor needs readings enough to catch the heap just after a GC: the CI-sized run prints, the long run judges
      const judged = h2.length >= 40 && h4.length >= 40;
      const heapFlat = !judged || Math.min(...h4) <= Math.min(...h2) * 1.1 + 8 * 2 ** 20;
      const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
      return [
        row(
          'fuzz',
          'mutated AMI frames: exporter crashes',
          total,
          `${crashes} crashes (${(bytes / 2 ** 20).toFixed(0)} MiB sent, ${rejected.toLocaleString('en')} frames/events rejected and counted, ${ignored.toLocaleString('en')} timestamps ignored, ${drops} sessions dropped by the exporter${reconnects !== undefined ? `, ${reconnects} reconnects` : ''})`,
          crashes === 0,
        ),
        row('fuzz', '/healthz answered within 5 s between batches', checks, `${hangs} hangs`, hangs === 0),
        row(
          'fuzz',
          'RSS flat (median of the last quarter within 32 MiB of the second)',
          rss.length,
          `second quarter median ${mib(median(q2))} MiB, last quarter median ${mib(median(q4))} MiB (max ${mib(Math.max(...q4))} MiB)`,
          rssFlat,
        ),
        row(
          'fuzz',
          'V8 heap flat (floor of the last quarter within 10 % + 8 MiB of the second)',
          heap.length,
          `second quarter floor ${mib(Math.min(...h2))} MiB, last quarter floor ${mib(Math.min(...h4))} MiB${judged ? '' : ' (too few readings to judge; --full judges it)'}`,
          heapFlat,
        ),
        row(
          'fuzz',
          'a real call after the fuzz read and stored',
          1,
          stored ? `stored (${stored.id})` : `not stored within 60 s (${finalSeen})`,
          !!stored,
        ),
      ];
    } finally {
      await ex.stop();
      await pbx.close();
    }
  },
};
