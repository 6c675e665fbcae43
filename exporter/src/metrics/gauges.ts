import { statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config/schema';
import { EXTENSION_STATES, type ExtensionState, type TrunkState } from '../domain';
import type { LiveState } from '../live';
import type { Store } from '../store/store';
import type { BusinessHours } from './business-hours';
import { knownPbxs } from './labels';
import { QUEUE_MEMBER_METRIC_STATES, takeSnapshot, type StateSnapshot } from './snapshot';
import { ScrapeGauge } from './text-metrics';

type Emit = (labelValues: readonly string[], value: number) => void;

export interface StateGaugeDeps {
  live: LiveState;
  store: Store;
  config: Config;
  now: () => number;
  businessHours: BusinessHours;
  lastEventAt: ReadonlyMap<string, number>;
  onQueue: (pbx: string, queue: string) => void;
}

interface Scrape {
  pbxs: string[];
  snap: StateSnapshot;
  now: number;
  seconds: number;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Gauges computed at scrape time. prom-client calls each metric's collect() synchronously, one after another, at
 * the start of a scrape; the first one builds a snapshot of LiveState that the rest share, and a microtask drops
 * it once the scrape's synchronous part is over.
 */
export function registerStateGauges(registry: Registry, deps: StateGaugeDeps): void {
  const { live, store, config } = deps;
  const registers = [registry];
  let current: Scrape | undefined;
  const scrape = (): Scrape => {
    if (current) return current;
    const started = process.hrtime.bigint();
    const now = deps.now();
    const pbxs = knownPbxs(deps.config, live);
    const snap = takeSnapshot(live, pbxs, now);
    for (const q of snap.queues) deps.onQueue(q.pbx, q.queue);
    current = { pbxs, snap, now, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    queueMicrotask(() => (current = undefined));
    return current;
  };

  const gauge = (
    name: string,
    help: string,
    labelNames: readonly string[],
    fill: (emit: Emit, s: Scrape) => void,
  ): void => {
    new ScrapeGauge(registry, name, help, labelNames, (emit) => fill(emit, scrape()));
  };

  // cumulative numbers a source keeps itself; exposed as counters, rebuilt from SourceStatus on every scrape
  const sourceCounter = (name: string, help: string, pick: (pbx: string) => number): void => {
    new Counter<'pbx'>({
      name,
      help,
      labelNames: ['pbx'],
      registers,
      collect() {
        const s = scrape();
        this.reset();
        for (const pbx of s.pbxs) this.inc({ pbx }, Math.max(0, pick(pbx)));
      },
    });
  };

  const configuredKind = new Map(config.sources.map((s) => [s.name, s.kind as string]));

  // ---- sources ----
  gauge('pbx_up', 'Whether the PBX connection is up (1) or down (0)', ['pbx'], (g, s) => {
    for (const pbx of s.pbxs) g([pbx], live.sources.get(pbx)?.connected ? 1 : 0);
  });
  gauge('pbx_source_info', 'PBX source kind and PBX version, always 1', ['pbx', 'kind', 'version'], (g, s) => {
    for (const pbx of s.pbxs) {
      const st = live.sources.get(pbx);
      g([pbx, st?.kind ?? configuredKind.get(pbx) ?? 'ami', st?.version ?? ''], 1);
    }
  });
  sourceCounter(
    'pbx_source_reconnects_total',
    'Reconnections to the PBX since the exporter started',
    (pbx) => live.sources.get(pbx)?.reconnects ?? 0,
  );
  sourceCounter(
    'pbx_source_login_failures_total',
    'Rejected PBX logins since the exporter started',
    (pbx) => live.sources.get(pbx)?.loginFailures ?? 0,
  );
  gauge(
    'pbx_source_last_event_timestamp_seconds',
    'When the last PBX event arrived (Unix time); 0 before the first',
    ['pbx'],
    (g, s) => {
      for (const pbx of s.pbxs) {
        const at = Math.max(deps.lastEventAt.get(pbx) ?? 0, live.sources.get(pbx)?.lastEventAt ?? 0);
        g([pbx], at / 1000);
      }
    },
  );
  gauge(
    'pbx_start_time_seconds',
    'When the PBX process started (Unix time); changes on a PBX restart',
    ['pbx'],
    (g, s) => {
      for (const pbx of s.pbxs) {
        const at = live.sources.get(pbx)?.pbxStartedAt;
        if (at !== undefined) g([pbx], at / 1000);
      }
    },
  );

  // ---- calls ----
  gauge('pbx_calls_active', 'Calls in progress', ['pbx', 'direction'], (g, s) => {
    for (const [pbx, byDir] of s.snap.activeCalls)
      for (const [direction, n] of Object.entries(byDir)) g([pbx, direction], n);
  });

  // ---- extensions ----
  gauge('pbx_extensions', 'Extensions by state', ['pbx', 'state'], (g, s) => {
    for (const [pbx, byState] of s.snap.extensions)
      for (const [state, n] of Object.entries(byState)) g([pbx, state], n);
  });
  gauge('pbx_extensions_registered', 'Extensions with a registered device', ['pbx'], (g, s) => {
    for (const [pbx, n] of s.snap.registered) g([pbx], n);
  });

  const cap = config.metrics.maxExtensions;
  // the capped selection is the first extensions by pbx/extension; re-sorted only when the set changes in size
  let chosen: string[] = [];
  let chosenFrom = -1;
  const capped = (): ExtensionState[] => {
    if (chosenFrom !== live.extensions.size) {
      chosen = [...live.extensions.keys()].sort().slice(0, cap);
      chosenFrom = live.extensions.size;
    }
    return chosen.map((k) => live.extensions.get(k)).filter((e): e is ExtensionState => e !== undefined);
  };
  if (config.metrics.perExtension) {
    gauge(
      'pbx_extension_state',
      'Per-extension state set: 1 for the current state, 0 for the others (opt-in, capped by metrics.maxExtensions)',
      ['pbx', 'extension', 'state'],
      (g) => {
        for (const e of capped()) {
          for (const state of EXTENSION_STATES) g([e.pbx, e.extension, state], e.state === state ? 1 : 0);
        }
      },
    );
    gauge(
      'switchboard_metrics_extensions_omitted',
      'Extensions left out of per-extension series because of metrics.maxExtensions',
      [],
      (g) => g([], Math.max(0, live.extensions.size - cap)),
    );
  }

  // ---- queues ----
  gauge('pbx_queue_callers', 'Callers waiting in the queue', ['pbx', 'queue'], (g, s) => {
    for (const q of s.snap.queues) g([q.pbx, q.queue], q.callers);
  });
  gauge(
    'pbx_queue_longest_wait_seconds',
    'How long the longest-waiting caller has waited; 0 with no callers',
    ['pbx', 'queue'],
    (g, s) => {
      for (const q of s.snap.queues) g([q.pbx, q.queue], q.longestWaitSeconds);
    },
  );
  gauge('pbx_queue_members', 'Queue members by state; each member counted once', ['pbx', 'queue', 'state'], (g, s) => {
    for (const q of s.snap.queues) {
      for (const state of QUEUE_MEMBER_METRIC_STATES) g([q.pbx, q.queue, state], q.members[state]);
    }
  });

  // ---- trunks ----
  const trunkGauge = (name: string, help: string, value: (t: TrunkState) => number | undefined) =>
    gauge(name, help, ['pbx', 'trunk'], (g) => {
      for (const t of live.trunks.values()) {
        const v = value(t);
        if (v !== undefined) g([t.pbx, t.trunk], v);
      }
    });
  trunkGauge('pbx_trunk_registered', 'Whether the trunk is registered / reachable', (t) => (t.registered ? 1 : 0));
  trunkGauge('pbx_trunk_calls_active', 'Calls in progress on the trunk', (t) => t.activeCalls);
  trunkGauge('pbx_trunk_rtt_seconds', 'Round-trip time of the trunk contact (SIP OPTIONS qualify)', (t) =>
    t.rttMs === undefined ? undefined : t.rttMs / 1000,
  );

  // ---- voicemail ----
  gauge('pbx_voicemail_messages', 'Voicemail messages over all mailboxes, by folder', ['pbx', 'folder'], (g, s) => {
    for (const [pbx, vm] of s.snap.voicemail) {
      g([pbx, 'new'], vm.new);
      g([pbx, 'old'], vm.old);
    }
  });
  if (config.metrics.perMailbox) {
    gauge(
      'pbx_mailbox_messages',
      'Voicemail messages per mailbox (opt-in, capped by metrics.maxExtensions)',
      ['pbx', 'mailbox', 'folder'],
      (g) => {
        for (const e of capped()) {
          if (!e.voicemail) continue;
          g([e.pbx, e.extension, 'new'], e.voicemail.new);
          g([e.pbx, e.extension, 'old'], e.voicemail.old);
        }
      },
    );
  }

  // ---- schedule ----
  // not `pbx_business_hours_open`: promtool's lint reads `hours` as a non-base unit
  gauge(
    'pbx_business_open',
    'Whether the configured business-hours schedule is open now (1) or closed (0)',
    ['pbx'],
    (g, s) => {
      const open = deps.businessHours.isOpen(s.now) ? 1 : 0;
      for (const pbx of s.pbxs) g([pbx], open);
    },
  );

  // ---- the exporter itself ----
  gauge('switchboard_db_size_bytes', 'Size of the SQLite database on disk, WAL included', [], (g) => {
    if (store.path === ':memory:') {
      if (store.isOpen) {
        const pages = store.db.pragma('page_count', { simple: true }) as number;
        const size = store.db.pragma('page_size', { simple: true }) as number;
        g([], pages * size);
      }
      return;
    }
    g([], fileSize(store.path) + fileSize(`${store.path}-wal`));
  });
  if (store.path !== ':memory:') {
    gauge(
      'switchboard_db_disk_free_bytes',
      'Free space for unprivileged users on the database file system',
      [],
      (g) => {
        try {
          const fs = statfsSync(dirname(store.path));
          g([], fs.bavail * fs.bsize);
        } catch {
          // the folder vanished: leave the series out rather than report 0 free bytes
        }
      },
    );
  }
  gauge(
    'switchboard_metrics_collect_duration_seconds',
    'Time this scrape spent computing the live-state gauges',
    [],
    (g, s) => g([], s.seconds),
  );
}
