import {
  CoreApp,
  DataSourceApi,
  LoadingState,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { filter, map, merge, Observable, of } from 'rxjs';
import { ExporterClient, type RequestOptions } from './api/client';
import type { ApiCall, ApiExtension, ApiGap, ApiList, ApiParkedCall, ApiQueue, ApiTrunk } from './api/types';
import { agentsFrame } from './frames/agents';
import { callsFrame } from './frames/calls';
import { extensionsFrame } from './frames/extensions';
import { gapsFrame } from './frames/gaps';
import { parkedCallsFrame } from './frames/parked';
import { queuesFrame } from './frames/queues';
import { trunksFrame } from './frames/trunks';
import { liveFrame, sourceNotices } from './live/liveFrame';
import { LiveHub, type EventSourceLike, type HubView } from './live/liveHub';
import type { Collection } from './live/liveState';
import { frameSources } from './live/staleness';
import { filterActiveCalls, filterExtensions, filterParked, filterQueues, filterTrunks } from './query/filters';
import { fetchAgents } from './query/agents';
import { fetchCallBacks } from './query/callBacks';
import { fetchCalls } from './query/calls';
import { fetchHistory } from './query/history';
import { abortable } from './query/requests';
import { fetchStats } from './query/stats';
import { splitValues } from './query/values';
import { checkConnection } from './testConnection';
import {
  DEFAULT_QUERY,
  type PbxDataSourceOptions,
  type PbxQuery,
  type PbxVariableQuery,
  type QueryType,
} from './types';
import { PbxVariableSupport } from './variableSupport';
import { findValues, parseVariableQuery } from './variables';

const COLLECTION_OF: Partial<Record<QueryType, Collection>> = {
  extensions: 'extensions',
  queues: 'queues',
  trunks: 'trunks',
  activeCalls: 'calls',
  parkedCalls: 'parked',
};

const REST_PATH: Record<Collection, string> = {
  extensions: '/api/v1/extensions',
  queues: '/api/v1/queues',
  trunks: '/api/v1/trunks',
  calls: '/api/v1/calls/active',
  parked: '/api/v1/parked-calls',
};

/** Filter fields interpolated as CSV (multi-value variables); `text` and `interval` are interpolated plainly. */
const CSV_FIELDS = ['pbx', 'extension', 'queue', 'direction', 'status', 'state'] as const;

export interface PbxDataSourceDeps {
  createEventSource?: (url: string) => EventSourceLike;
  throttleMs?: number;
}

export class PbxDataSource extends DataSourceApi<PbxQuery, PbxDataSourceOptions> {
  readonly client: ExporterClient;
  /** The proxy path of the stream: `<instanceSettings.url>/api` + the exporter route. */
  readonly streamUrl: string;
  private hub?: LiveHub;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings<PbxDataSourceOptions>,
    private readonly deps: PbxDataSourceDeps = {}
  ) {
    super(instanceSettings);
    this.client = new ExporterClient(`${instanceSettings.url ?? ''}/api`);
    this.streamUrl = this.client.url('/api/v1/stream');
    // Gaps as annotations: the standard annotation support runs our query editor with a `gaps` query.
    this.annotations = {
      getDefaultQuery: () => ({ queryType: 'gaps' }),
    };
    this.variables = new PbxVariableSupport(this);
  }

  getDefaultQuery(_app: CoreApp): Partial<PbxQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: PbxQuery): boolean {
    return !query.hide;
  }

  /** Every text field goes through the template service; multi-value filters become CSV. */
  applyTemplateVariables(query: PbxQuery, scopedVars: ScopedVars): PbxQuery {
    const srv = getTemplateSrv();
    const out: PbxQuery = { ...query };
    for (const key of CSV_FIELDS) {
      const v = query[key];
      if (typeof v === 'string' && v !== '') {
        out[key] = srv.replace(v, scopedVars, 'csv');
      }
    }
    if (query.text) {
      out.text = srv.replace(query.text, scopedVars);
    }
    if (query.interval) {
      out.interval = srv.replace(query.interval, scopedVars);
    }
    return out;
  }

  interpolateVariablesInQueries(queries: PbxQuery[], scopedVars: ScopedVars): PbxQuery[] {
    return queries.map((q) => this.applyTemplateVariables(q, scopedVars));
  }

  query(request: DataQueryRequest<PbxQuery>): Observable<DataQueryResponse> {
    const targets = request.targets
      .filter((t) => this.filterQuery(t))
      .map((t) => this.applyTemplateVariables(t, request.scopedVars));
    if (targets.length === 0) {
      return of({ data: [], state: LoadingState.Done });
    }
    return merge(...targets.map((t) => this.runQuery(t, request)));
  }

  private runQuery(query: PbxQuery, request: DataQueryRequest<PbxQuery>): Observable<DataQueryResponse> {
    const type = query.queryType ?? 'extensions';
    const key = query.refId;
    const collection = COLLECTION_OF[type];
    if (collection && query.live !== false && !query.history && request.app !== CoreApp.UnifiedAlerting) {
      return this.liveQuery(query, collection);
    }
    // The same panel and query share one id, so a re-run supersedes the request still in flight.
    const requestId = `switchboard-${request.dashboardUID ?? ''}-${request.panelId ?? request.requestId}-${key}`;
    return abortable(async (signal): Promise<DataQueryResponse> => {
      const opts = { requestId, signal };
      const data =
        type === 'extensions' && query.history
          ? await fetchHistory(
              this.client,
              (await this.fetchCollection('extensions', opts)) as ApiExtension[],
              query,
              request.range.from.valueOf(),
              request.range.to.valueOf(),
              opts
            )
          : await this.fetchOnce(type, query, request, opts);
      return { data, key, state: LoadingState.Done };
    });
  }

  /**
   * A live query: the REST snapshot first (through the hub), then the full frame again on every delta. Nothing is
   * emitted before the first snapshot (Grafana shows its loading state): a stream still connecting is no error, only
   * a failed snapshot is.
   */
  private liveQuery(query: PbxQuery, collection: Collection): Observable<DataQueryResponse> {
    const pbx = splitValues(query.pbx);
    return this.liveHub()
      .watch(collection)
      .pipe(
        filter((view) => view.state.loaded.has(collection) || view.fetchErrors.has(collection)),
        map((view): DataQueryResponse => {
          if (!view.state.loaded.has(collection)) {
            return {
              data: [],
              key: query.refId,
              state: LoadingState.Error,
              errors: [{ message: view.fetchErrors.get(collection), refId: query.refId }],
            };
          }
          const sources = frameSources(view.state, pbx);
          const frame = liveFrame(view.state, query, collection, sources, view.unreachableSince);
          const notices = sourceNotices(sources);
          if (view.status !== 'streaming' && view.error) {
            notices.unshift({ severity: 'warning', text: view.error });
          }
          frame.meta = {
            ...frame.meta,
            // for the wall's banner: which PBX is down since when; `unreachableSince`: the exporter itself
            custom: { ...frame.meta?.custom, sources, unreachableSince: view.unreachableSince ?? null },
            ...(notices.length > 0 ? { notices } : {}),
          };
          return { data: [frame], key: query.refId, state: LoadingState.Streaming };
        })
      );
  }

  /** The shared hub: one EventSource for every live query of this data-source instance. */
  liveHub(): LiveHub {
    if (!this.hub) {
      this.hub = new LiveHub({
        streamUrl: this.streamUrl,
        fetchCollection: (c) => this.fetchCollection(c),
        createEventSource: this.deps.createEventSource,
        pollIntervalMs: (this.instanceSettings.jsonData.pollIntervalSeconds ?? 5) * 1000,
        throttleMs: this.deps.throttleMs,
      });
    }
    return this.hub;
  }

  /** Current hub connection, for tests and the config page. */
  liveStatus(): HubView['status'] {
    return this.hub?.connection ?? 'idle';
  }

  async fetchCollection(collection: Collection, opts?: RequestOptions): Promise<unknown[]> {
    const res = await this.client.get<ApiList<unknown>>(REST_PATH[collection], undefined, opts);
    return res.items ?? [];
  }

  private async fetchOnce(
    type: QueryType,
    query: PbxQuery,
    request: DataQueryRequest<PbxQuery>,
    opts: RequestOptions = {}
  ): Promise<DataFrame[]> {
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    switch (type) {
      case 'calls': {
        const calls = await fetchCalls(this.client, query, from, to, opts);
        const callBacks = query.callBack ? await fetchCallBacks(this.client, calls, query.extension, opts) : undefined;
        return [callsFrame(calls, { refId: query.refId, callBacks })];
      }
      case 'stats':
        return fetchStats(this.client, query, request, from, to, opts);
      case 'agents':
        return [agentsFrame(await fetchAgents(this.client, query, request, from, to, opts), { refId: query.refId })];
      case 'gaps': {
        const res = await this.client.get<ApiList<ApiGap>>('/api/v1/gaps', { from, to }, opts);
        const pbx = splitValues(query.pbx);
        // the exporter's own outages (pbx null) hid every PBX's calls: they belong on every PBX's dashboard
        const gaps = res.items.filter((g) => pbx.length === 0 || g.pbx === null || pbx.includes(g.pbx));
        return [gapsFrame(gaps, { refId: query.refId })];
      }
      case 'extensions':
        return [
          extensionsFrame(
            filterExtensions((await this.fetchCollection('extensions', opts)) as ApiExtension[], query),
            query.refId
          ),
        ];
      case 'queues':
        return [
          queuesFrame(filterQueues((await this.fetchCollection('queues', opts)) as ApiQueue[], query), query.refId),
        ];
      case 'trunks':
        return [
          trunksFrame(filterTrunks((await this.fetchCollection('trunks', opts)) as ApiTrunk[], query), query.refId),
        ];
      case 'activeCalls':
        return [
          callsFrame(filterActiveCalls((await this.fetchCollection('calls', opts)) as ApiCall[], query), {
            refId: query.refId,
            active: true,
          }),
        ];
      case 'parkedCalls':
        return [
          parkedCallsFrame(
            filterParked((await this.fetchCollection('parked', opts)) as ApiParkedCall[], query),
            query.refId
          ),
        ];
      default:
        throw new Error(`Unknown query type "${String(type)}"`);
    }
  }

  async metricFindQuery(
    query: PbxVariableQuery | string,
    options?: { scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const parsed = parseVariableQuery(query);
    const pbx = parsed.pbx ? getTemplateSrv().replace(parsed.pbx, options?.scopedVars, 'csv') : undefined;
    return findValues({ ...parsed, pbx }, (c) => this.fetchCollection(c));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.instanceSettings.jsonData.url) {
      return { status: 'error', message: 'Set the exporter URL (for example http://switchboard:10027) and save.' };
    }
    return checkConnection(this.client, this.instanceSettings.jsonData.url);
  }
}
