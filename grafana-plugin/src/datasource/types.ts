import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** Query types, as named in docs/contracts.md §5. */
export type QueryType =
  'calls' | 'activeCalls' | 'extensions' | 'queues' | 'trunks' | 'parkedCalls' | 'stats' | 'gaps' | 'agents';

export const LIVE_QUERY_TYPES: readonly QueryType[] = ['activeCalls', 'extensions', 'queues', 'trunks', 'parkedCalls'];

export type StatsGroupBy = 'none' | 'extension' | 'queue' | 'direction' | 'status';

export type StatsMetric =
  | 'offered'
  | 'answered'
  | 'missed'
  | 'abandoned'
  | 'talkSecondsTotal'
  | 'talkSecondsAvg'
  | 'asaSeconds'
  | 'serviceLevel'
  | 'abandonRate';

export interface PbxQuery extends DataQuery {
  queryType?: QueryType;
  /** Every text filter may hold template variables; multi-value variables fan out or filter locally. */
  pbx?: string;
  extension?: string;
  queue?: string;
  direction?: string;
  /** A call status, or `truly_missed` / `unreturned`. */
  status?: string;
  /** Free text, the API's `q`. */
  text?: string;
  /** Maximum number of calls fetched (paged by cursor, 500 per request). */
  limit?: number;
  /**
   * Calls: look up the extensions each truly missed call rang at (one request per call, the newest 50), for the
   * `rangAt` and `callBackFrom` fields a "Call back" action uses.
   */
  callBack?: boolean;
  /** Live types: stream deltas (default) or answer one snapshot. */
  live?: boolean;
  /** Extensions: each extension's states over the dashboard range (state timeline) instead of the live state. */
  history?: boolean;
  /** Extensions: only these states (comma-separated, variables allowed). */
  state?: string;
  groupBy?: StatsGroupBy;
  /** Bucket size; stats: `$__interval` by default; agents: the whole range by default, `1w` for Monday weeks. */
  interval?: string;
  /** Service-level threshold in seconds. */
  slThreshold?: number;
  metrics?: StatsMetric[];
}

export const DEFAULT_QUERY: Partial<PbxQuery> = {
  queryType: 'extensions',
  live: true,
};

export const DEFAULT_STATS_METRICS: StatsMetric[] = ['offered', 'answered', 'missed'];
export const DEFAULT_CALL_LIMIT = 500;
export const MAX_CALL_LIMIT = 5000;

export interface PbxDataSourceOptions extends DataSourceJsonData {
  /** The exporter's URL as Grafana's server reaches it, used by the `api` proxy route. */
  url?: string;
  /** Polling period while the live stream is unavailable. */
  pollIntervalSeconds?: number;
}

export interface PbxSecureJsonData {
  apiToken?: string;
}

/** A template-variable query (metricFindQuery). A plain string `extensions`, `queues` or `pbx` works too. */
export interface PbxVariableQuery extends DataQuery {
  kind: 'extensions' | 'queues' | 'pbx' | 'trunks';
  pbx?: string;
}
