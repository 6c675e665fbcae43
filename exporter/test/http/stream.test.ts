import { request, type IncomingMessage } from 'node:http';
import { startHarness, type Harness } from './harness';
import { extension, inbound, queue, sourceStatus, T0, trunk } from './fixtures';
import { openStream, type SseStream } from './sse-client';

const HEARTBEAT_MS = 300;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/v1/stream', () => {
  let h: Harness;
  const open: SseStream[] = [];
  const stream = async (query = '', headers: Record<string, string> = {}) => {
    const s = await openStream(`${h.url}/api/v1/stream${query}`, headers);
    open.push(s);
    return s;
  };

  beforeEach(async () => {
    h = await startHarness({ stream: { heartbeatMs: HEARTBEAT_MS, bufferSize: 5 } });
    h.hub.emit('extension', extension({ extension: '1001', state: 'idle' }));
    h.hub.emit('queue', queue());
    h.hub.emit('trunk', trunk());
    h.hub.emit('source', sourceStatus({ lastEventAt: T0 }));
    h.hub.emit('call', { ...inbound({ id: 'live-1', at: T0 }), open: true });
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await h.close();
  });

  it('sends the headers and the snapshot at once, unbuffered', async () => {
    const s = await stream();
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.headers['x-accel-buffering']).toBe('no');
    expect(s.headers['cache-control']).toMatch(/no-cache/);
    // nothing waits for a first event or a heartbeat
    expect(s.firstByteAfterMs).toBeLessThan(HEARTBEAT_MS);
    const snap = await s.next((m) => m.event === 'snapshot');
    expect(snap.id).toMatch(/^\d+$/);
    const body = JSON.parse(snap.data!);
    expect(Object.keys(body).sort()).toEqual(['calls', 'conferences', 'extensions', 'parking', 'queues', 'sources', 'trunks']);
    expect(body.extensions).toEqual([expect.objectContaining({ pbx: 'pbx1', extension: '1001', state: 'idle' })]);
    expect(body.queues[0]).toMatchObject({ queue: 'support', membersAvailable: 1, membersPaused: 1, membersInCall: 1 });
    expect(body.trunks[0]).toMatchObject({ trunk: 'carrier-a', rttSeconds: 0.023 });
    expect(body.calls).toEqual([expect.objectContaining({ id: 'live-1', open: true })]);
    expect(body.sources[0]).toMatchObject({ pbx: 'pbx1', connected: true, lastEventAt: new Date(T0).toISOString() });
  });

  it('pushes deltas with increasing numeric ids, and heartbeats while idle', async () => {
    const s = await stream();
    const snap = await s.next((m) => m.event === 'snapshot');
    h.hub.emit('extension', extension({ extension: '1001', state: 'ringing' }));
    h.hub.emit('call', { ...inbound({ id: 'live-2', at: T0 + 1000 }), open: true });
    h.hub.emit('callEnded', { ...inbound({ id: 'live-2', at: T0 + 1000 }), open: false });
    h.hub.emit('queue', queue({ callers: [{ party: { number: '+1555' }, joinedAt: Date.now() - 4000, position: 1 }] }));
    h.hub.emit('trunk', trunk({ registered: false }));
    h.hub.emit('source', {
      pbx: 'pbx1',
      kind: 'ami',
      live: true,
      connected: false,
      reason: 'connection refused',
      reconnects: 1,
      loginFailures: 0,
    });
    const src = await s.next((m) => m.event === 'source');
    const deltas = s.messages.filter((m) => m.event && m.event !== 'snapshot');
    expect(deltas.map((m) => m.event)).toEqual(['extension', 'call', 'callEnded', 'queue', 'trunk', 'source']);
    const idsSeen = deltas.map((m) => Number(m.id));
    expect(idsSeen[0]).toBe(Number(snap.id) + 1);
    expect(idsSeen).toEqual(idsSeen.map((_, i) => idsSeen[0] + i));
    expect(JSON.parse(deltas[0].data!)).toMatchObject({ extension: '1001', state: 'ringing' });
    expect(JSON.parse(deltas[2].data!)).toMatchObject({ id: 'live-2', open: false });
    expect(JSON.parse(deltas[3].data!)).toMatchObject({ callers: 1, longestWaitSeconds: expect.any(Number) });
    expect(JSON.parse(src.data!)).toMatchObject({ connected: false, reason: 'connection refused' });
    const beat = await s.next((m) => m.comment === 'heartbeat', HEARTBEAT_MS * 4);
    expect(beat.at).toBeGreaterThan(0);
    const second = await s.next((m) => m.comment === 'heartbeat', HEARTBEAT_MS * 4, s.messages.indexOf(beat) + 1);
    expect(second.at - beat.at).toBeGreaterThan(HEARTBEAT_MS * 0.5);
  });

  it('resumes from Last-Event-ID with just the missed deltas', async () => {
    const s = await stream();
    await s.next((m) => m.event === 'snapshot');
    h.hub.emit('extension', extension({ state: 'ringing' }));
    const seen = await s.next((m) => m.event === 'extension');
    s.close();
    // while away
    h.hub.emit('extension', extension({ state: 'in_call' }));
    h.hub.emit('trunk', trunk({ activeCalls: 3 }));
    const back = await stream('', { 'Last-Event-ID': seen.id! });
    const t = await back.next((m) => m.event === 'trunk');
    const events = back.messages.filter((m) => m.event);
    expect(events.map((m) => m.event)).toEqual(['extension', 'trunk']);
    expect(JSON.parse(events[0].data!)).toMatchObject({ state: 'in_call' });
    expect(Number(events[0].id)).toBe(Number(seen.id) + 1);
    expect(JSON.parse(t.data!)).toMatchObject({ activeCalls: 3 });
    // and it continues live
    h.hub.emit('extension', extension({ state: 'idle' }));
    await back.next((m) => m.event === 'extension' && JSON.parse(m.data!).state === 'idle');
  });

  it('resumes with nothing to replay when nothing was missed', async () => {
    const s = await stream();
    const snap = await s.next((m) => m.event === 'snapshot');
    s.close();
    const back = await stream('', { 'Last-Event-ID': snap.id! });
    h.hub.emit('trunk', trunk({ activeCalls: 9 }));
    await back.next((m) => m.event === 'trunk');
    expect(back.messages.filter((m) => m.event).map((m) => m.event)).toEqual(['trunk']);
  });

  it('sends a fresh snapshot when the id has left the buffer, or is unknown', async () => {
    const s = await stream();
    const snap = await s.next((m) => m.event === 'snapshot');
    s.close();
    // the buffer holds 5 deltas (7 with slack); 20 push the old id out
    for (let i = 0; i < 20; i++) h.hub.emit('extension', extension({ extension: String(2000 + i) }));
    for (const id of [snap.id!, '12', 'garbage', String(Number.MAX_SAFE_INTEGER)]) {
      const back = await stream('', { 'Last-Event-ID': id });
      const fresh = await back.next((m) => m.event === 'snapshot');
      expect(JSON.parse(fresh.data!).extensions).toHaveLength(21);
      expect(back.messages.filter((m) => m.event && m.event !== 'snapshot')).toEqual([]);
    }
  });

  it('bounds the resume buffer by bytes: the oldest deltas leave it, the newest stay resumable', async () => {
    await h.close();
    // an extension delta is counted at some 840 bytes: 8 KiB hold 9 (12 with the trimming slack)
    h = await startHarness({ stream: { heartbeatMs: 60_000, bufferSize: 1000, bufferBytes: 8 * 1024 } });
    const s = await stream('?topics=extension');
    await s.next((m) => m.event === 'snapshot');
    for (let i = 0; i < 40; i++) h.hub.emit('extension', extension({ extension: String(2000 + i) }));
    await s.next((m) => m.event === 'extension' && JSON.parse(m.data!).extension === '2039');
    const ids = s.messages.filter((m) => m.event === 'extension').map((m) => m.id!);
    const old = await stream('?topics=extension', { 'Last-Event-ID': ids[4] });
    expect(JSON.parse((await old.next((m) => m.event === 'snapshot')).data!).extensions).toHaveLength(40);
    const recent = await stream('?topics=extension', { 'Last-Event-ID': ids[34] });
    await recent.next((m) => m.id === ids[39]);
    expect(recent.messages.filter((m) => m.event).map((m) => m.id)).toEqual(ids.slice(35));
  });

  it('bounds the resume buffer by age: a delta older than bufferMaxAgeMs leaves it', async () => {
    await h.close();
    h = await startHarness({ stream: { heartbeatMs: 60_000, bufferMaxAgeMs: 200 } });
    const s = await stream('?topics=extension');
    await s.next((m) => m.event === 'snapshot');
    h.hub.emit('extension', extension({ extension: '3000' }));
    const first = await s.next((m) => m.event === 'extension');
    await new Promise((r) => setTimeout(r, 300));
    h.hub.emit('extension', extension({ extension: '3001' }));
    const second = await s.next((m) => m.event === 'extension' && JSON.parse(m.data!).extension === '3001');
    // from before the first delta: it has left the buffer, so a snapshot
    const gone = await stream('?topics=extension', { 'Last-Event-ID': String(Number(first.id) - 1) });
    await gone.next((m) => m.event === 'snapshot');
    // from the first delta: the second is still there
    const kept = await stream('?topics=extension', { 'Last-Event-ID': first.id! });
    await kept.next((m) => m.id === second.id);
    expect(kept.messages.filter((m) => m.event).map((m) => m.event)).toEqual(['extension']);
  });

  it('filters by topics', async () => {
    const s = await stream('?topics=trunk,call');
    await s.next((m) => m.event === 'snapshot');
    h.hub.emit('extension', extension({ state: 'ringing' }));
    h.hub.emit('queue', queue());
    h.hub.emit('call', { ...inbound({ id: 'x', at: T0 }), open: true });
    h.hub.emit('trunk', trunk());
    await s.next((m) => m.event === 'trunk');
    expect(s.messages.filter((m) => m.event && m.event !== 'snapshot').map((m) => m.event)).toEqual(['call', 'trunk']);
  });

  it('counts its clients in switchboard_sse_clients', async () => {
    const metric = async () => {
      const text = await (await fetch(`${h.url}/metrics`)).text();
      return Number(/^switchboard_sse_clients (\d+)$/m.exec(text)![1]);
    };
    expect(await metric()).toBe(0);
    const a = await stream();
    await stream();
    expect(await metric()).toBe(2);
    a.close();
    await a.ended;
    for (let i = 0; i < 50 && (await metric()) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await metric()).toBe(1);
  });

  it('drops a client that stops reading once it is maxPendingBytes behind; it resumes with Last-Event-ID and loses nothing', async () => {
    await h.close();
    h = await startHarness({ stream: { heartbeatMs: 60_000, bufferSize: 200_000, maxPendingBytes: 64 * 1024 } });
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${h.url}/metrics`)).text())![1]);
    const fast = await stream('?topics=extension');
    await fast.next((m) => m.event === 'snapshot');
    // the slow one: reads its snapshot, then stops reading (its socket's buffers fill, then ours would)
    let slowText = '';
    let slowEnded = false;
    const slowRes = await new Promise<IncomingMessage>((resolve) => {
      const req = request(`${h.url}/api/v1/stream?topics=extension`, { agent: false }, resolve);
      req.end();
    });
    slowRes.setEncoding('utf8');
    slowRes.on('data', (d: string) => (slowText += d));
    slowRes.on('close', () => (slowEnded = true));
    await until(() => slowText.includes('event: snapshot'));
    slowRes.pause();
    // events in ticks of 200 until the slow client is dropped; the bound is what the exporter holds for it
    let sent = 0;
    for (let tick = 0; tick < 2000 && !slowEnded; tick++) {
      for (let i = 0; i < 200; i++, sent++) h.hub.emit('extension', extension({ extension: String(1000 + (sent % 50)), state: sent % 100 < 50 ? 'idle' : 'ringing', name: 'x'.repeat(200) }));
      await new Promise((r) => setImmediate(r));
      if (tick % 20 === 19 && (await gauge('switchboard_sse_clients_dropped_total')) > 0) break;
    }
    expect(await gauge('switchboard_sse_clients_dropped_total')).toBe(1);
    expect(await gauge('switchboard_sse_clients')).toBe(1);
    // the slow one reads what reached it, then comes back like EventSource with the last id it saw
    slowRes.resume();
    await until(() => slowEnded);
    // only whole messages count: EventSource dispatches (and remembers the id of) a message at its blank line
    const ids = [...slowText.slice(0, slowText.lastIndexOf('\n\n')).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    const back = await stream('?topics=extension', { 'Last-Event-ID': String(ids.at(-1)) });
    // the fast reader, never dropped, has every message up to the newest
    const newest = ids[0] + sent;
    await fast.next((m) => Number(m.id) === newest);
    const fastIds = fast.messages.filter((m) => m.id !== undefined).map((m) => Number(m.id));
    expect(fastIds).toEqual(fastIds.map((_, i) => fastIds[0] + i));
    const lastFast = newest;
    await back.next((m) => Number(m.id) === lastFast);
    const resumed = back.messages.filter((m) => m.event === 'extension').map((m) => Number(m.id));
    const all = [...ids, ...resumed];
    expect(back.messages.some((m) => m.event === 'snapshot')).toBe(false);
    expect(all).toEqual(all.map((_, i) => all[0] + i));
    expect(all.at(-1)).toBe(lastFast);
  });

  it('ends every stream when the server closes, so shutdown is quick', async () => {
    const a = await stream();
    const b = await stream('?topics=call');
    const started = Date.now();
    await h.app.close();
    await Promise.all([a.ended, b.ended]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
