import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../http/harness';
import { T0 } from '../http/fixtures';
import { familiesOf, familyLine, parseMetrics, populate, SOURCES } from './helpers';

/**
 * families.txt lists every family /metrics served (name, type, label names, help) before the metrics were split
 * into collectors. Dashboards, alerts and recording rules depend on each of them: a family that disappears, changes
 * type, gains or loses a label, must show up here as a deliberate edit of that file, never by accident.
 */
const EXPECTED = readFileSync(join(__dirname, 'families.txt'), 'utf8').trim().split('\n');

/** The only families allowed beyond the list: the collector frame's own series. */
const ADDED = new Set(['switchboard_collector_duration_seconds', 'switchboard_collector_success']);

const COLLECTOR_NAMES = ['sources', 'freshness', 'calls', 'extensions', 'missed', 'queues', 'trunks', 'conferences', 'parking', 'voicemail', 'schedule', 'store', 'sinks'];

/** One webhook sink as the sinks report it, so the sink families carry their labels. */
const SINKS = {
  state: () => [
    {
      sink: 'crm',
      pending: 2,
      oldestAt: T0,
      lastSuccessAt: T0 - 60_000,
      attempts: { delivered: 5, failed: 1, rejected: 0 },
      dropped: { full: 0, expired: 0, rejected: 0 },
      requestSeconds: 0.5,
    },
  ],
};

const NOW = T0 + 3600_000;

describe('/metrics families', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('are the listed ones, with the same type, labels and help, plus only the collector series', async () => {
    h = await startHarness({
      config: { sources: SOURCES, metrics: { perExtension: true, perMailbox: true, unreturnedMissed: true } },
      now: () => NOW,
      sinks: SINKS,
    });
    populate(h, NOW);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    const families = familiesOf(text);
    expect(families.filter((f) => !ADDED.has(f.name)).map(familyLine)).toEqual(EXPECTED);
    // and the additions are there: every collector timed, every one successful
    const samples = parseMetrics(text);
    for (const name of ADDED) {
      expect(samples.filter((s) => s.name === name).map((s) => s.labels.collector)).toEqual(COLLECTOR_NAMES);
    }
    expect(samples.filter((s) => s.name === 'switchboard_collector_success').every((s) => s.value === 1)).toBe(true);
  });
});
