import type { Call, QueueMember } from '../../src/domain';
import { QUEUE_CALL_OUTCOMES } from '../../src/domain';
import type { Hub } from '../../src/hub';
import { makeCall, rng } from './synth';

export interface LiveLoad {
  extensions: number;
  queues: number;
}

/**
 * Fills LiveState (through the hub, as correlation would) with a large PBX pair: `extensions` extensions, `queues`
 * queues of 10 members with a few callers each, 50 trunks, 150 calls in progress; and feeds the counters and
 * histograms with 20,000 finished calls and a queue outcome per queue and outcome.
 */
export function loadLive(hub: Hub, load: LiveLoad): void {
  const r = rng(7);
  const now = Date.now();
  const pbxOf = (i: number) => (i % 5 === 0 ? 'branch' : 'main');
  const states = ['idle', 'idle', 'idle', 'in_call', 'ringing', 'on_hold', 'dnd', 'unavailable'] as const;
  for (const pbx of ['main', 'branch'])
    hub.emit('source', {
      pbx,
      kind: 'ami',
      live: true,
      connected: true,
      reconnects: 0,
      loginFailures: 0,
      version: '20.5.2',
      lastEventAt: now,
    });
  for (let i = 0; i < load.extensions; i++) {
    hub.emit('extension', {
      pbx: pbxOf(i),
      extension: String(10000 + i),
      name: `Agent ${i}`,
      registered: i % 11 !== 0,
      state: states[i % states.length],
      dnd: i % 8 === 6,
      queues: [{ queue: `queue-${i % load.queues}`, paused: i % 13 === 0 }],
      voicemail: { new: i % 3, old: i % 7 },
      updatedAt: now,
    });
  }
  for (let q = 0; q < load.queues; q++) {
    const members: QueueMember[] = Array.from({ length: 10 }, (_, m) => ({
      interface: `PJSIP/${10000 + ((q * 10 + m) % load.extensions)}`,
      extension: String(10000 + ((q * 10 + m) % load.extensions)),
      state: (['available', 'in_call', 'ringing', 'unavailable'] as const)[m % 4],
      paused: m === 9,
      inCall: m % 4 === 1,
    }));
    const callers = Array.from({ length: q % 6 }, (_, c) => ({
      party: { number: `+1555${q}${c}` },
      joinedAt: now - c * 15_000,
      position: c + 1,
    }));
    hub.emit('queue', { pbx: pbxOf(q), queue: `queue-${q}`, strategy: 'rrmemory', callers, members, updatedAt: now });
    for (const outcome of QUEUE_CALL_OUTCOMES)
      hub.emit('queueCall', { pbx: pbxOf(q), queue: `queue-${q}`, outcome, waitMs: r() * 60_000, at: now });
  }
  for (let t = 0; t < 50; t++) {
    hub.emit('trunk', {
      pbx: pbxOf(t),
      trunk: `carrier-${t}`,
      registered: t % 10 !== 0,
      status: 'OK',
      rttMs: 5 + t,
      activeCalls: t % 4,
      updatedAt: now,
    });
  }
  for (let i = 0; i < 20_000; i++) {
    const c: Call = makeCall(r, i, now - 3600_000 + i);
    hub.emit('callEnded', c);
    hub.emit('sourceEvent', {
      pbx: c.pbx,
      event: ['Newchannel', 'Hangup', 'DialBegin', 'DialEnd', 'BridgeEnter'][i % 5],
      at: now,
      ts: now - 3,
    });
  }
  for (let i = 0; i < 150; i++)
    hub.emit('call', { ...makeCall(r, 1_000_000 + i, now - i * 1000), id: `active-${i}`, open: true });
}
