/**
 * The frames the Switchboard data source answers a dashboard query with, built by the plugin's own frame builders
 * from small API fixtures, and Grafana's transformations run over them (@grafana/data's real implementations).
 */
import * as grafana from '@grafana/data';
import type { DataFrame, DataTransformerConfig } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import type {
  ApiAgentRow,
  ApiCall,
  ApiExtension,
  ApiGap,
  ApiParkedCall,
  ApiQueue,
  ApiStatsRow,
  ApiTrunk,
} from '../../grafana-plugin/src/datasource/api/types';
import { agentsFrame } from '../../grafana-plugin/src/datasource/frames/agents';
import { callsFrame } from '../../grafana-plugin/src/datasource/frames/calls';
import { extensionsFrame } from '../../grafana-plugin/src/datasource/frames/extensions';
import { gapsFrame } from '../../grafana-plugin/src/datasource/frames/gaps';
import { parkedCallsFrame } from '../../grafana-plugin/src/datasource/frames/parked';
import { queuesFrame } from '../../grafana-plugin/src/datasource/frames/queues';
import { statsFrames } from '../../grafana-plugin/src/datasource/frames/stats';
import { trunksFrame } from '../../grafana-plugin/src/datasource/frames/trunks';
import { DEFAULT_STATS_METRICS, type PbxQuery } from '../../grafana-plugin/src/datasource/types';

export const T0 = Date.parse('2026-11-23T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

export const CALLS: ApiCall[] = [
  {
    id: 'c1',
    pbx: 'demo',
    direction: 'inbound',
    status: 'answered',
    open: false,
    startedAt: iso(T0),
    answeredAt: iso(T0 + 12_000),
    endedAt: iso(T0 + 100_000),
    ringSeconds: 12,
    talkSeconds: 88,
    holdSeconds: 0,
    waitSeconds: 10,
    from: { number: '+12125550101', name: 'Acme' },
    to: { number: '100', name: null },
    answeredBy: { number: '1001', name: 'Alice' },
    queue: 'sales',
    group: null,
    trulyMissed: false,
    returnedAt: null,
  },
  {
    id: 'c2',
    pbx: 'demo',
    direction: 'inbound',
    status: 'abandoned',
    open: false,
    startedAt: iso(T0 + 3600_000),
    endedAt: iso(T0 + 3660_000),
    ringSeconds: 60,
    talkSeconds: 0,
    holdSeconds: 0,
    waitSeconds: 60,
    from: { number: '+12125550102' },
    to: { number: '100' },
    answeredBy: null,
    queue: 'sales',
    trulyMissed: true,
  },
];

export const EXTENSIONS: ApiExtension[] = [
  {
    pbx: 'demo',
    extension: '1001',
    name: 'Alice',
    registered: true,
    state: 'in_call',
    dnd: false,
    queues: [{ queue: 'sales', paused: false }],
  },
  { pbx: 'demo', extension: '1002', name: 'Bob', registered: false, state: 'unavailable', dnd: false, queues: [] },
];

export const QUEUES: ApiQueue[] = [
  {
    pbx: 'demo',
    queue: 'sales',
    strategy: 'ringall',
    callers: 2,
    longestWaitSeconds: 95,
    membersLoggedIn: 3,
    membersAvailable: 1,
    membersInCall: 2,
    membersPaused: 0,
  },
  {
    pbx: 'demo',
    queue: 'support',
    strategy: 'rrmemory',
    callers: 0,
    longestWaitSeconds: 0,
    membersLoggedIn: 1,
    membersAvailable: 0,
    membersInCall: 0,
    membersPaused: 1,
  },
];

export const TRUNKS: ApiTrunk[] = [
  { pbx: 'demo', trunk: 'sip-carrier', registered: true, status: 'Registered', rttSeconds: 0.02, activeCalls: 1 },
];

export const PARKED: ApiParkedCall[] = [
  {
    pbx: 'demo',
    lot: 'default',
    slot: '71',
    party: { number: '+12125550163', name: 'Park Timeout Caller' },
    parker: { number: '1004', name: 'Dave Diaz' },
    parkedAt: iso(T0 + 100_000),
    timeoutAt: iso(T0 + 160_000),
  },
];

export const GAPS: ApiGap[] = [
  { id: 1, pbx: 'demo', kind: 'source', reason: 'AMI socket closed', startedAt: iso(T0), endedAt: iso(T0 + 60_000) },
];

/** Two hourly buckets; keys by group (extensions 1001 and 1002, queues sales and support, …). */
export function statsRows(groupBy: PbxQuery['groupBy']): ApiStatsRow[] {
  const keys =
    groupBy === 'extension'
      ? ['1001', '1002']
      : groupBy === 'queue'
        ? ['sales', 'support']
        : groupBy === 'direction'
          ? ['inbound', 'outbound']
          : groupBy === 'status'
            ? ['answered', 'missed']
            : ['all'];
  return [0, 1].flatMap((h) =>
    keys.map((key, k) => {
      const answered = 3 + h + k;
      const missed = 1 + k;
      return {
        bucket: iso(T0 + h * 3600_000),
        key,
        offered: answered + missed,
        answered,
        missed,
        abandoned: k,
        talkSecondsTotal: answered * 60,
        talkSecondsAvg: 60,
        asaSeconds: 8 + k,
        serviceLevel: 0.8,
        abandonRate: k / (answered + missed),
      };
    }),
  );
}

/** The frames one Switchboard query of a dashboard produces. */
export const AGENTS: ApiAgentRow[] = [
  {
    bucket: iso(T0),
    pbx: 'demo',
    extension: '1001',
    name: 'Alice',
    offered: 4,
    answered: 3,
    missed: 1,
    outbound: 2,
    outboundAnswered: 1,
    handled: 4,
    talkSecondsTotal: 480,
    holdSecondsTotal: 20,
    ahtSeconds: 125,
  },
];

export function framesFor(q: PbxQuery): DataFrame[] {
  switch (q.queryType) {
    case 'calls': {
      // a callBack query: the data source reads each truly missed call's legs (fetchCallBacks)
      const callBacks = q.callBack
        ? new Map(CALLS.filter((c) => c.trulyMissed).map((c) => [c.id, { rangAt: ['1001', '1002'], from: '1001' }]))
        : undefined;
      return [callsFrame(CALLS, { refId: q.refId, callBacks })];
    }
    case 'activeCalls':
      return [
        callsFrame(
          CALLS.map((c) => ({ ...c, open: true, endedAt: null })),
          { refId: q.refId, active: true, now: T0 + 200_000 },
        ),
      ];
    case 'extensions':
      return [extensionsFrame(EXTENSIONS, q.refId)];
    case 'queues':
      return [queuesFrame(QUEUES, q.refId)];
    case 'trunks':
      return [trunksFrame(TRUNKS, q.refId)];
    case 'parkedCalls':
      return [parkedCallsFrame(PARKED, q.refId)];
    case 'gaps':
      return [gapsFrame(GAPS, { refId: q.refId, now: T0 + 3600_000 })];
    case 'stats':
      return statsFrames(statsRows(q.groupBy), {
        refId: q.refId,
        groupBy: q.groupBy ?? 'none',
        metrics: q.metrics?.length ? q.metrics : DEFAULT_STATS_METRICS,
        intervalMs: 3600_000,
      });
    case 'agents':
      return [agentsFrame(AGENTS, { refId: q.refId })];
    default:
      throw new Error(`no frames for query type ${String(q.queryType)}`);
  }
}

let registered = false;

/** Grafana's standard transformations, registered once (the registry is empty outside Grafana). */
function registerTransformers(): void {
  if (registered) return;
  const byId = new Map<string, grafana.DataTransformerInfo>();
  for (const t of Object.values(grafana.standardTransformers)) byId.set(t.id, t as grafana.DataTransformerInfo);
  grafana.standardTransformersRegistry.setInit(
    () =>
      [...byId.values()].map((t) => ({
        id: t.id,
        aliasIds: t.aliasIds,
        name: t.name,
        description: t.description ?? '',
        transformation: () => t,
      })) as never,
  );
  // transformDataFrame looks for a scenes context on `window`
  (globalThis as { window?: object }).window ??= {};
  registered = true;
}

export async function transform(
  transformations: DataTransformerConfig[] | undefined,
  frames: DataFrame[],
): Promise<DataFrame[]> {
  if (!transformations?.length) return frames;
  registerTransformers();
  return lastValueFrom(grafana.transformDataFrame(transformations, frames, { interpolate: (s: string) => s }));
}

/** Names a `byName` matcher can match: field names and display names. */
export function fieldNames(frames: DataFrame[]): Set<string> {
  const names = new Set<string>();
  for (const f of frames) {
    for (const field of f.fields) {
      names.add(field.name);
      names.add(grafana.getFieldDisplayName(field, f, frames));
      if (field.config.displayName) names.add(field.config.displayName);
    }
  }
  return names;
}
