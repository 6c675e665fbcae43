import type { Config } from '../../src/config/schema';
import type { Call, ExtensionState, Gap, QueueState, SourceStatus } from '../../src/domain';
import type { Hub } from '../../src/hub';
import type { NfonDemo } from '../../src/demo/nfon';
import { FakeNfon, type FakeCallEvent, type FakeNfonOptions } from '../../src/demo/nfon/server';
import { nfon } from '../../src/sources/nfon';
import type { NfonConfig } from '../../src/sources/nfon/config';
import { withDefaults } from '../../src/sources/runtime/config';
import { SourceRuntime } from '../../src/sources/runtime/runtime';
import { Writer } from '../../src/store/writer';
import { memoryLog } from '../ami/harness';
import { startHarness, type Harness } from '../http/harness';

export const OFFICE = { '100': 'Anna Office', '101': 'Ben Sales', '102': 'Cleo Support' };
export const ACCOUNT = 'K9999';

export interface NfonRig {
  fake: FakeNfon;
  http: Harness;
  source: SourceRuntime;
  calls: Call[];
  ended: Call[];
  gaps: Gap[];
  statuses: SourceStatus[];
  extensions: ExtensionState[];
  queues: QueueState[];
  rejected: { reason: string; detail?: string }[];
  logs: ReturnType<typeof memoryLog>['lines'];
  close(): Promise<void>;
}

/**
 * A `kind: nfon` source named `cloud` on the real runtime, connected over real HTTP + SSE to the fake NFON server,
 * served by the real API on loopback, its calls written to a real SQLite store.
 */
export async function nfonRig(
  o: {
    fake?: FakeNfonOptions;
    config?: Partial<NfonConfig>;
    password?: string;
    /** connect to this demo office instead */
    demo?: NfonDemo;
    /** API tokens (call control needs one with the control scope) */
    tokens?: Config['auth']['tokens'];
  } = {},
): Promise<NfonRig> {
  const fake = o.demo?.fake ?? new FakeNfon({ account: ACCOUNT, extensions: OFFICE, ...o.fake });
  if (!o.demo) await fake.start();
  const mem = memoryLog();
  let source: SourceRuntime | undefined;
  let hubOf: Hub | undefined;
  const config = withDefaults(nfon.schema, {
    name: 'cloud',
    kind: 'nfon',
    url: fake.url,
    account: fake.account,
    username: fake.username,
    password: o.password ?? fake.password,
    headlineNumbers: o.demo?.headlineNumbers ?? { '4930555789': 'Berlin' },
    reconnectMaxSeconds: 1,
    ...o.config,
  });
  const http = await startHarness({
    ...(o.tokens ? { config: { auth: { tokens: o.tokens } } } : {}),
    sources: (hub) => {
      hubOf = hub;
      source = new SourceRuntime(
        { pbx: 'cloud', kind: 'nfon', capabilities: nfon.capabilities },
        { hub, log: mem.log, store: { openCalls: () => [] } },
        (ctx) => nfon.create(config, ctx),
        { graceMs: 0, publish: 'sync', reconnectBaseMs: 50 },
      );
      return [source];
    },
  });
  const hub = hubOf!;
  const rig: NfonRig = {
    fake,
    http,
    source: source!,
    calls: [],
    ended: [],
    gaps: [],
    statuses: [],
    extensions: [],
    queues: [],
    rejected: [],
    logs: mem.lines,
    close: async () => {
      await source!.stop();
      writer.stop();
      await http.close();
      if (!o.demo) await fake.stop();
    },
  };
  hub.on('call', (c) => rig.calls.push(c));
  hub.on('callEnded', (c) => rig.ended.push(c));
  hub.on('gap', (g) => rig.gaps.push(g));
  hub.on('source', (s) => rig.statuses.push(s));
  hub.on('extension', (e) => rig.extensions.push(e));
  hub.on('queue', (q) => rig.queues.push(q));
  hub.on('rejected', (r) => rig.rejected.push({ reason: r.reason, detail: r.detail }));
  const writer = new Writer(hub, http.store, memoryLog().log, 10, 60_000);
  writer.start();
  await source!.start();
  return rig;
}

const T0 = Date.parse('2026-03-02T09:00:00Z');
/** NFON's `updated`: RFC 3339 with nanoseconds and an offset, `s` seconds after a fixed start */
export const at = (s: number): string => new Date(T0 + s * 1000 + 3600_000).toISOString().replace('Z', '123456+01:00');
export const ms = (s: number): number => T0 + s * 1000;

/** One call's events from one extension's view. */
export function events(
  base: Omit<FakeCallEvent, 'state' | 'updated'>,
  steps: [FakeCallEvent['state'], number][],
): FakeCallEvent[] {
  return steps.map(([state, s]) => ({ ...base, state, updated: at(s) }));
}

export const inboundTo = (uuid: string, extension: string, caller = '4989123456', callee = '4930555789'): Omit<FakeCallEvent, 'state' | 'updated'> => ({
  uuid,
  caller,
  caller_context: 'global',
  callee,
  callee_context: 'global',
  direction: 'inbound',
  extension,
});

export const outboundFrom = (uuid: string, extension: string, callee: string, internal = false): Omit<FakeCallEvent, 'state' | 'updated'> => ({
  uuid,
  caller: extension,
  caller_context: ACCOUNT,
  callee,
  callee_context: internal ? ACCOUNT : 'global',
  direction: 'outbound',
  extension,
});
