import { join } from 'node:path';
import pino from 'pino';
import type { Call, ConferenceState, ExtensionState, Gap, OpenCallReader, ParkingState, SourceStatus } from '../../src/domain';
import type { LegStarted } from '../../src/domain/leg-events';
import { Hub, type RejectedEvent, type SourceEventSeen } from '../../src/hub';
import { createSource } from '../../src/sources';
import { knownKinds, sourceKind } from '../../src/sources/registry';
import { InputRejected, type SourceContext } from '../../src/sources/runtime/context';
import type { SourceDriver } from '../../src/sources/runtime/kind';
import { SourceRuntime } from '../../src/sources/runtime/runtime';
import { Store } from '../../src/store/store';
import { tempDir } from '../helpers/tmp';

/**
 * The contract every source kind builds on, checked with a driver that only does what a test tells it: no protocol,
 * so each runtime duty (status, gaps, restore, settle, live state, stop flush) is seen on its own.
 */

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

class ScriptedDriver implements SourceDriver {
  started = 0;
  stopped = 0;
  seen: Call[] = [];
  constructor(readonly ctx: SourceContext) {}
  start(): void {
    this.started++;
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
  callChanged(call: Call): void {
    this.seen.push(call);
  }
}

const legStarted = (leg: string, call: string, at: number, kind: LegStarted['kind'], number: string): LegStarted => ({
  type: 'legStarted',
  at,
  leg,
  call,
  kind,
  party: { number },
  phase: 'ringing',
});

function rig(opts: { live?: boolean; reader?: OpenCallReader; log?: pino.Logger; publish?: 'batched' | 'sync' } = {}) {
  const hub = new Hub();
  const tmp = tempDir('sb-runtime-');
  const store = new Store({ path: join(tmp.dir, 'sb.db') });
  const statuses: SourceStatus[] = [];
  const gaps: Gap[] = [];
  const calls: Call[] = [];
  const ended: Call[] = [];
  const extensions: ExtensionState[] = [];
  const rejected: RejectedEvent[] = [];
  const events: SourceEventSeen[] = [];
  hub.on('source', (s) => statuses.push(s));
  hub.on('gap', (g) => gaps.push(g));
  hub.on('call', (c) => calls.push(c));
  hub.on('callEnded', (c) => ended.push(c));
  hub.on('extension', (e) => extensions.push(e));
  hub.on('rejected', (r) => rejected.push(r));
  hub.on('sourceEvent', (e) => events.push(e));
  let now = T0;
  let driver!: ScriptedDriver;
  const runtime = new SourceRuntime(
    { pbx: 'p1', kind: 'scripted', capabilities: { live: opts.live ?? true, control: [] } },
    { hub, log: opts.log ?? pino({ level: 'silent' }), store: opts.reader ?? store, now: () => now },
    (ctx) => (driver = new ScriptedDriver(ctx)),
    { graceMs: 10, publish: opts.publish ?? 'sync' },
  );
  return {
    hub,
    runtime,
    get driver() {
      return driver;
    },
    get ctx() {
      return driver.ctx;
    },
    store,
    statuses,
    gaps,
    calls,
    ended,
    extensions,
    rejected,
    events,
    setNow: (t: number) => (now = t),
    close: () => {
      store.close();
      tmp.cleanup();
    },
  };
}

describe('source runtime', () => {
  it('publishes the kind and its live capability on every status; start waits for the first attempt only', async () => {
    const r = rig({ live: false });
    let started = false;
    const start = r.runtime.start().then(() => (started = true));
    await new Promise((res) => setImmediate(res));
    expect(r.driver.started).toBe(1);
    expect(started).toBe(false);
    r.ctx.disconnected('connection refused');
    await start;
    expect(r.statuses.at(-1)).toMatchObject({
      pbx: 'p1',
      kind: 'scripted',
      live: false,
      connected: false,
      reason: 'connection refused',
    });
    r.ctx.connected();
    r.ctx.disconnected('reset');
    r.ctx.connected();
    expect(r.statuses.at(-1)).toMatchObject({ connected: true, live: false, reconnects: 1 });
    expect(r.statuses.at(-1)?.reason).toBeUndefined();
    r.close();
  });

  it('opens an outage gap at the disconnect and closes it when the picture is whole again', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.synced(T0);
    r.ctx.received('Ping', T0 + 5000, undefined, () => undefined);
    r.setNow(T0 + 9000);
    r.ctx.disconnected('heartbeat failed');
    r.setNow(T0 + 12000);
    // a failed attempt during the outage is the same outage
    r.ctx.disconnected('connection refused');
    expect(r.gaps).toEqual([{ pbx: 'p1', kind: 'source', reason: 'heartbeat failed', startedAt: T0 + 9000 }]);
    r.ctx.connected();
    expect(r.gaps).toHaveLength(1);
    r.ctx.synced(T0 + 20000, { version: '22.1.0' });
    expect(r.gaps[1]).toEqual({
      pbx: 'p1',
      kind: 'source',
      reason: 'heartbeat failed',
      startedAt: T0 + 9000,
      endedAt: T0 + 20000,
    });
    expect(r.statuses.at(-1)).toMatchObject({ connected: true, version: '22.1.0', reconnects: 1 });
    r.close();
  });

  it('keeps the gap open when a resync finishes after the connection dropped again', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.disconnected('reset');
    // the answers of a resync started before the drop arrive now: they restore nothing
    r.ctx.synced(T0 + 1000);
    expect(r.gaps.filter((g) => g.endedAt !== undefined)).toEqual([]);
    r.ctx.connected();
    r.ctx.synced(T0 + 2000);
    expect(r.gaps.at(-1)).toMatchObject({ reason: 'reset', endedAt: T0 + 2000 });
    r.close();
  });

  it('opens no gap at a stop, and ends the outage going on at the stop (the exporter gap takes over)', async () => {
    const up = rig();
    void up.runtime.start();
    up.ctx.connected();
    up.ctx.synced(T0);
    up.driver.stop = async () => up.ctx.disconnected('stopped'); // a driver reports its own stop as a disconnect
    await up.runtime.stop();
    expect(up.gaps).toEqual([]);
    up.close();

    const down = rig();
    void down.runtime.start();
    down.ctx.disconnected('connection refused');
    down.setNow(T0 + 7000);
    await down.runtime.stop();
    expect(down.gaps).toEqual([
      { pbx: 'p1', kind: 'source', reason: 'connection refused', startedAt: T0 },
      { pbx: 'p1', kind: 'source', reason: 'connection refused', startedAt: T0, endedAt: T0 + 7000 },
    ]);
    down.close();
  });

  it('counts a refused login and says so in the status', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.loginFailed('Authentication failed');
    r.ctx.disconnected('login failed: Authentication failed');
    r.ctx.loginFailed('Authentication failed');
    expect(r.statuses.at(-1)).toMatchObject({
      connected: false,
      loginFailures: 2,
      reason: 'login failed: Authentication failed',
    });
    r.close();
  });

  it('publishes a PBX restart once, not the same start seen again through another arrival time', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    const before = r.statuses.length;
    r.ctx.pbxInfo({ startedAt: T0 });
    r.ctx.pbxInfo({ startedAt: T0 + 1000 });
    expect(r.statuses.length).toBe(before + 1);
    r.ctx.pbxInfo({ startedAt: T0 + 60_000 });
    expect(r.statuses.length).toBe(before + 2);
    expect(r.statuses.at(-1)?.pbxStartedAt).toBe(T0 + 60_000);
    r.close();
  });

  it('counts every event and contains what a handler throws: rejected input and bugs alike', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.received('Newchannel', T0 + 1, T0, () => {
      throw new InputRejected('missing header', 'Newchannel without Uniqueid');
    });
    r.ctx.received('Weird', T0 + 2, undefined, () => {
      throw new TypeError('cannot read x');
    });
    let handled = false;
    r.ctx.received('Hangup', T0 + 3, undefined, () => (handled = true));
    expect(handled).toBe(true);
    expect(r.events.map((e) => [e.event, e.ts])).toEqual([
      ['Newchannel', T0],
      ['Weird', undefined],
      ['Hangup', undefined],
    ]);
    expect(r.rejected).toEqual([
      { pbx: 'p1', reason: 'missing header', detail: 'Newchannel without Uniqueid' },
      { pbx: 'p1', reason: 'handler error', detail: 'Weird: cannot read x' },
    ]);
    r.close();
  });

  it('publishes live state only when it changed; updatedAt alone is no change', () => {
    const r = rig();
    void r.runtime.start();
    const ext = (state: ExtensionState['state'], updatedAt: number): ExtensionState => ({
      pbx: 'p1',
      extension: '1001',
      registered: true,
      state,
      dnd: false,
      queues: [],
      updatedAt,
    });
    r.ctx.live.extension(ext('idle', T0));
    r.ctx.live.extension(ext('idle', T0 + 1000));
    r.ctx.live.extension(ext('ringing', T0 + 2000));
    r.ctx.live.extension(ext('idle', T0 + 3000));
    expect(r.extensions.map((e) => e.state)).toEqual(['idle', 'ringing', 'idle']);
    r.close();
  });

  it('marks the live state stale at a disconnect, says so first in the status, and freshens what the resync reports', async () => {
    const r = rig();
    const order: string[] = [];
    const hub = r.runtime['hub'];
    for (const e of ['source', 'extension', 'queue', 'trunk'] as const) hub.on(e, () => order.push(e));
    void r.runtime.start();
    r.ctx.connected();
    const ext = (extension: string, state: ExtensionState['state']): ExtensionState => ({
      pbx: 'p1',
      extension,
      registered: true,
      state,
      dnd: false,
      queues: [],
      updatedAt: T0,
    });
    r.ctx.live.extension(ext('1001', 'in_call'));
    r.ctx.live.extension(ext('1002', 'idle'));
    r.ctx.live.queue({ pbx: 'p1', queue: 'support', callers: [], members: [], updatedAt: T0 });
    r.ctx.live.trunk({
      pbx: 'p1',
      trunk: 'carrier',
      registered: true,
      status: 'Reachable',
      activeCalls: 1,
      updatedAt: T0,
    });
    r.ctx.synced(T0);
    expect(r.statuses.at(-1)).toMatchObject({ connected: true, since: T0 });
    expect(r.statuses.at(-1)?.staleSince).toBeUndefined();

    order.length = 0;
    const seen = r.extensions.length;
    r.setNow(T0 + 5000);
    r.ctx.disconnected('connection reset');
    // the status first, then every item again, stale as of the disconnect, with its last known values
    expect(order).toEqual(['source', 'extension', 'extension', 'queue', 'trunk']);
    expect(r.statuses.at(-1)).toMatchObject({ connected: false, since: T0 + 5000, staleSince: T0 + 5000 });
    expect(r.extensions.slice(seen)).toEqual([
      { ...ext('1001', 'in_call'), staleSince: T0 + 5000 },
      { ...ext('1002', 'idle'), staleSince: T0 + 5000 },
    ]);
    // another failed attempt changes nothing; what a driver says while down is stale too
    r.setNow(T0 + 8000);
    r.ctx.disconnected('connection refused');
    r.ctx.live.extension(ext('1002', 'unavailable'));
    expect(r.extensions.length).toBe(seen + 3);
    expect(r.extensions.at(-1)).toMatchObject({ state: 'unavailable', staleSince: T0 + 5000 });

    // back: the resync reports 1001 (unchanged) and the queue; 1002 and the trunk it no longer knows
    r.setNow(T0 + 20000);
    r.ctx.connected();
    expect(r.statuses.at(-1)).toMatchObject({ connected: true, since: T0 + 20000, staleSince: T0 + 5000 });
    r.ctx.live.extension(ext('1001', 'in_call'));
    r.ctx.live.queue({ pbx: 'p1', queue: 'support', callers: [], members: [], updatedAt: T0 + 20000 });
    r.ctx.synced(T0 + 20000);
    expect(r.extensions.at(-1)).toEqual(ext('1001', 'in_call'));
    expect(r.statuses.at(-1)?.staleSince).toBeUndefined();
    expect(r.extensions.filter((e) => e.extension === '1002').at(-1)?.staleSince).toBe(T0 + 5000);

    // a stop marks nothing stale
    const before = r.extensions.length;
    r.driver.stop = async () => r.ctx.disconnected('stopped');
    await r.runtime.stop();
    expect(r.extensions.length).toBe(before);
    expect(r.statuses.at(-1)?.staleSince).toBeUndefined();
    r.close();
  });

  it('marks conference rooms in use and parked calls stale at a disconnect, never an ended room', async () => {
    const r = rig();
    const hub = r.runtime['hub'];
    const rooms: ConferenceState[] = [];
    const lots: ParkingState[] = [];
    hub.on('conference', (c) => rooms.push(c));
    hub.on('parking', (p) => lots.push(p));
    void r.runtime.start();
    r.ctx.connected();
    const member = { leg: 'l1', party: { number: '1001' }, extension: '1001', joinedAt: T0, admin: false, muted: false };
    const room = (name: string, participants: ConferenceState['participants']): ConferenceState => ({
      pbx: 'p1',
      room: name,
      startedAt: T0,
      participants,
      updatedAt: T0,
    });
    const parked: ParkingState = {
      pbx: 'p1',
      calls: [{ lot: 'default', slot: '71', leg: 'l9', party: { number: '+4930123' }, parkedAt: T0 }],
      updatedAt: T0,
    };
    r.ctx.live.conference(room('800', [member]));
    r.ctx.live.conference(room('801', [member]));
    r.ctx.live.conference(room('801', []));
    r.ctx.live.parking(parked);
    r.ctx.synced(T0);
    rooms.length = 0;
    lots.length = 0;

    r.setNow(T0 + 5000);
    r.ctx.disconnected('connection reset');
    // the room in use and the lot again, stale as of the disconnect with their last known values; the ended room not
    expect(rooms).toEqual([{ ...room('800', [member]), staleSince: T0 + 5000 }]);
    expect(lots).toEqual([{ ...parked, staleSince: T0 + 5000 }]);
    // what the driver says while down is stale too
    r.ctx.live.parking({ ...parked, calls: [], updatedAt: T0 + 6000 });
    expect(lots.at(-1)).toEqual({ pbx: 'p1', calls: [], updatedAt: T0 + 6000, staleSince: T0 + 5000 });

    // back and resynced: what the resync reports is fresh
    r.setNow(T0 + 20000);
    r.ctx.connected();
    r.ctx.live.conference(room('800', [member]));
    r.ctx.live.parking({ ...parked, updatedAt: T0 + 20000 });
    r.ctx.synced(T0 + 20000);
    expect(rooms.at(-1)).toEqual(room('800', [member]));
    expect(lots.at(-1)).toEqual({ ...parked, updatedAt: T0 + 20000 });
    r.close();
  });

  it('hands calls to the hub and the driver, and flushes the open ones at stop', async () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.received('ring', T0, T0, () => r.ctx.calls.handle(legStarted('c1:in', 'c1', T0, 'trunk', '+4930123')));
    expect(r.calls.at(-1)).toMatchObject({ id: 'p1-c1', open: true, direction: 'inbound' });
    expect(r.driver.seen.map((c) => c.id)).toEqual(['p1-c1']);
    const before = r.calls.length;
    await r.runtime.stop();
    expect(r.driver.stopped).toBe(1);
    expect(r.calls.length).toBe(before + 1);
    expect(r.calls.at(-1)).toMatchObject({ id: 'p1-c1', open: true });
    r.close();
  });

  it('hands each open call to the store once at stop, one changed in the same tick too', async () => {
    const r = rig({ publish: 'batched' });
    const checkpoints: string[] = [];
    r.hub.on('checkpoint', (c) => checkpoints.push(c.call));
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.received('ring', T0, T0, () => r.ctx.calls.handle(legStarted('c1:in', 'c1', T0, 'trunk', '+4930123')));
    await new Promise((res) => setImmediate(res));
    expect(r.calls.map((c) => c.id)).toEqual(['p1-c1']);
    // c2 rings in the tick of the stop: not published yet when the stop comes
    r.ctx.received('ring', T0 + 1000, T0 + 1000, () => r.ctx.calls.handle(legStarted('c2:in', 'c2', T0 + 1000, 'trunk', '+4930124')));
    const [calls, saved] = [r.calls.length, checkpoints.length];
    await r.runtime.stop();
    expect(r.calls.slice(calls).map((c) => c.id)).toEqual(['p1-c1', 'p1-c2']);
    expect(r.calls.slice(calls).every((c) => c.open)).toBe(true);
    expect(checkpoints.slice(saved)).toEqual(['p1-c1', 'p1-c2']);
    r.close();
  });

  it('ends a call that spanned an outage incomplete at its last event when the PBX no longer has its legs', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.received('ring', T0, T0, () => r.ctx.calls.handle(legStarted('c1:in', 'c1', T0, 'trunk', '+4930123')));
    r.ctx.disconnected('stream cut');
    r.ctx.connected();
    // a protocol without a channel list: nothing is alive that it could name
    r.ctx.calls.settle(new Set());
    expect(r.ended).toEqual([expect.objectContaining({ id: 'p1-c1', status: 'incomplete', endedAt: T0 })]);
    // settled once: a later settle finds nothing left to do
    r.ctx.calls.settle(new Set());
    expect(r.ended).toHaveLength(1);
    r.close();
  });

  it('closes a call whose hangups were all seen before the outage as what it was, not incomplete', () => {
    const r = rig();
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.received('ring', T0, T0, () => r.ctx.calls.handle(legStarted('c1:in', 'c1', T0, 'trunk', '+4930123')));
    r.ctx.received('hangup', T0 + 9000, T0 + 9000, () =>
      r.ctx.calls.handle({ type: 'legEnded', at: T0 + 9000, leg: 'c1:in', cause: 16 }),
    );
    // the grace period is running (nothing async has happened yet): the call is open, every leg hung up
    expect(r.ended).toEqual([]);
    r.ctx.disconnected('stream cut');
    r.ctx.connected();
    r.ctx.calls.settle(new Set());
    expect(r.ended).toEqual([expect.objectContaining({ id: 'p1-c1', status: 'missed', endedAt: T0 + 9000 })]);
    r.close();
  });

  it('settles the calls a previous run left open: carried on when their legs are alive, else incomplete', async () => {
    const first = rig();
    void first.runtime.start();
    first.ctx.connected();
    first.ctx.received('ring', T0, T0, () => {
      first.ctx.calls.handle(legStarted('a:in', 'a', T0, 'trunk', '+4930111'));
      first.ctx.calls.handle(legStarted('b:in', 'b', T0, 'trunk', '+4930222'));
    });
    // the process dies; what the store holds of its open calls is read back at the next start
    const left = new Map(first.calls.map((c) => [c.id, c]));
    const second = rig({ reader: { openCalls: (pbx) => (pbx === 'p1' ? [...left.values()] : []) } });
    void second.runtime.start();
    second.ctx.connected();
    second.ctx.calls.settle(new Set(['b:in']));
    expect(second.ended.map((c) => [c.id, c.status, c.endedAt])).toEqual([['p1-a', 'incomplete', T0]]);
    // the one still alive carries on and ends normally
    second.ctx.received('hangup', T0 + 5000, T0 + 5000, () =>
      second.ctx.calls.handle({ type: 'legEnded', at: T0 + 5000, leg: 'b:in' }),
    );
    await new Promise((res) => setTimeout(res, 50));
    expect(second.ended.map((c) => [c.id, c.status])).toEqual([
      ['p1-a', 'incomplete'],
      ['p1-b', 'missed'],
    ]);
    second.close();
    first.close();
  });

  it('logs each change of the connection once: nothing before the first attempt ends, no repeats, nothing at stop', async () => {
    const lines: { level: number; msg: string; reason?: string; reconnects?: number }[] = [];
    const r = rig({ log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) }) });
    const start = r.runtime.start();
    // a PBX that talks before the login completes (AMI's FullyBooted) says nothing about the source yet
    r.ctx.received('FullyBooted', T0 + 40000, undefined, () => undefined);
    expect(r.statuses).toEqual([]);
    r.ctx.disconnected('connection refused');
    await start;
    r.ctx.disconnected('connection refused');
    r.ctx.disconnected('connection refused');
    r.ctx.connected();
    r.ctx.disconnected('reset');
    r.ctx.connected();
    await r.runtime.stop();
    r.ctx.disconnected('stopped');
    const status = lines
      .filter((l) => /^source /.test(l.msg))
      .map((l) => [l.level, l.msg, l.reason ?? l.reconnects ?? null]);
    expect(status).toEqual([
      [40, 'source down', 'connection refused'],
      [30, 'source connected', null],
      [40, 'source down', 'reset'],
      [30, 'source connected', 1],
    ]);
    r.close();
  });

  it('reads the open calls of the last run from the store at start', async () => {
    const tmp = tempDir('sb-runtime-store-');
    const store = new Store({ path: join(tmp.dir, 'sb.db') });
    const open: Call = {
      id: 'p1-old',
      pbx: 'p1',
      direction: 'inbound',
      status: 'missed',
      open: true,
      startedAt: T0,
      ringMs: 0,
      talkMs: 0,
      holdMs: 0,
      from: { number: '+4930999' },
      to: { number: '100' },
      legs: [{ id: 'old:in', party: { number: '+4930999' }, role: 'trunk', startedAt: T0 }],
      transfers: [],
      holds: [],
    };
    store.saveCall(open);
    store.flush();
    const r = rig({ reader: store });
    void r.runtime.start();
    r.ctx.connected();
    r.ctx.calls.settle(new Set());
    expect(r.ended).toEqual([
      expect.objectContaining({ id: 'p1-old', status: 'incomplete', open: false, endedAt: T0 }),
    ]);
    r.close();
    store.close();
    tmp.cleanup();
  });
});

describe('source registry', () => {
  it('knows each kind with its capabilities', () => {
    expect(knownKinds()).toContain('ami');
    expect(sourceKind('ami')?.capabilities).toEqual({
      live: true,
      control: ['dial', 'hangup', 'transfer', 'attendedTransfer'],
    });
    expect(sourceKind('fax')).toBeUndefined();
  });

  it('builds a source from a config entry with its kind’s defaults, and refuses an unknown kind', async () => {
    const hub = new Hub();
    const statuses: SourceStatus[] = [];
    hub.on('source', (s) => statuses.push(s));
    const deps = { hub, log: pino({ level: 'silent' }), store: { openCalls: () => [] } };
    expect(() => createSource({ name: 'x', kind: 'fax' }, deps)).toThrow('unknown source kind "fax"');
    // nothing listens on port 1: the first attempt fails, and the status says which kind it is
    const source = createSource(
      { name: 'office', kind: 'ami', host: '127.0.0.1', port: 1, username: 'u', secret: 's' },
      deps,
    );
    await source.start();
    await source.stop();
    expect(statuses[0]).toMatchObject({ pbx: 'office', kind: 'ami', live: true, connected: false });
  });
});
