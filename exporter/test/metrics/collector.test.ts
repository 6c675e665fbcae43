import { CollectorFrame, type Collector, type Scrape } from '../../src/metrics/collector';
import { FastRegistry } from '../../src/metrics/registry';
import { gauge } from '../../src/metrics/text-metrics';
import { parseMetrics, value } from './helpers';

const SCRAPE: Scrape = { now: 0, pbxs: ['p1'], allPbxs: ['p1'] };

/** A collector whose collect() the test controls, counting its runs. */
function fake(name: string, fill: (c: { runs: number }) => number): Collector & { runs: number } {
  const family = gauge(`x_${name}`, `${name} figure`, ['pbx']);
  const c = {
    name,
    families: [family],
    runs: 0,
    collect(s: Scrape) {
      c.runs += 1;
      family.add([s.pbxs[0]], fill(c));
    },
  };
  return c;
}

describe('collector frame', () => {
  it('runs each collector once per scrape and reports its duration and success', async () => {
    const registry = new FastRegistry();
    const a = fake('a', (c) => c.runs * 10);
    const b = fake('b', () => 1);
    new CollectorFrame(registry, [a, b], () => SCRAPE);
    const first = parseMetrics(await registry.metrics());
    expect([a.runs, b.runs]).toEqual([1, 1]);
    expect(value(first, 'x_a', { pbx: 'p1' })).toBe(10);
    const second = parseMetrics(await registry.metrics());
    expect([a.runs, b.runs]).toEqual([2, 2]);
    // the samples are the new scrape's, not appended to the last one's
    expect(second.filter((s) => s.name === 'x_a')).toEqual([{ name: 'x_a', labels: { pbx: 'p1' }, value: 20 }]);
    for (const collector of ['a', 'b']) {
      expect(value(second, 'switchboard_collector_success', { collector })).toBe(1);
      expect(value(second, 'switchboard_collector_duration_seconds', { collector })).toBeGreaterThanOrEqual(0);
    }
    expect(value(second, 'switchboard_metrics_collect_duration_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('empties only the families of a collector that throws, marks it failed and says why', async () => {
    const registry = new FastRegistry();
    const failures: [string, unknown][] = [];
    const broken = fake('broken', (c) => {
      if (c.runs > 1) throw new Error('live state is odd');
      return 5;
    });
    const fine = fake('fine', () => 3);
    new CollectorFrame(
      registry,
      [broken, fine],
      () => SCRAPE,
      (name, err) => failures.push([name, err]),
    );
    expect(value(parseMetrics(await registry.metrics()), 'x_broken', { pbx: 'p1' })).toBe(5);
    const text = await registry.metrics();
    const samples = parseMetrics(text);
    // the family stays declared, without the sample added before the throw
    expect(text).toContain('# TYPE x_broken gauge');
    expect(samples.some((s) => s.name === 'x_broken')).toBe(false);
    expect(value(samples, 'x_fine', { pbx: 'p1' })).toBe(3);
    expect(value(samples, 'switchboard_collector_success', { collector: 'broken' })).toBe(0);
    expect(value(samples, 'switchboard_collector_success', { collector: 'fine' })).toBe(1);
    expect(failures).toEqual([['broken', new Error('live state is odd')]]);
  });

  it('refuses two collectors of one name, whose series would collide', () => {
    expect(
      () => new CollectorFrame(new FastRegistry(), [fake('a', () => 1), fake('a', () => 2)], () => SCRAPE),
    ).toThrow('two collectors are named "a"');
  });
});
