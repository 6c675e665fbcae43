import Database from 'better-sqlite3';
import { buildDay } from '../../bench/ingest/synth';
import type { AmiServer, AmiSession, Frame } from '../../src/demo/ami/ami-server';
import { metric, waitFor } from './exporter';
import { fakeAsterisk } from './pbx';

/** The project's synthetic day (every real capture, ids rewritten per call, PBX Timestamps), frame by frame. */
const days = new Map<string, string[]>();

/** The same array for the same size and seed: the uninterrupted reference run is shared by the scenarios. */
export function dayFrames(minEvents: number, seed = 7): string[] {
  const key = `${minEvents}/${seed}`;
  let frames = days.get(key);
  if (!frames) days.set(key, (frames = buildFrames(minEvents, seed)));
  return frames;
}

function buildFrames(minEvents: number, seed: number): string[] {
  const text = buildDay(minEvents, 1_800_000_000, seed)
    .chunks.map((c) => c.toString('latin1'))
    .join('');
  return text
    .split('\r\n\r\n')
    .filter(Boolean)
    .map((f) => `${f}\r\n\r\n`);
}

function headers(frame: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const line of frame.split('\r\n')) {
    const i = line.indexOf(': ');
    if (i > 0 && h[line.slice(0, i)] === undefined) h[line.slice(0, i)] = line.slice(i + 2);
  }
  return h;
}

const CHANNEL_KEYS = ['Channel', 'ChannelState', 'ChannelStateDesc', 'CallerIDNum', 'CallerIDName', 'ConnectedLineNum', 'ConnectedLineName', 'Language', 'AccountCode', 'Context', 'Exten', 'Priority', 'Uniqueid', 'Linkedid'];

/** What a real Asterisk would answer to CoreShowChannels at a point of the stream: the channels up, as the stream left them. */
class Channels {
  private readonly up = new Map<string, { h: Record<string, string>; since: number; app?: string; data?: string; bridge?: string }>();
  private now = 0;

  apply(frame: string): void {
    const h = headers(frame);
    const ts = Number(h.Timestamp);
    if (Number.isFinite(ts) && ts > this.now) this.now = ts;
    const id = h.Uniqueid;
    if (!id || !h.Channel || h.Event === undefined) return;
    if (h.Event === 'Hangup') {
      this.up.delete(id);
      return;
    }
    let ch = this.up.get(id);
    if (!ch) this.up.set(id, (ch = { h: {}, since: Number.isFinite(ts) ? ts : this.now }));
    for (const k of CHANNEL_KEYS) if (h[k] !== undefined) ch.h[k] = h[k];
    if (h.Event === 'Newexten' && h.Application) {
      ch.app = h.Application;
      ch.data = h.AppData;
    }
    if (h.Event === 'BridgeEnter') ch.bridge = h.BridgeUniqueid;
    if (h.Event === 'BridgeLeave') ch.bridge = undefined;
  }

  items(): Frame[] {
    return [...this.up.values()].map((c) => {
      const s = Math.max(0, Math.round(this.now - c.since));
      const duration = `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
      return { Event: 'CoreShowChannel', ...c.h, Application: c.app ?? '', ApplicationData: c.data ?? '', Duration: duration, BridgeId: c.bridge ?? '' };
    });
  }

  /** the stream's clock: the newest PBX Timestamp sent (ms) */
  get clock(): number {
    return Math.round(this.now * 1000);
  }
}

/**
 * A fake Asterisk that plays the day to whoever is logged in, from where it left off: after each login's resync (its
 * CoreShowChannels answered with the channels up at that point) it sends frames until the day ends or `stopAt`, where
 * it pauses (the scenario then cuts the connection, or kills the exporter, and the next session resumes).
 */
export class DayPbx {
  /** frames fully written so far */
  pos = 0;
  stopAt = Infinity;
  private readonly channels = new Channels();
  private session?: AmiSession;
  private waiters: (() => void)[] = [];
  private constructor(
    readonly frames: string[],
    readonly server: AmiServer,
  ) {}

  static async start(frames: string[]): Promise<DayPbx> {
    const box: { self?: DayPbx } = {};
    const server = await fakeAsterisk({
      coreshowchannels: (a, s) => s.list(a, box.self!.channels.items(), 'CoreShowChannelsComplete'),
    });
    const self = new DayPbx(frames, server);
    box.self = self;
    // the resync's last list; the day goes on after it, as Asterisk's events would
    server.on('action', (a, s) => {
      if (a.action?.toLowerCase() === 'voicemailuserslist') setImmediate(() => self.play(s));
    });
    return self;
  }

  get port(): number {
    return this.server.port;
  }

  get clock(): number {
    return this.channels.clock;
  }

  /** Resolves when the stream has reached `stopAt` (or the day's end). */
  paused(): Promise<void> {
    if (this.pos >= Math.min(this.stopAt, this.frames.length)) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Drops the current session after writing `partial` bytes of the next frame (a TCP cut mid-frame). */
  cut(partial: number): void {
    const s = this.session;
    if (!s) return;
    const next = this.frames[this.pos];
    if (next && partial > 0) s.socket.write(next.slice(0, Math.min(partial, next.length - 1)), 'latin1');
    s.socket.destroy();
  }

  /** Moves the pause point; a session waiting at the old one goes on at once. */
  resumeTo(stopAt: number): void {
    this.stopAt = stopAt;
    if (this.session && !this.writing) this.play(this.session);
  }

  private writing = false;

  private play(s: AmiSession): void {
    this.session = s;
    const step = (): void => {
      if (s.socket.destroyed || this.session !== s) {
        this.writing = false;
        return;
      }
      const end = Math.min(this.stopAt, this.frames.length);
      let chunk = '';
      while (this.pos < end && chunk.length < 256 * 1024) {
        const f = this.frames[this.pos++];
        this.channels.apply(f);
        chunk += f;
      }
      const more = this.pos < end;
      const flushed = chunk ? s.socket.write(chunk, 'latin1') : true;
      if (!more) {
        this.writing = false;
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      if (flushed) setImmediate(step);
      else s.socket.once('drain', step);
    };
    if (this.writing) return;
    this.writing = true;
    step();
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

/** Events the exporter has handled for a PBX, by its own counter (this process only). */
export async function eventsHandled(url: string, pbx: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  let n = 0;
  for (const m of text.matchAll(/^switchboard_events_total\{([^}]*)\} (\d+)$/gm)) if (m[1].includes(`pbx="${pbx}"`)) n += Number(m[2]);
  return n;
}

/**
 * Waits until the exporter's write queue is empty (switchboard_store_queued_rows 0): after `handled`, everything
 * handled is committed then (the records of the events are queued in the tick that handled them). False after
 * `timeoutMs`.
 */
export async function committed(url: string, timeoutMs = 30_000): Promise<boolean> {
  const empty = async (): Promise<true | undefined> => {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    return metric(text, 'switchboard_store_queued_rows') === 0 ? true : undefined;
  };
  return (await waitFor(empty, timeoutMs, 20)) === true;
}

/** Waits until this process has handled `n` events of the PBX; false after `timeoutMs`. */
export async function handled(url: string, pbx: string, n: number, timeoutMs = 120_000): Promise<boolean> {
  return (await waitFor(async () => ((await eventsHandled(url, pbx)) >= n ? true : undefined), timeoutMs, 100)) === true;
}

export interface StoredCall {
  id: string;
  status: string;
  open: number;
  direction: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  from_number: string | null;
  to_number: string | null;
  answered_by: string | null;
}

export interface StoredGap {
  pbx: string | null;
  kind: string;
  reason: string;
  started_at: number;
  ended_at: number | null;
}

/** The calls and gaps a database holds (read-only; safe while the exporter runs or after it was killed). */
export function readDb(path: string): { calls: Map<string, StoredCall>; gaps: StoredGap[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const calls = new Map<string, StoredCall>();
    for (const c of db.prepare('SELECT id, status, open, direction, started_at, answered_at, ended_at, from_number, to_number, answered_by FROM calls').all() as StoredCall[]) calls.set(c.id, c);
    const gaps = db.prepare('SELECT pbx, kind, reason, started_at, ended_at FROM gaps ORDER BY started_at').all() as StoredGap[];
    return { calls, gaps };
  } finally {
    db.close();
  }
}

/** The fields a finished call's truth is made of; the same stream must give the same values. */
export const TRUTH: (keyof StoredCall)[] = ['status', 'direction', 'started_at', 'answered_at', 'ended_at', 'from_number', 'to_number', 'answered_by'];

export function differs(a: StoredCall, b: StoredCall): string | undefined {
  for (const k of TRUTH) if (a[k] !== b[k]) return `${k} ${String(b[k])} instead of ${String(a[k])}`;
  return undefined;
}

/** Waits until the database holds no open call (each closes 2 s after its last hangup), or `timeoutMs`; the calls then. */
export async function settled(path: string, timeoutMs = 30_000): Promise<Map<string, StoredCall>> {
  const calls = await waitFor(() => {
    const { calls } = readDb(path);
    return [...calls.values()].some((c) => c.open) ? undefined : calls;
  }, timeoutMs, 250);
  return calls ?? readDb(path).calls;
}

/** Calls still open: after the whole day has been handled and settled, each one is a call that never closes. */
export const stillOpen = (calls: Map<string, StoredCall>): StoredCall[] => [...calls.values()].filter((c) => c.open);

/** "153 differ: status incomplete instead of answered ×120, …" with one example id. */
export function summarize(diffs: { id: string; what: string }[]): string {
  if (!diffs.length) return '0 differ';
  const byWhat = new Map<string, number>();
  for (const d of diffs) {
    const kind = d.what.startsWith('status') ? d.what : d.what.split(' ')[0];
    byWhat.set(kind, (byWhat.get(kind) ?? 0) + 1);
  }
  const top = [...byWhat].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `${k} ×${n}`);
  return `${diffs.length} differ: ${top.join(', ')} (e.g. ${diffs[0].id})`;
}
