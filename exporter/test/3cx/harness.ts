import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { Call, QueueCallResult, QueueState } from '../../src/domain';
import { Hub } from '../../src/hub';
import { threeCx } from '../../src/sources/3cx';
import { ThreeCxConfigSchema, type ThreeCxConfig } from '../../src/sources/3cx/config';
import { ThreeCxDriver, type ThreeCxOptions } from '../../src/sources/3cx/driver';
import { SourceRuntime } from '../../src/sources/runtime/runtime';
import { memoryLog } from '../ami/harness';

/** A source entry as a user writes it (nested blocks with their defaults left out). */
export type Raw3cxConfig = { mode: ThreeCxConfig['mode'] } & Record<string, unknown>;

/** A config as the loader hands it over: defaults filled, checked by the schema and the kind's own check. */
export function threeCxConfig(raw: Raw3cxConfig): ThreeCxConfig {
  const c = Value.Default(ThreeCxConfigSchema, { name: 'pbx3', kind: '3cx', ...structuredClone(raw) }) as ThreeCxConfig;
  const problems = [
    ...[...Value.Errors(ThreeCxConfigSchema, c)].map((e) => `${e.path}: ${e.message}`),
    ...threeCx.check!(c, 'sources.0'),
  ];
  if (problems.length) throw new Error(problems.join('\n'));
  return c;
}

export interface Running3cx {
  runtime: SourceRuntime;
  driver: ThreeCxDriver;
  hub: Hub;
  /** finished calls as the hub published them */
  records: Call[];
  /** each change of the source status: `up` or `down: <reason>` */
  status: string[];
  rejected: { reason: string; detail?: string }[];
  queues: QueueState[];
  queueCalls: QueueCallResult[];
  heard: { event: string; at: number; ts?: number }[];
  logs: ReturnType<typeof memoryLog>['lines'];
  /** the reject file's entries */
  rejectLines(): Record<string, string>[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A 3CX source on the real source runtime and hub, recording what reaches the hub. `dir` is its data folder
 * (checkpoint, reject file), so a second source on the same folder is the same source after a restart.
 */
export function make3cx(raw: Raw3cxConfig, dir: string, opts: ThreeCxOptions = {}): Running3cx {
  const config = threeCxConfig(raw);
  const { log, lines } = memoryLog();
  const hub = new Hub();
  const r = {
    hub,
    records: [] as Call[],
    status: [] as string[],
    rejected: [] as { reason: string; detail?: string }[],
    queues: [] as QueueState[],
    queueCalls: [] as QueueCallResult[],
    heard: [] as { event: string; at: number; ts?: number }[],
    logs: lines,
  };
  hub.on('callEnded', (c) => r.records.push(c));
  hub.on('rejected', (x) => r.rejected.push({ reason: x.reason, detail: x.detail }));
  hub.on('queue', (q) => r.queues.push(q));
  hub.on('queueCall', (q) => r.queueCalls.push(q));
  hub.on('sourceEvent', (e) => r.heard.push({ event: e.event, at: e.at, ts: e.ts }));
  hub.on('source', (s) => {
    const now = s.connected ? 'up' : `down: ${s.reason}`;
    if (r.status[r.status.length - 1] !== now) r.status.push(now);
  });
  let driver: ThreeCxDriver | undefined;
  const runtime = new SourceRuntime(
    { pbx: config.name, kind: '3cx', capabilities: threeCx.capabilities },
    { hub, log, store: { openCalls: () => [] }, dataDir: dir },
    (ctx) => (driver = new ThreeCxDriver(config, ctx, opts)),
    { reconnectBaseMs: 50, publish: 'sync' },
  );
  const rejectPath = join(dir, '3cx', `${config.name}.rejects.jsonl`);
  return {
    ...r,
    runtime,
    driver: driver!,
    rejectLines: () =>
      existsSync(rejectPath)
        ? readFileSync(rejectPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, string>)
        : [],
    start: () => runtime.start(),
    stop: () => runtime.stop(),
  };
}
