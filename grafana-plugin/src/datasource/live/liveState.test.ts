import { call, extension, iso, queue, T0, trunk } from '../../test-utils/fixtures';
import { applyEvent, applySnapshot, emptyLiveState, extensionKey } from './liveState';

describe('live state reducer', () => {
  const snapshot = {
    extensions: [extension({ extension: '1001' }), extension({ extension: '1002', state: 'in_call' })],
    queues: [queue({ queue: 'sales' })],
    trunks: [trunk({ trunk: 'sip-out' })],
    calls: [call({ id: 'c1', open: true })],
    sources: [{ pbx: 'demo', kind: 'demo', connected: true }],
  };

  it('a stream snapshot fills every collection and marks them loaded', () => {
    const s = applySnapshot(emptyLiveState(), snapshot);
    expect(s.extensions.size).toBe(2);
    expect(s.queues.size).toBe(1);
    expect(s.trunks.size).toBe(1);
    expect(s.calls.size).toBe(1);
    expect(s.sources.get('demo')?.connected).toBe(true);
    expect(Array.from(s.loaded).sort()).toEqual(['calls', 'extensions', 'queues', 'trunks']);
  });

  it('a REST snapshot of one collection leaves the others alone', () => {
    const s1 = applySnapshot(emptyLiveState(), snapshot);
    const s2 = applySnapshot(s1, { extensions: [extension({ extension: '2000' })] });
    expect(Array.from(s2.extensions.values()).map((e) => e.extension)).toEqual(['2000']);
    expect(s2.queues).toBe(s1.queues);
    expect(s2.version).toBe(s1.version + 1);
  });

  it('an extension delta replaces one extension and bumps the version', () => {
    const s1 = applySnapshot(emptyLiveState(), snapshot);
    const next = extension({ extension: '1001', state: 'ringing', updatedAt: iso(T0 + 1000) });
    const s2 = applyEvent(s1, 'extension', next);
    expect(s2.extensions.get(extensionKey(next))?.state).toBe('ringing');
    expect(s2.extensions.size).toBe(2);
    expect(s2.version).toBe(s1.version + 1);
    // the old state object is untouched: frames already emitted stay as they were
    expect(s1.extensions.get(extensionKey(next))?.state).toBe('idle');
  });

  it('drops a delta older than what it holds (a slow REST answer racing the stream)', () => {
    const s1 = applySnapshot(emptyLiveState(), snapshot);
    const stale = extension({ extension: '1001', state: 'ringing', updatedAt: iso(T0 - 5000) });
    expect(applyEvent(s1, 'extension', stale)).toBe(s1);
  });

  it('call adds an active call, callEnded removes it', () => {
    const s1 = applySnapshot(emptyLiveState(), snapshot);
    const s2 = applyEvent(s1, 'call', call({ id: 'c2', open: true }));
    expect(Array.from(s2.calls.keys()).sort()).toEqual(['c1', 'c2']);
    const s3 = applyEvent(s2, 'callEnded', call({ id: 'c1', open: false }));
    expect(Array.from(s3.calls.keys())).toEqual(['c2']);
    // ending a call we never saw changes nothing
    expect(applyEvent(s3, 'callEnded', call({ id: 'zz' }))).toBe(s3);
  });

  it('queue, trunk and source deltas upsert by pbx and name', () => {
    let s = applySnapshot(emptyLiveState(), snapshot);
    s = applyEvent(s, 'queue', queue({ queue: 'sales', callers: 5, updatedAt: iso(T0 + 1) }));
    s = applyEvent(s, 'queue', queue({ queue: 'support' }));
    s = applyEvent(s, 'trunk', trunk({ trunk: 'sip-out', registered: false, updatedAt: iso(T0 + 1) }));
    s = applyEvent(s, 'source', { pbx: 'demo', connected: false, reason: 'socket closed' });
    expect(s.queues.size).toBe(2);
    expect(Array.from(s.queues.values()).find((q) => q.queue === 'sales')?.callers).toBe(5);
    expect(Array.from(s.trunks.values())[0].registered).toBe(false);
    expect(s.sources.get('demo')).toMatchObject({ connected: false, reason: 'socket closed', kind: 'demo' });
  });

  it('ignores unknown events and malformed payloads without a new state', () => {
    const s1 = applySnapshot(emptyLiveState(), snapshot);
    expect(applyEvent(s1, 'heartbeat', {})).toBe(s1);
    expect(applyEvent(s1, 'extension', null)).toBe(s1);
    expect(applyEvent(s1, 'extension', { state: 'idle' })).toBe(s1);
    expect(applyEvent(s1, 'call', { open: true })).toBe(s1);
  });

  it('remembers when it saw a source flip, not when it first met one already down', () => {
    const down = { pbx: 'branch', kind: 'ami', connected: false, reason: 'refused' };
    let s = applySnapshot(emptyLiveState(), { ...snapshot, sources: [...snapshot.sources, down] }, T0);
    expect(s.sourceChangedAt.size).toBe(0);
    s = applyEvent(s, 'source', { pbx: 'demo', connected: false }, T0 + 5000);
    // a repeated "still down" (each reconnect attempt) keeps the first moment
    s = applyEvent(s, 'source', { pbx: 'demo', connected: false, reason: 'refused' }, T0 + 9000);
    expect(s.sourceChangedAt.get('demo')).toBe(T0 + 5000);
    s = applySnapshot(
      s,
      {
        sources: [
          { ...down, connected: true },
          { pbx: 'demo', kind: 'demo', connected: true },
        ],
      },
      T0 + 20_000
    );
    expect(Object.fromEntries(s.sourceChangedAt)).toEqual({ demo: T0 + 20_000, branch: T0 + 20_000 });
  });
});
