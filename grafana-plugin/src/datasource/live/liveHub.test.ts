import { firstValueFrom, skip, type Subscription } from 'rxjs';
import { extension } from '../../test-utils/fixtures';
import { FakeEventSource } from '../../test-utils/fakeEventSource';
import { LiveHub, type HubView } from './liveHub';
import type { Collection } from './liveState';

function makeHub(fetchCollection: (c: Collection) => Promise<unknown[]>, random = () => 0) {
  return new LiveHub({
    streamUrl: '/proxy/api/api/v1/stream',
    fetchCollection,
    createEventSource: FakeEventSource.create,
    throttleMs: 0,
    pollIntervalMs: 5000,
    initialBackoffMs: 1000,
    maxBackoffMs: 8000,
    fallbackAfterErrors: 2,
    snapshotTimeoutMs: 10000,
    random,
  });
}

const flush = () => new Promise<void>((r) => jest.requireActual('timers').setImmediate(r));

describe('LiveHub', () => {
  beforeEach(() => FakeEventSource.reset());
  afterEach(() => jest.useRealTimers());

  it('opens one EventSource for all watchers and closes it with the last', async () => {
    const fetch = jest.fn(async () => []);
    const hub = makeHub(fetch);
    const views: HubView[] = [];
    const a = hub.watch('extensions').subscribe((v) => views.push(v));
    const b = hub.watch('calls').subscribe();
    const c = hub.watch('extensions').subscribe();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.instances[0].url).toBe('/proxy/api/api/v1/stream');
    a.unsubscribe();
    b.unsubscribe();
    expect(FakeEventSource.instances[0].closed).toBe(false);
    c.unsubscribe();
    expect(FakeEventSource.instances[0].closed).toBe(true);
    expect(hub.watcherCount).toBe(0);
    expect(hub.connection).toBe('idle');
  });

  it('shows the REST snapshot first, then the stream snapshot, then deltas', async () => {
    const hub = makeHub(async () => [extension({ extension: '1001', name: 'from REST' })]);
    const views: HubView[] = [];
    const sub = hub.watch('extensions').subscribe((v) => views.push(v));
    await flush();
    const rest = views[views.length - 1];
    expect(rest.state.loaded.has('extensions')).toBe(true);
    expect(Array.from(rest.state.extensions.values())[0].name).toBe('from REST');

    const es = FakeEventSource.instances[0];
    es.open();
    es.emit('snapshot', {
      extensions: [extension({ extension: '1001', name: 'from stream' })],
      queues: [],
      trunks: [],
      calls: [],
      sources: [],
    });
    expect(hub.connection).toBe('streaming');
    expect(Array.from(views[views.length - 1].state.extensions.values())[0].name).toBe('from stream');

    es.emit(
      'extension',
      extension({ extension: '1001', name: 'from stream', state: 'ringing', updatedAt: '2026-11-23T19:31:00Z' })
    );
    expect(Array.from(views[views.length - 1].state.extensions.values())[0].state).toBe('ringing');
    sub.unsubscribe();
  });

  it('a REST answer arriving after the stream snapshot does not roll the state back', async () => {
    let resolve!: (v: unknown[]) => void;
    const hub = makeHub(() => new Promise((r) => (resolve = r)));
    const views: HubView[] = [];
    const sub = hub.watch('extensions').subscribe((v) => views.push(v));
    const es = FakeEventSource.instances[0];
    es.emit('snapshot', { extensions: [extension({ extension: '1001', name: 'stream' })] });
    resolve([extension({ extension: '1001', name: 'late REST' })]);
    await flush();
    expect(Array.from(views[views.length - 1].state.extensions.values())[0].name).toBe('stream');
    sub.unsubscribe();
  });

  it('reconnects with exponential backoff and polls after repeated failures', async () => {
    jest.useFakeTimers();
    const fetch = jest.fn(async () => [extension({ extension: '1001' })]);
    const hub = makeHub(fetch);
    const sub: Subscription = hub.watch('extensions').subscribe();
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);

    FakeEventSource.instances[0].fail();
    expect(FakeEventSource.instances[0].closed).toBe(true);
    expect(hub.connection).toBe('connecting');
    jest.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);

    // second failure: polling starts at once, the next attempt waits 2 s
    FakeEventSource.instances[1].fail();
    expect(hub.connection).toBe('polling');
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    jest.advanceTimersByTime(3000);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(3);

    // the stream comes back: polling stops
    FakeEventSource.instances[2].open();
    FakeEventSource.instances[2].emit('snapshot', { extensions: [extension({ extension: '1001' })] });
    expect(hub.connection).toBe('streaming');
    jest.advanceTimersByTime(20000);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(3);

    sub.unsubscribe();
    expect(FakeEventSource.instances[2].closed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('caps the backoff', () => {
    jest.useFakeTimers();
    const hub = makeHub(async () => []);
    const sub = hub.watch('trunks').subscribe();
    for (let i = 0; i < 6; i++) {
      FakeEventSource.instances[FakeEventSource.instances.length - 1].fail();
      jest.advanceTimersByTime(8000);
    }
    expect(FakeEventSource.instances).toHaveLength(7);
    FakeEventSource.instances[6].fail();
    jest.advanceTimersByTime(7999);
    expect(FakeEventSource.instances).toHaveLength(7);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(8);
    sub.unsubscribe();
  });

  it('polls when an open stream sends no snapshot (a buffering proxy)', async () => {
    jest.useFakeTimers();
    const fetch = jest.fn(async () => []);
    const hub = makeHub(fetch);
    const sub = hub.watch('queues').subscribe();
    FakeEventSource.instances[0].open();
    jest.advanceTimersByTime(10000);
    expect(hub.connection).toBe('polling');
    sub.unsubscribe();
  });

  it('reports a failing snapshot as an error view', async () => {
    const hub = makeHub(async () => {
      throw new Error('Exporter /api/v1/extensions answered 401: Unauthorized');
    });
    const view = firstValueFrom(hub.watch('extensions').pipe(skip(1)));
    expect((await view).error).toMatch(/401/);
  });

  it('drops a malformed message and keeps the stream', async () => {
    const hub = makeHub(async () => []);
    const views: HubView[] = [];
    const sub = hub.watch('extensions').subscribe((v) => views.push(v));
    const es = FakeEventSource.instances[0];
    es.emit('snapshot', { extensions: [extension({ extension: '1001' })] });
    const before = views.length;
    es.emit('extension', '{not json');
    expect(views).toHaveLength(before);
    expect(es.closed).toBe(false);
    sub.unsubscribe();
  });
});
