import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A synthetic day of AMI traffic built from the real captures: every frame of every scenario, with its Uniqueids,
 * Linkedids, channel suffixes, bridge ids and Timestamps rewritten per call instance, calls spread over 24 hours and
 * interleaved by time. The event mix is exactly the captures' (VarSet, Newexten, RTCP included: a `read = all` user).
 */

type Part = string | { uid: string } | { chan: string; hex: string } | { bridge: string } | { ts: number };

interface Template {
  name: string;
  /** per frame: its pieces and its time offset from the capture's first event (s) */
  frames: { parts: Part[]; offset: number }[];
  /** calls this scenario yields (from its README truth) */
  calls: number;
  span: number;
}

// captures that yield other than one call record (the replay test's counts)
const CALLS: Record<string, number> = {
  register: 0,
  attended_transfer_consult_refer: 2,
  snapshot_actions: 2,
  outbound_busy_and_failed: 2,
  confbridge_internal_first: 3,
  confbridge_transfer_in: 2,
};

export function fixturesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'test/fixtures/ami-rig');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/ami-rig not found');
}

function compile(name: string, raw: string): Template {
  const body = raw.slice(raw.indexOf('\r\n') + 2);
  const blocks = body
    .split('\r\n\r\n')
    .filter((b) => b.startsWith('Event:') && !b.includes('\r\nActionID:') && !b.startsWith('Event: FullyBooted'));
  let t0 = Infinity;
  for (const b of blocks) {
    const m = /\r\nTimestamp: ([\d.]+)/.exec(b);
    if (m) t0 = Math.min(t0, Number(m[1]));
  }
  let last = 0;
  const frames = blocks.map((b) => {
    const parts: Part[] = [];
    let literal = '';
    let offset = last;
    for (const line of b.split('\r\n')) {
      const i = line.indexOf(': ');
      const key = i > 0 ? line.slice(0, i) : line;
      const value = i > 0 ? line.slice(i + 2) : '';
      let part: Part | undefined;
      if (/(Uniqueid|Linkedid|UniqueID)$/.test(key) && /^\d+\.\d+$/.test(value)) part = { uid: value };
      else if (/Channel$/.test(key) && /-[0-9a-f]{8}(;[12])?$/.test(value))
        part = { chan: value, hex: /-([0-9a-f]{8})(;[12])?$/.exec(value)![1] };
      else if (/(BridgeUniqueid|BridgeId)$/.test(key) && value) part = { bridge: value };
      else if (key === 'Timestamp') {
        offset = Number(value) - t0;
        part = { ts: offset };
      }
      if (part) {
        parts.push(`${literal}${key}: `);
        parts.push(part);
        literal = '\r\n';
      } else literal += `${line}\r\n`;
    }
    parts.push(`${literal}\r\n`);
    last = offset;
    return { parts, offset };
  });
  return { name, frames, calls: CALLS[name] ?? 1, span: last };
}

export function loadTemplates(dir = fixturesDir()): Template[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ami.txt'))
    .sort()
    .map((f) => compile(f.replace('.ami.txt', ''), readFileSync(join(dir, f), 'latin1')));
}

export interface Day {
  chunks: Buffer[];
  events: number;
  calls: number;
  bytes: number;
  byEvent: Map<string, number>;
}

/** A seeded PRNG (mulberry32): the same day and the same fault points on every run, so a result can be rerun. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds at least `minEvents` events over one day starting at `dayStart` (epoch s), as ~1 MiB chunks. */
export function buildDay(minEvents: number, dayStart = 1_800_000_000, seed = 1): Day {
  const templates = loadTemplates();
  const random = rng(seed);
  const instances: { t: Template; start: number }[] = [];
  let events = 0;
  while (events < minEvents) {
    const t = templates[Math.floor(random() * templates.length)];
    instances.push({ t, start: 0 });
    events += t.frames.length;
  }
  const starts = instances.map(() => random() * (86400 - 60)).sort((a, b) => a - b);
  instances.forEach((x, i) => (x.start = starts[i]));

  // every frame of every instance, ordered by time
  const time = new Float64Array(events);
  const inst = new Uint32Array(events);
  const frame = new Uint16Array(events);
  let n = 0;
  instances.forEach((x, i) => {
    x.t.frames.forEach((f, j) => {
      time[n] = x.start + f.offset;
      inst[n] = i;
      frame[n] = j;
      n++;
    });
  });
  const order = new Uint32Array(events).map((_, i) => i).sort((a, b) => time[a] - time[b] || a - b);

  const chunks: Buffer[] = [];
  const byEvent = new Map<string, number>();
  let buf = '';
  let bytes = 0;
  const uidMaps = new Map<number, Map<string, string>>();
  for (const k of order) {
    const i = inst[k];
    const x = instances[i];
    let uids = uidMaps.get(i);
    if (!uids) uidMaps.set(i, (uids = new Map()));
    const map = (orig: string): string => {
      let v = uids!.get(orig);
      if (!v) uids!.set(orig, (v = String(uids!.size)));
      return v;
    };
    let s = '';
    for (const p of x.t.frames[frame[k]].parts) {
      if (typeof p === 'string') s += p;
      else if ('uid' in p) s += `${dayStart + i}.${map(p.uid)}`;
      else if ('chan' in p)
        s += p.chan.replace(
          p.hex,
          ((i * 64 + Number(map(`chan:${p.hex}`))) % 0xffffffff).toString(16).padStart(8, '0'),
        );
      else if ('bridge' in p)
        s += `${p.bridge.slice(0, 24)}${(i * 64 + Number(map(`br:${p.bridge}`))).toString(16).padStart(12, '0')}`;
      else s += (dayStart + x.start + p.ts).toFixed(6);
    }
    const name = s.slice(7, s.indexOf('\r\n'));
    byEvent.set(name, (byEvent.get(name) ?? 0) + 1);
    buf += s;
    if (buf.length >= 1 << 20) {
      chunks.push(Buffer.from(buf, 'latin1'));
      bytes += buf.length;
      buf = '';
    }
    // an instance's last frame: its id map is no longer needed
    if (frame[k] === x.t.frames.length - 1) uidMaps.delete(i);
  }
  if (buf) {
    chunks.push(Buffer.from(buf, 'latin1'));
    bytes += buf.length;
  }
  return { chunks, events, calls: instances.reduce((c, x) => c + x.t.calls, 0), bytes, byEvent };
}
