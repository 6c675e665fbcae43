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
      // after a warm-up quarter, the second quarter sets the level the last half must stay near
      const early = Math.max(
        ...rss.slice(Math.floor(rss.length / 4), Math.max(Math.floor(rss.length / 4) + 1, Math.floor(rss.length / 2))),
      );
      const late = Math.max(...rss.slice(Math.floor(rss.length / 2)));
      const bounded = late <= Math.max(early * 1.5, early + 64 * 2 ** 20) && late < 768 * 2 ** 20;
      return [
        row(
          'fuzz',
          'mutated AMI frames: exporter crashes',
          total,
          `${crashes} crashes (${(bytes / 2 ** 20).toFixed(0)} MiB sent, ${rejected.toLocaleString('en')} frames/events rejected and counted, ${drops} sessions dropped by the exporter${reconnects !== undefined ? `, ${reconnects} reconnects` : ''})`,
          crashes === 0,
        ),
        row('fuzz', '/healthz answered within 5 s between batches', checks, `${hangs} hangs`, hangs === 0),
        row(
          'fuzz',
          'RSS bounded (last half vs. second quarter)',
          rss.length,
          `second quarter max ${(early / 2 ** 20).toFixed(0)} MiB, last half max ${(late / 2 ** 20).toFixed(0)} MiB`,
          bounded,
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
