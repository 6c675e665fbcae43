import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FastRegistry } from '../../src/metrics/registry';
import { counter, gauge, SeriesHistogram } from '../../src/metrics/text-metrics';

/** The hand-rendered metrics must print exactly what prom-client prints for the same data. */
describe('text metrics match prom-client', () => {
  it('SeriesHistogram renders like prom-client Histogram, escaping included', async () => {
    const ours = new FastRegistry();
    const theirs = new Registry();
    const buckets = [5, 10, 15, 20, 30, 45, 60, 120, 300];
    const a = new SeriesHistogram(ours, 'x_wait_seconds', 'Wait "time"\nsecond line', ['pbx', 'queue'], buckets);
    const b = new Histogram({
      name: 'x_wait_seconds',
      help: 'Wait "time"\nsecond line',
      labelNames: ['pbx', 'queue'],
      buckets,
      registers: [theirs],
    });
    const labels = [
      { pbx: 'p1', queue: 'support' },
      { pbx: 'p1', queue: 'odd "name" \\ with\nnewline' },
      { pbx: 'p2', queue: 'empty' },
    ];
    a.zero(labels[2]);
    b.zero(labels[2]);
    for (const [i, v] of [
      [0, 3],
      [0, 10],
      [0, 10.5],
      [1, 299],
      [1, 301],
      [0, 0.25],
      [1, 1e9],
    ] as const) {
      a.observe(labels[i], v);
      b.observe(labels[i], v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // a cached series is re-rendered after a change
    a.observe(labels[0], 7);
    b.observe(labels[0], 7);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // JSON too (prom-client adds empty exemplar fields, which carry nothing)
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'exemplar' ? undefined : v)));
    expect(plain(await ours.getMetricsAsJSON())).toEqual(plain(await theirs.getMetricsAsJSON()));
  });

  it('ScrapeFamily renders like a prom-client Gauge or Counter filled in collect()', async () => {
    const ours = new FastRegistry();
    const theirs = new Registry();
    const rows: [string, string, number][] = [
      ['p1', 'idle', 3],
      ['p1', 'in "call"', 0.5],
      ['p2', 'idle', 0],
    ];
    const states = gauge('x_extensions', 'Extensions by state', ['pbx', 'state']);
    const plain = gauge('x_plain_bytes', 'No labels');
    const logins = counter('x_logins_total', 'Logins\nby PBX', ['pbx']);
    // as the collector frame does: the samples are refilled before each read
    const refill = () => {
      for (const f of [states, plain, logins]) f.clear();
      rows.forEach(([p, s, v]) => states.add([p, s], v));
      plain.add([], 42);
      logins.add(['p1'], 7);
    };
    for (const f of [states, plain, logins]) f.register(ours, refill);
    new Gauge({
      name: 'x_extensions',
      help: 'Extensions by state',
      labelNames: ['pbx', 'state'],
      registers: [theirs],
      collect() {
        this.reset();
        rows.forEach(([pbx, state, v]) => this.set({ pbx, state }, v));
      },
    });
    new Gauge({
      name: 'x_plain_bytes',
      help: 'No labels',
      registers: [theirs],
      collect() {
        this.set(42);
      },
    });
    new Counter({
      name: 'x_logins_total',
      help: 'Logins\nby PBX',
      labelNames: ['pbx'],
      registers: [theirs],
      collect() {
        this.reset();
        this.inc({ pbx: 'p1' }, 7);
      },
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    rows.pop();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });
});
