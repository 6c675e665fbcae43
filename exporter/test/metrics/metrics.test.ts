import { spawnSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { startHarness, type Harness } from '../http/harness';
import { extension, inbound, outbound, queue, sourceStatus, T0, trunk } from '../http/fixtures';
import type { Call } from '../../src/domain';
import { parseMetrics, populate, SOURCES, value, type Sample } from './helpers';

const NOW = T0 + 3600_000;

let h: Harness;
async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(`${h.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parseMetrics(text) };
}

describe('metrics before any event', () => {
  beforeAll(async () => {
    h = await startHarness({ config: { sources: SOURCES }, now: () => NOW });
  });
  afterAll(() => h.close());

  it('has every known series of every configured PBX at 0', async () => {
    const { samples } = await scrape();
    for (const pbx of ['pbx1', 'pbx2']) {
      expect(value(samples, 'pbx_up', { pbx })).toBe(0);
      expect(value(samples, 'pbx_source_info', { pbx, kind: 'ami', version: '' })).toBe(1);
      expect(value(samples, 'pbx_source_reconnects_total', { pbx })).toBe(0);
      expect(value(samples, 'pbx_source_login_failures_total', { pbx })).toBe(0);
      expect(value(samples, 'pbx_source_last_event_timestamp_seconds', { pbx })).toBe(0);
      expect(value(samples, 'pbx_calls_missed_total', { pbx })).toBe(0);
      expect(value(samples, 'pbx_extensions_registered', { pbx })).toBe(0);
      expect(value(samples, 'switchboard_ingest_lag_seconds', { pbx })).toBe(0);
      for (const direction of ['inbound', 'outbound', 'internal']) {
        expect(value(samples, 'pbx_calls_active', { pbx, direction })).toBe(0);
        expect(value(samples, 'pbx_call_ring_duration_seconds_count', { pbx, direction })).toBe(0);
        expect(value(samples, 'pbx_call_talk_duration_seconds_bucket', { pbx, direction, le: '+Inf' })).toBe(0);
        for (const status of ['answered', 'missed', 'busy', 'failed', 'abandoned', 'voicemail', 'incomplete']) {
          expect(value(samples, 'pbx_calls_total', { pbx, direction, status })).toBe(0);
        }
        // finished calls only: a call in progress has no series of its own
        for (const status of ['ringing', 'active', 'on_hold', 'waiting']) {
          expect(value(samples, 'pbx_calls_total', { pbx, direction, status })).toBeUndefined();
        }
      }
      for (const state of ['idle', 'ringing', 'in_call', 'on_hold', 'busy', 'dnd', 'unavailable', 'unknown']) {
        expect(value(samples, 'pbx_extensions', { pbx, state })).toBe(0);
      }
      expect(value(samples, 'pbx_voicemail_messages', { pbx, folder: 'new' })).toBe(0);
      expect(value(samples, 'pbx_business_open', { pbx })).toBe(0);
    }
    expect(value(samples, 'switchboard_build_info', { node: process.version })).toBe(1);
    expect(value(samples, 'switchboard_sse_clients')).toBe(0);
    expect(value(samples, 'switchboard_db_write_errors_total')).toBe(0);
    expect(value(samples, 'switchboard_db_write_duration_seconds_count')).toBeDefined();
    expect(value(samples, 'switchboard_metrics_collect_duration_seconds')).toBeGreaterThanOrEqual(0);
    // opt-in series stay off by default
    expect(samples.some((s) => s.name === 'pbx_extension_state' || s.name === 'pbx_mailbox_messages')).toBe(false);
  });
});

describe('metrics from hub and store events', () => {
  beforeAll(async () => {
    h = await startHarness({
      config: {
        sources: SOURCES,
        businessHours: {
          timezone: 'UTC',
          mon: ['08:00-18:00'],
          tue: [],
          wed: [],
          thu: [],
          fri: [],
          sat: [],
          sun: [],
          holidays: [],
        },
      },
      now: () => NOW, // Monday 10:00 UTC
    });
  });
  afterAll(() => h.close());

  it('counts finished calls by direction and status, truly missed once per call, with ring and talk histograms', async () => {
    const calls: Call[] = [
      inbound({ ringMs: 4000, talkMs: 100_000 }),
      inbound({ status: 'missed', ringMs: 25_000 }),
      // a ring-all group where the second agent answered: not missed, even though the first did not pick up
      inbound({
        ringMs: 12_000,
        talkMs: 20_000,
        group: {
          type: 'ringgroup',
          id: '600',
          membersRung: [{ number: '1001' }, { number: '1002' }],
          answeredBy: { number: '1002' },
        },
      }),
      inbound({ status: 'abandoned', ringMs: 30_000 }),
      outbound({ status: 'busy', ringMs: 0, talkMs: 0 }),
      outbound({ status: 'failed', ringMs: 0, talkMs: 0 }),
      { ...inbound({ status: 'voicemail', ringMs: 20_000 }), pbx: 'pbx2' },
    ];
    for (const c of calls) h.hub.emit('callEnded', c);
    const { samples } = await scrape();
    expect(value(samples, 'pbx_calls_total', { pbx: 'pbx1', direction: 'inbound', status: 'answered' })).toBe(2);
    expect(value(samples, 'pbx_calls_total', { pbx: 'pbx1', direction: 'inbound', status: 'missed' })).toBe(1);
    expect(value(samples, 'pbx_calls_total', { pbx: 'pbx1', direction: 'outbound', status: 'busy' })).toBe(1);
    expect(value(samples, 'pbx_calls_missed_total', { pbx: 'pbx1' })).toBe(2);
    expect(value(samples, 'pbx_calls_missed_total', { pbx: 'pbx2' })).toBe(1);
    // rings: 4, 25, 12, 30 s inbound on pbx1
    expect(value(samples, 'pbx_call_ring_duration_seconds_count', { pbx: 'pbx1', direction: 'inbound' })).toBe(4);
    expect(
      value(samples, 'pbx_call_ring_duration_seconds_bucket', { pbx: 'pbx1', direction: 'inbound', le: '5' }),
    ).toBe(1);
    expect(
      value(samples, 'pbx_call_ring_duration_seconds_bucket', { pbx: 'pbx1', direction: 'inbound', le: '15' }),
    ).toBe(2);
    expect(value(samples, 'pbx_call_ring_duration_seconds_sum', { pbx: 'pbx1', direction: 'inbound' })).toBe(71);
    // a failed call never rang
    expect(value(samples, 'pbx_call_ring_duration_seconds_count', { pbx: 'pbx1', direction: 'outbound' })).toBe(1);
    expect(value(samples, 'pbx_call_talk_duration_seconds_count', { pbx: 'pbx1', direction: 'inbound' })).toBe(2);
    expect(value(samples, 'pbx_call_talk_duration_seconds_sum', { pbx: 'pbx1', direction: 'inbound' })).toBe(120);
  });

  it('counts queue outcomes with a wait histogram whose buckets give service level in PromQL', async () => {
    const waits = [5_000, 9_000, 14_000, 19_000, 25_000, 50_000];
    for (const waitMs of waits)
      h.hub.emit('queueCall', { pbx: 'pbx1', queue: 'support', outcome: 'answered', waitMs, at: NOW });
    h.hub.emit('queueCall', { pbx: 'pbx1', queue: 'support', outcome: 'abandoned', waitMs: 70_000, at: NOW });
    h.hub.emit('queue', queue({ queue: 'sales', members: [] }));
    const { samples } = await scrape();
    const b = (le: string, outcome = 'answered') =>
      value(samples, 'pbx_queue_wait_duration_seconds_bucket', { pbx: 'pbx1', queue: 'support', outcome, le });
    expect(['5', '10', '15', '20', '30', '45', '60', '120', '300'].map((le) => b(le))).toEqual([
      1, 2, 3, 4, 5, 5, 6, 6, 6,
    ]);
    expect(b('60', 'abandoned')).toBe(0);
    expect(b('120', 'abandoned')).toBe(1);
    expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'support', outcome: 'answered' })).toBe(6);
    expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'support', outcome: 'abandoned' })).toBe(1);
    // service level at 20 s: answered within 20 s / offered
    const offered =
      value(samples, 'pbx_queue_wait_duration_seconds_count', { pbx: 'pbx1', queue: 'support', outcome: 'answered' })! +
      1;
    expect(b('20')! / offered).toBeCloseTo(4 / 7);
    // ASA: sum / count of the answered
    expect(
      value(samples, 'pbx_queue_wait_duration_seconds_sum', { pbx: 'pbx1', queue: 'support', outcome: 'answered' }),
    ).toBe(122);
    // a queue seen only through its state has its counters at 0
    for (const outcome of ['answered', 'abandoned', 'timeout']) {
      expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'sales', outcome })).toBe(0);
      expect(value(samples, 'pbx_queue_wait_duration_seconds_count', { pbx: 'pbx1', queue: 'sales', outcome })).toBe(0);
    }
  });

  it('computes live gauges from LiveState at scrape time', async () => {
    h.hub.emit('extension', extension({ extension: '1001', state: 'idle', voicemail: { new: 2, old: 1 } }));
    h.hub.emit('extension', extension({ extension: '1002', state: 'in_call' }));
    h.hub.emit(
      'extension',
      extension({ extension: '1003', state: 'unavailable', registered: false, voicemail: { new: 1, old: 0 } }),
    );
    h.hub.emit(
      'queue',
      queue({
        callers: [
          { party: { number: '+15550001' }, joinedAt: NOW - 45_000, position: 1 },
          { party: { number: '+15550002' }, joinedAt: NOW - 5_000, position: 2 },
        ],
      }),
    );
    h.hub.emit('trunk', trunk({ rttMs: 23 }));
    h.hub.emit('trunk', trunk({ trunk: 'carrier-b', registered: false, rttMs: undefined, activeCalls: 0 }));
    h.hub.emit('call', { ...inbound({ id: 'a1' }), open: true });
    h.hub.emit('call', { ...outbound({ id: 'a2' }), open: true });
    h.hub.emit('call', { ...outbound({ id: 'a3' }), open: true });
    const { samples } = await scrape();
    expect(value(samples, 'pbx_extensions', { pbx: 'pbx1', state: 'idle' })).toBe(1);
    expect(value(samples, 'pbx_extensions', { pbx: 'pbx1', state: 'in_call' })).toBe(1);
    expect(value(samples, 'pbx_extensions', { pbx: 'pbx1', state: 'unavailable' })).toBe(1);
    expect(value(samples, 'pbx_extensions_registered', { pbx: 'pbx1' })).toBe(2);
    expect(value(samples, 'pbx_voicemail_messages', { pbx: 'pbx1', folder: 'new' })).toBe(3);
    expect(value(samples, 'pbx_voicemail_messages', { pbx: 'pbx1', folder: 'old' })).toBe(1);
    expect(value(samples, 'pbx_calls_active', { pbx: 'pbx1', direction: 'inbound' })).toBe(1);
    expect(value(samples, 'pbx_calls_active', { pbx: 'pbx1', direction: 'outbound' })).toBe(2);
    expect(value(samples, 'pbx_queue_callers', { pbx: 'pbx1', queue: 'support' })).toBe(2);
    expect(value(samples, 'pbx_queue_longest_wait_seconds', { pbx: 'pbx1', queue: 'support' })).toBe(45);
    expect(value(samples, 'pbx_queue_longest_wait_seconds', { pbx: 'pbx1', queue: 'sales' })).toBe(0);
    const members = (state: string) => value(samples, 'pbx_queue_members', { pbx: 'pbx1', queue: 'support', state });
    expect(['available', 'ringing', 'in_call', 'paused', 'unavailable'].map(members)).toEqual([1, 0, 1, 1, 1]);
    expect(value(samples, 'pbx_trunk_registered', { pbx: 'pbx1', trunk: 'carrier-a' })).toBe(1);
    expect(value(samples, 'pbx_trunk_registered', { pbx: 'pbx1', trunk: 'carrier-b' })).toBe(0);
    expect(value(samples, 'pbx_trunk_calls_active', { pbx: 'pbx1', trunk: 'carrier-a' })).toBe(2);
    expect(value(samples, 'pbx_trunk_rtt_seconds', { pbx: 'pbx1', trunk: 'carrier-a' })).toBe(0.023);
    expect(value(samples, 'pbx_trunk_rtt_seconds', { pbx: 'pbx1', trunk: 'carrier-b' })).toBeUndefined();
    // Monday 10:00 UTC is inside 08:00-18:00
    expect(value(samples, 'pbx_business_open', { pbx: 'pbx1' })).toBe(1);
    // state changes show at the next scrape; a queue that vanished from LiveState takes its gauges along
    h.hub.emit('extension', extension({ extension: '1002', state: 'idle' }));
    h.hub.emit('callEnded', { ...outbound({ id: 'a2' }), open: false });
    h.live.queues.clear();
    const next = (await scrape()).samples;
    expect(value(next, 'pbx_extensions', { pbx: 'pbx1', state: 'idle' })).toBe(2);
    expect(value(next, 'pbx_extensions', { pbx: 'pbx1', state: 'in_call' })).toBe(0);
    expect(value(next, 'pbx_calls_active', { pbx: 'pbx1', direction: 'outbound' })).toBe(1);
    expect(value(next, 'pbx_queue_callers', { pbx: 'pbx1', queue: 'support' })).toBeUndefined();
  });

  it('reports source state, reconnects, login failures, PBX start time, event kinds, rejects and ingest lag', async () => {
    h.hub.emit(
      'source',
      sourceStatus({ version: '20.5.2', reconnects: 3, loginFailures: 1, pbxStartedAt: T0, lastEventAt: NOW - 2000 }),
    );
    h.hub.emit('source', sourceStatus({ pbx: 'pbx2', connected: false, reason: 'connection refused', reconnects: 7 }));
    h.hub.emit('sourceEvent', { pbx: 'pbx1', event: 'Newchannel', at: NOW - 1000, ts: NOW - 1250 });
    h.hub.emit('sourceEvent', { pbx: 'pbx1', event: 'Newchannel', at: NOW - 900 });
    h.hub.emit('sourceEvent', { pbx: 'pbx1', event: 'Hangup', at: NOW - 800 });
    h.hub.emit('rejected', { pbx: 'pbx1', reason: 'malformed frame', detail: 'line 3' });
    h.hub.emit('rejected', { pbx: 'pbx1', reason: 'malformed frame' });
    const { samples } = await scrape();
    expect(value(samples, 'pbx_up', { pbx: 'pbx1' })).toBe(1);
    expect(value(samples, 'pbx_up', { pbx: 'pbx2' })).toBe(0);
    expect(value(samples, 'pbx_source_info', { pbx: 'pbx1', kind: 'ami', version: '20.5.2' })).toBe(1);
    expect(value(samples, 'pbx_source_reconnects_total', { pbx: 'pbx1' })).toBe(3);
    expect(value(samples, 'pbx_source_reconnects_total', { pbx: 'pbx2' })).toBe(7);
    expect(value(samples, 'pbx_source_login_failures_total', { pbx: 'pbx1' })).toBe(1);
    expect(value(samples, 'pbx_start_time_seconds', { pbx: 'pbx1' })).toBe(T0 / 1000);
    expect(value(samples, 'pbx_start_time_seconds', { pbx: 'pbx2' })).toBeUndefined();
    expect(value(samples, 'pbx_source_last_event_timestamp_seconds', { pbx: 'pbx1' })).toBe((NOW - 800) / 1000);
    expect(value(samples, 'switchboard_events_total', { pbx: 'pbx1', event: 'Newchannel' })).toBe(2);
    expect(value(samples, 'switchboard_events_total', { pbx: 'pbx1', event: 'Hangup' })).toBe(1);
    expect(value(samples, 'switchboard_events_rejected_total', { pbx: 'pbx1', reason: 'malformed frame' })).toBe(2);
    expect(value(samples, 'switchboard_ingest_lag_seconds', { pbx: 'pbx1' })).toBe(0.25);
  });

  it('bounds PBX-supplied label values', async () => {
    for (let i = 0; i < 250; i++) h.hub.emit('sourceEvent', { pbx: 'pbx2', event: `Custom${i}`, at: NOW });
    const { samples } = await scrape();
    const kinds = samples.filter((s) => s.name === 'switchboard_events_total' && s.labels.pbx === 'pbx2');
    expect(kinds).toHaveLength(201);
    expect(value(samples, 'switchboard_events_total', { pbx: 'pbx2', event: 'other' })).toBe(50);
  });

  it('measures database commits, write errors and the file size', async () => {
    const before = value((await scrape()).samples, 'switchboard_db_write_duration_seconds_count')!;
    h.store.saveCall(inbound());
    h.store.flush();
    // the database refuses writes (as a read-only or full disk would): the commit fails and is counted
    h.store.saveCall(inbound());
    h.store.db.pragma('query_only = ON');
    expect(() => h.store.flush()).toThrow();
    h.store.db.pragma('query_only = OFF');
    const files = [h.store.path, `${h.store.path}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
    const { samples } = await scrape();
    expect(value(samples, 'switchboard_db_write_duration_seconds_count')).toBe(before + 1);
    expect(value(samples, 'switchboard_db_write_errors_total')).toBe(1);
    expect(value(samples, 'switchboard_db_size_bytes')).toBe(files);
    expect(value(samples, 'switchboard_db_disk_free_bytes')).toBeGreaterThan(0);
    // the rows stayed queued and the next commit succeeds
    h.store.flush();
    expect(value((await scrape()).samples, 'switchboard_db_write_duration_seconds_count')).toBe(before + 2);
  });

  it('never puts a call id, phone number or channel into a label', async () => {
    const c = inbound({ id: 'call-id-4711', caller: '+4930555123456' });
    c.legs[1].channel = 'PJSIP/1001-0000abcd';
    h.hub.emit('call', { ...c, open: true });
    h.hub.emit('callEnded', c);
    h.hub.emit(
      'queue',
      queue({ callers: [{ callId: 'call-id-4711', party: { number: '+4930555123456' }, joinedAt: NOW, position: 1 }] }),
    );
    const { text } = await scrape();
    for (const secret of ['call-id-4711', '4930555123456', 'PJSIP/1001-0000abcd', '0000abcd'])
      expect(text).not.toContain(secret);
  });

  it('serves a scrape without touching the database', async () => {
    h.store.close();
    const { samples } = await scrape();
    expect(value(samples, 'pbx_up', { pbx: 'pbx1' })).toBe(1);
  });
});

describe('opt-in per-extension and per-mailbox series', () => {
  afterEach(() => h.close());

  it('exposes a capped state set per extension and per-mailbox voicemail when enabled', async () => {
    h = await startHarness({
      config: { metrics: { perExtension: true, perMailbox: true, maxExtensions: 2 } },
      now: () => NOW,
    });
    h.hub.emit('extension', extension({ extension: '1003', state: 'ringing' }));
    h.hub.emit('extension', extension({ extension: '1001', state: 'in_call', voicemail: { new: 4, old: 2 } }));
    h.hub.emit('extension', extension({ extension: '1002', state: 'dnd' }));
    const { samples } = await scrape();
    const states = samples.filter((s) => s.name === 'pbx_extension_state');
    expect(new Set(states.map((s) => s.labels.extension))).toEqual(new Set(['1001', '1002']));
    expect(states).toHaveLength(2 * 8);
    expect(
      states
        .filter((s) => s.value === 1)
        .map((s) => `${s.labels.extension}:${s.labels.state}`)
        .sort(),
    ).toEqual(['1001:in_call', '1002:dnd']);
    expect(value(samples, 'switchboard_metrics_extensions_omitted')).toBe(1);
    expect(value(samples, 'pbx_mailbox_messages', { pbx: 'pbx1', mailbox: '1001', folder: 'new' })).toBe(4);
    expect(value(samples, 'pbx_mailbox_messages', { pbx: 'pbx1', mailbox: '1001', folder: 'old' })).toBe(2);
  });
});

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('promtool', () => {
  afterEach(() => h.close());

  it('finds promtool on PATH (Debian package prometheus)', () => {
    expect(promtool).toBe(true);
  });

  it('passes `promtool check metrics` on a live, fully populated /metrics', async () => {
    h = await startHarness({
      config: { sources: SOURCES, metrics: { perExtension: true, perMailbox: true } },
      now: () => NOW,
    });
    populate(h, NOW);
    const { text } = await scrape();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: r.status, out: `${r.stdout}${r.stderr}` }).toEqual({ status: 0, out: '' });
    // and a broken exposition does fail, so the check above means something
    const bad = spawnSync('promtool', ['check', 'metrics'], { input: '# TYPE x counter\nx 1\n', encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });
});

describe('queue series per PBX', () => {
  beforeAll(async () => {
    h = await startHarness({ config: { sources: SOURCES }, now: () => NOW });
  });
  afterAll(() => h.close());

  it('are capped at 2,000 queues: calls in any further queue count under queue="other"', async () => {
    for (let i = 0; i < 2005; i++) h.hub.emit('queueCall', { pbx: 'pbx1', queue: `q${i}`, outcome: 'answered', waitMs: 1000, at: NOW });
    // a queue with series already keeps its own
    h.hub.emit('queueCall', { pbx: 'pbx1', queue: 'q7', outcome: 'answered', waitMs: 1000, at: NOW });
    const { samples } = await scrape();
    const queues = new Set(samples.filter((s) => s.name === 'pbx_queue_calls_total' && s.labels.pbx === 'pbx1').map((s) => s.labels.queue));
    expect(queues.size).toBe(2001);
    expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'other', outcome: 'answered' })).toBe(5);
    expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'q7', outcome: 'answered' })).toBe(2);
    expect(value(samples, 'pbx_queue_calls_total', { pbx: 'pbx1', queue: 'q2004', outcome: 'answered' })).toBeUndefined();
  });
});
