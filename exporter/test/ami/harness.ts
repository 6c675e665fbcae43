import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { AmiServer, type ActionHandler, type Frame } from '../../src/demo/ami/ami-server';
import { EMPTY_RESYNC } from '../../src/demo/ami/empty-resync';
import type { Call, ConferenceState, ExtensionState, Gap, ParkingState, QueueCallResult, QueueState, SourceStatus, TrunkState } from '../../src/domain';
import { Hub, type RejectedEvent } from '../../src/hub';
import { ami } from '../../src/sources/ami';
import { AmiConfigSchema, type AmiConfig } from '../../src/sources/ami/config';
import { AmiDriver, type AmiOptions } from '../../src/sources/ami/driver';
import { withDefaults } from '../../src/sources/runtime/config';
import { SourceRuntime, type RuntimeOptions } from '../../src/sources/runtime/runtime';
import { Store } from '../../src/store/store';
import { tempDir } from '../helpers/tmp';

export const FIXTURES = join(__dirname, '../fixtures/ami-rig');

/** A capture's bytes after the banner and the capture's own Login response: what Asterisk sent once logged in. */
export function captureBody(name: string): string {
  const raw = readFileSync(join(FIXTURES, `${name}.ami.txt`), 'utf8');
  const afterBanner = raw.slice(raw.indexOf('\r\n') + 2);
  return afterBanner.slice(afterBanner.indexOf('\r\n\r\n') + 4);
}

export interface CdrRow {
  src: string;
  dst: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  start: number;
  answer?: number;
  end: number;
  duration: number;
  billsec: number;
  disposition: string;
  uniqueid: string;
  userfield: string;
}

const COLUMNS = ['accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'start', 'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'uniqueid', 'userfield'];
const utc = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`);

/** Asterisk's own cdr-csv rows of a scenario (times UTC, `usegmtime = yes`). */
export function cdrRows(name: string): CdrRow[] {
  const rows = parse(readFileSync(join(FIXTURES, `${name}.cdr.csv`), 'utf8'), { columns: COLUMNS, relax_column_count: true }) as Record<string, string>[];
  return rows.map((r) => ({
    src: r.src,
    dst: r.dst,
    channel: r.channel,
    dstchannel: r.dstchannel,
    lastapp: r.lastapp,
    start: utc(r.start),
    ...(r.answer ? { answer: utc(r.answer) } : {}),
    end: utc(r.end),
    duration: Number(r.duration),
    billsec: Number(r.billsec),
    disposition: r.disposition,
    uniqueid: r.uniqueid,
    userfield: r.userfield,
  }));
}

/** app_queue's queue_log lines: `time|callid|queue|agent|event|data…`. */
export function queueLog(name: string): { callid: string; queue: string; agent: string; event: string; data: string[] }[] {
  return readFileSync(join(FIXTURES, `${name}.queue_log`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [, callid, queue, agent, event, ...data] = l.split('|');
      return { callid, queue, agent, event, data };
    });
}

/** A fake Asterisk on loopback; `onLogin` decides what the logged-in session receives. */
export async function fakePbx(opts: { actions?: Record<string, ActionHandler>; secret?: string } = {}): Promise<AmiServer> {
  // resync answered with empty lists: a replay only shows what the capture holds
  const server = new AmiServer({ username: 'rig', secret: opts.secret ?? 'rig-secret', actions: { ...EMPTY_RESYNC, ...opts.actions } });
  await server.listen();
  return server;
}

/** A fake Asterisk that replays a capture to every session right after its login. */
export async function replayPbx(name: string): Promise<AmiServer> {
  const server = await fakePbx();
  const body = captureBody(name);
  server.on('login', (s) => s.writeRaw(body));
  return server;
}

export function amiConfig(port: number, over: Partial<AmiConfig> = {}): AmiConfig {
  return withDefaults(AmiConfigSchema, {
    name: 'rig',
    kind: 'ami',
    host: '127.0.0.1',
    port,
    username: 'rig',
    secret: 'rig-secret',
    pingIntervalSeconds: 20,
    actionTimeoutSeconds: 5,
    reconnectMaxSeconds: 1,
    ...over,
  });
}

/** The exporter side: the AMI driver on the source runtime, wired to a hub and a real SQLite store, recording every hub event. */
export class Rig {
  readonly hub: Hub;
  readonly tmp = tempDir('sb-ami-');
  readonly store: Store;
  readonly calls: Call[] = [];
  readonly ended: Call[] = [];
  readonly extensions: ExtensionState[] = [];
  readonly queues: QueueState[] = [];
  readonly queueCalls: QueueCallResult[] = [];
  readonly trunks: TrunkState[] = [];
  readonly conferences: ConferenceState[] = [];
  readonly parking: ParkingState[] = [];
  readonly statuses: SourceStatus[] = [];
  readonly gaps: Gap[] = [];
  readonly rejected: RejectedEvent[] = [];
  readonly events: string[] = [];
  /** why each doubted PBX timestamp was not believed */
  readonly doubted: string[] = [];
  source!: SourceRuntime;

  /** `dbPath`: reuse another run's database (restart tests); `hub`: one an HTTP harness serves */
  constructor(
    readonly dbPath?: string,
    hub: Hub = new Hub(),
  ) {
    this.hub = hub;
    this.store = new Store({ path: dbPath ?? join(this.tmp.dir, 'sb.db') });
    this.hub.on('call', (c) => {
      this.calls.push(c);
      this.store.saveCall(c);
    });
    this.hub.on('callEnded', (c) => {
      this.ended.push(c);
      this.store.saveCall(c);
    });
    this.hub.on('checkpoint', (c) => this.store.saveCheckpoint(c.call, c.checkpoint));
    this.hub.on('unoffered', (u) => this.store.saveUnoffered(u.pbx, u.call, u.checkpoint));
    this.hub.on('gap', (g) => {
      this.gaps.push(g);
      this.store.saveGap(g);
    });
    this.hub.on('extension', (e) => this.extensions.push(e));
    this.hub.on('queue', (q) => this.queues.push(q));
    this.hub.on('queueCall', (q) => this.queueCalls.push(q));
    this.hub.on('trunk', (t) => this.trunks.push(t));
    this.hub.on('conference', (c) => this.conferences.push(c));
    this.hub.on('parking', (p) => this.parking.push(p));
    this.hub.on('source', (s) => this.statuses.push(s));
    this.hub.on('rejected', (r) => this.rejected.push(r));
    this.hub.on('sourceEvent', (e) => {
      this.events.push(e.event);
      if (e.stampDoubted) this.doubted.push(e.stampDoubted);
    });
  }

  async start(config: AmiConfig, opts: AmiOptions & RuntimeOptions = {}, log = pino({ level: 'silent' })): Promise<void> {
    const id = { pbx: config.name, kind: ami.kind, capabilities: ami.capabilities };
    const deps = { hub: this.hub, log, store: this.store };
    this.source = new SourceRuntime(id, deps, (ctx) => new AmiDriver(config, ctx, opts), { graceMs: 100, reconnectBaseMs: 100, ...opts });
    await this.source.start();
  }

  get status(): SourceStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }

  lastExtension(ext: string): ExtensionState | undefined {
    return [...this.extensions].reverse().find((e) => e.extension === ext);
  }

  lastQueue(name: string): QueueState | undefined {
    return [...this.queues].reverse().find((q) => q.queue === name);
  }

  async stop(): Promise<void> {
    await this.source?.stop();
    this.store.close();
    this.tmp.cleanup();
  }
}

/** Polls until `fn` returns something, or fails naming what it waited for. */
export async function until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A capture's frames after login, each with its blank-line terminator, for tests that cut or reorder them. */
export function captureFrames(name: string): string[] {
  return captureBody(name)
    .split('\r\n\r\n')
    .filter((f) => f.length > 0)
    .map((f) => `${f}\r\n\r\n`);
}

/** Index of the first frame matching every given header line (`Event: BridgeEnter`, `Channel: PJSIP/1001-…`). */
export function frameIndex(frames: string[], ...lines: string[]): number {
  const i = frames.findIndex((f) => lines.every((l) => f.includes(`${l}\r\n`)));
  if (i < 0) throw new Error(`no frame with ${lines.join(', ')}`);
  return i;
}

/** A pino logger whose JSON lines land in `lines`. */
export function memoryLog(): { log: import('pino').Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

const LIST_HEADERS = ['Channel', 'ChannelState', 'ChannelStateDesc', 'CallerIDNum', 'CallerIDName', 'ConnectedLineNum', 'ConnectedLineName', 'Context', 'Exten', 'Priority', 'Uniqueid', 'Linkedid'];

/**
 * What Asterisk answers to CoreShowChannels once `frames` have been sent: the channels still up, with the headers,
 * application and bridge the frames left them in (Duration is not derived: nothing reads a known channel's age).
 */
export function channelsUp(frames: string[]): Frame[] {
  const up = new Map<string, Record<string, string>>();
  for (const f of frames) {
    const h: Record<string, string> = {};
    for (const line of f.split('\r\n')) {
      const i = line.indexOf(': ');
      if (i > 0 && h[line.slice(0, i)] === undefined) h[line.slice(0, i)] = line.slice(i + 2);
    }
    const id = h.Uniqueid;
    if (!id || !h.Channel || !h.Event) continue;
    if (h.Event === 'Hangup') {
      up.delete(id);
      continue;
    }
    const ch = up.get(id) ?? { Application: '', ApplicationData: '', BridgeId: '' };
    up.set(id, ch);
    for (const k of LIST_HEADERS) if (h[k] !== undefined) ch[k] = h[k];
    if (h.Event === 'Newexten' && h.Application) [ch.Application, ch.ApplicationData] = [h.Application, h.AppData ?? ''];
    if (h.Event === 'BridgeEnter') ch.BridgeId = h.BridgeUniqueid;
    if (h.Event === 'BridgeLeave') ch.BridgeId = '';
  }
  return [...up.values()].map((c) => ({ Event: 'CoreShowChannel', ...c, Duration: '00:00:04' }));
}

/** A call's truth as the restart and resync tests compare it against an uninterrupted run of the same stream. */
export const callTruth = (c: Call) => ({
  id: c.id,
  status: c.status,
  direction: c.direction,
  startedAt: c.startedAt,
  answeredAt: c.answeredAt,
  endedAt: c.endedAt,
  ringMs: c.ringMs,
  talkMs: c.talkMs,
  holdMs: c.holdMs,
  waitMs: c.waitMs,
  from: c.from,
  to: c.to,
  answeredBy: c.answeredBy,
  queue: c.queue,
  legs: c.legs.map((l) => ({ id: l.id, outcome: l.outcome, endedAt: l.endedAt, answeredAt: l.answeredAt })),
});

/**
 * Rigs and fake PBXs started by a test file's tests, each stopped after every test whatever happened: a failed
 * expectation must not leave a socket or a database open for the next test.
 */
export function stoppedAfterEach(): {
  rig: (db?: string) => Rig;
  track: (server: Promise<AmiServer>) => Promise<AmiServer>;
} {
  const rigs: Rig[] = [];
  const servers: AmiServer[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) {
      await r.source?.stop().catch(() => undefined);
      if (r.store.isOpen) r.store.close();
      r.tmp.cleanup();
    }
    for (const s of servers.splice(0)) await s.close().catch(() => undefined);
  });
  return {
    rig: (db?: string) => {
      const r = new Rig(db);
      rigs.push(r);
      return r;
    },
    track: async (server: Promise<AmiServer>) => {
      const s = await server;
      servers.push(s);
      return s;
    },
  };
}
