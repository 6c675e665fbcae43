import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { Call, QueueCallResult, QueueState } from '../../src/domain';
import { FileCheckpoint } from '../../src/sources/3cx/checkpoint';
import { checkThreeCxConfig, ThreeCxSourceSchema, type ThreeCxSourceConfig } from '../../src/sources/3cx/config';
import { RejectFile } from '../../src/sources/3cx/reject-file';
import { ThreeCxSource, type ThreeCxOptions, type ThreeCxState } from '../../src/sources/3cx/source';
import { memoryLog } from '../ami/harness';

/** A source entry as a user writes it (nested blocks with their defaults left out). */
export type Raw3cxConfig = { mode: ThreeCxSourceConfig['mode'] } & Record<string, unknown>;

/** A config as the loader would hand it over: defaults filled, checked. */
export function threeCxConfig(raw: Raw3cxConfig): ThreeCxSourceConfig {
  const c = Value.Default(ThreeCxSourceSchema, { name: 'pbx3', kind: '3cx', ...structuredClone(raw) }) as ThreeCxSourceConfig;
  const errors = [...Value.Errors(ThreeCxSourceSchema, c)].map((e) => `${e.path}: ${e.message}`);
  const problems = [...errors, ...checkThreeCxConfig(c)];
  if (problems.length) throw new Error(problems.join('\n'));
  return c;
}

export interface Running3cx {
  source: ThreeCxSource;
  records: Omit<Call, 'pbx'>[];
  status: string[];
  rejected: { reason: string; detail: string }[];
  queues: QueueState[];
  queueCalls: QueueCallResult[];
  heard: { event: string; at: number; pbxTs?: number }[];
  logs: ReturnType<typeof memoryLog>['lines'];
  /** the reject file's entries */
  rejectLines(): Record<string, string>[];
  statePath: string;
}

/**
 * A 3CX source in a frame that records what it hands over. `dir` holds its checkpoint and reject file, so a second
 * source on the same directory is the same source after a restart.
 */
export function make3cx(raw: Raw3cxConfig, dir: string, opts: ThreeCxOptions = {}, databasePassword?: string): Running3cx {
  const config = threeCxConfig(raw);
  const { log, lines } = memoryLog();
  const statePath = join(dir, 'state.json');
  const rejectPath = join(dir, 'rejects.jsonl');
  const r: Omit<Running3cx, 'source'> = {
    records: [],
    status: [],
    rejected: [],
    queues: [],
    queueCalls: [],
    heard: [],
    logs: lines,
    statePath,
    rejectLines: () =>
      existsSync(rejectPath)
        ? readFileSync(rejectPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, string>)
        : [],
  };
  const source = new ThreeCxSource(
    config,
    {
      pbx: config.name,
      log,
      now: Date.now,
      recorded: (record) => r.records.push(record),
      connected: () => r.status.push('up'),
      disconnected: (reason) => r.status.push(`down: ${reason}`),
      heard: (event, at, pbxTs) => r.heard.push({ event, at, pbxTs }),
      rejected: (reason, detail) => r.rejected.push({ reason, detail }),
      queue: (q) => r.queues.push(q),
      queueCall: (q) => r.queueCalls.push(q),
      state: new FileCheckpoint<ThreeCxState>(statePath),
      rejects: new RejectFile(rejectPath),
      databasePassword,
    },
    { reconnectBaseMs: 50, ...opts },
  );
  return { source, ...r };
}
