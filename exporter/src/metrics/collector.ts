import type { Registry } from 'prom-client';
import type { Config } from '../config/schema';
import type { LiveState } from '../live';
import type { SinkState } from '../sinks/sinks';
import type { Store } from '../store/store';
import { gauge, type ScrapeFamily } from './text-metrics';
import type { UnreturnedMissed } from './unreturned-missed';

/** What every collector of one scrape shares. */
export interface Scrape {
  /** the scrape's clock, epoch ms */
  now: number;
  /** PBXs known before they say anything: configured, demo, or with a source status */
  pbxs: readonly string[];
  /** `pbxs`, then any PBX only live state's calls, extensions or queues name: per-PBX tallies start at 0 for these */
  allPbxs: readonly string[];
}

/**
 * One area of the metrics (node_exporter's model): a named set of families, filled afresh from live state on every
 * scrape. To add one: a file in collectors/ exporting a CollectorFactory, and an entry in collectors/index.ts.
 */
export interface Collector {
  /** the `collector` label of its duration and success series */
  readonly name: string;
  /** its families in exposition order, fixed at start: a failing collector leaves them empty, never missing */
  readonly families: readonly ScrapeFamily[];
  /** Adds this scrape's samples to its families. A throw marks the collector failed for this scrape. */
  collect(scrape: Scrape): void;
}

/** What a collector may read. Everything but the store's figures is in memory: a scrape never queries SQLite. */
export interface CollectorDeps {
  config: Config;
  live: LiveState;
  store: Pick<Store, 'inMemory' | 'sizeBytes' | 'diskFreeBytes' | 'pending' | 'droppedRows'>;
  /** newest event arrival per PBX, as the event counters saw it */
  lastEventAt: ReadonlyMap<string, number>;
  /** tells the event counters a queue exists, so its outcome counters start at 0 */
  queueSeen(pbx: string, queue: string): void;
  /** the webhook sinks, when any are configured */
  sinks?: { state(): SinkState[] };
  /** the unreturned missed calls per extension, when metrics.unreturnedMissed is on */
  unreturned?: Pick<UnreturnedMissed, 'perExtension'>;
}

/** Builds a collector once, at start; its `collect` then runs on every scrape. */
export type CollectorFactory = (deps: CollectorDeps) => Collector;

/**
 * Runs every collector once per scrape and times each. prom-client reads the registered metrics one after another,
 * synchronously, at the start of a scrape: the first family read runs the collectors, and a microtask ends the
 * scrape once that synchronous part is over. One collector's failure empties only its own families and shows as
 * `switchboard_collector_success{collector} 0`.
 */
export class CollectorFrame {
  private collected = false;
  private readonly total = gauge(
    'switchboard_metrics_collect_duration_seconds',
    'Time this scrape spent computing the live-state gauges',
  );
  private readonly duration = gauge(
    'switchboard_collector_duration_seconds',
    'Time each collector took in this scrape',
    ['collector'],
  );
  private readonly success = gauge(
    'switchboard_collector_success',
    'Whether each collector succeeded in this scrape (1) or failed (0)',
    ['collector'],
  );

  constructor(
    registry: Registry,
    private readonly collectors: readonly Collector[],
    private readonly scrape: () => Scrape,
    private readonly onError: (collector: string, err: unknown) => void = () => undefined,
  ) {
    const names = new Set<string>();
    for (const c of collectors) {
      if (names.has(c.name)) throw new Error(`two collectors are named "${c.name}"`);
      names.add(c.name);
    }
    const run = () => this.collectOnce();
    for (const c of collectors) for (const f of c.families) f.register(registry, run);
    for (const f of [this.total, this.duration, this.success]) f.register(registry, run);
  }

  private collectOnce(): void {
    if (this.collected) return;
    this.collected = true;
    queueMicrotask(() => (this.collected = false));
    const started = process.hrtime.bigint();
    for (const f of [this.total, this.duration, this.success]) f.clear();
    const scrape = this.scrape();
    for (const c of this.collectors) {
      const at = process.hrtime.bigint();
      for (const f of c.families) f.clear();
      let ok = 1;
      try {
        c.collect(scrape);
      } catch (err) {
        ok = 0;
        for (const f of c.families) f.clear();
        this.onError(c.name, err);
      }
      this.duration.add([c.name], seconds(at));
      this.success.add([c.name], ok);
    }
    this.total.add([], seconds(started));
  }
}

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
