import {
  CoreApp,
  DataSourceApi,
  dateTimeFormat,
  LoadingState,
  rangeUtil,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type QueryResultMetaNotice,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { filter, map, merge, Observable, of } from 'rxjs';
import { ExporterClient, ExporterError, type RequestOptions } from './api/client';
import type {
  ApiAgentRow,
  ApiCall,
  ApiExtension,
  ApiGap,
  ApiList,
  ApiParkedCall,
  ApiQueue,
  ApiStatsRow,
  ApiTrunk,
} from './api/types';
import { agentsFrame } from './frames/agents';
import { callsFrame } from './frames/calls';
import { extensionsFrame } from './frames/extensions';
import { gapsFrame } from './frames/gaps';
import { historyFrame, type ApiHistoryItem } from './frames/history';
import { parkedCallsFrame } from './frames/parked';
import { queuesFrame } from './frames/queues';
import { statsFrames } from './frames/stats';
import { trunksFrame } from './frames/trunks';
import { LiveHub, type EventSourceLike, type HubView } from './live/liveHub';
import type { Collection, LiveState } from './live/liveState';
import { frameSources, withStaleness, type FrameSource } from './live/staleness';
import { filterActiveCalls, filterExtensions, filterParked, filterQueues, filterTrunks } from './query/filters';
import { combinations, splitValues } from './query/values';
import { checkConnection } from './testConnection';
import {
  DEFAULT_CALL_LIMIT,
  DEFAULT_QUERY,
  DEFAULT_STATS_METRICS,
  MAX_CALL_LIMIT,
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
const MAX_FAN_OUT = 20;
const MAX_HISTORY = 50;
/** The exporter's limit on stats buckets per request. */
const MAX_BUCKETS = 10_000;
const PAGE_SIZE = 500;

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
          ? await this.fetchHistory(query, request.range.from.valueOf(), request.range.to.valueOf(), opts)
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
          const frame = this.liveFrame(view.state, query, collection, sources, view.unreachableSince);
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

  private liveFrame(
    state: LiveState,
    query: PbxQuery,
    collection: Collection,
    sources: FrameSource[],
    unreachableSince?: number
  ): DataFrame {
    const stamp = <T extends { pbx: string }>(items: T[]) => withStaleness(items, sources, unreachableSince);
    switch (collection) {
      case 'extensions':
        return extensionsFrame(stamp(filterExtensions(state.extensions.values(), query)), query.refId);
      case 'queues':
        return queuesFrame(stamp(filterQueues(state.queues.values(), query)), query.refId);
      case 'trunks':
        return trunksFrame(stamp(filterTrunks(state.trunks.values(), query)), query.refId);
      case 'calls':
        return callsFrame(stamp(filterActiveCalls(state.calls.values(), query)), {
          refId: query.refId,
          active: true,
        });
      case 'parked':
        return parkedCallsFrame(stamp(filterParked(state.parked.values(), query)), query.refId);
    }
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
      case 'calls':
        return [callsFrame(await this.fetchCalls(query, from, to, opts), { refId: query.refId })];
      case 'stats':
        return this.fetchStats(query, request, from, to, opts);
      case 'agents':
        return [agentsFrame(await this.fetchAgents(query, request, from, to, opts), { refId: query.refId })];
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

  /**
   * Call history in the dashboard range. The API takes one value per filter, so multi-value variables fan out
   * into one request per combination, merged by call id, newest first, cut at the limit.
   */
  async fetchCalls(query: PbxQuery, from: number, to: number, opts: RequestOptions = {}): Promise<ApiCall[]> {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_CALL_LIMIT), MAX_CALL_LIMIT);
    const combos = combinations({
      pbx: splitValues(query.pbx),
      extension: splitValues(query.extension),
      queue: splitValues(query.queue),
      direction: splitValues(query.direction),
      status: splitValues(query.status),
    });
    if (combos.length > MAX_FAN_OUT) {
      throw new ExporterError(
        `The filters select ${combos.length} value combinations (at most ${MAX_FAN_OUT}); ` +
          'use a custom "All" value of * or fewer selected values'
      );
    }
    const lists = await Promise.all(
      combos.map((combo, i) =>
        this.fetchCallPages({ from, to, q: query.text?.trim() || undefined, ...combo }, limit, part(opts, i))
      )
    );
    const byId = new Map<string, ApiCall>();
    lists.flat().forEach((c) => byId.set(c.id, c));
    return Array.from(byId.values())
      .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
      .slice(0, limit);
  }

  /**
   * State timelines: one request per extension (the filter's values, else every extension the exporter knows, up
   * to MAX_HISTORY), one frame each.
   */
  async fetchHistory(query: PbxQuery, from: number, to: number, opts: RequestOptions = {}): Promise<DataFrame[]> {
    const known = filterExtensions((await this.fetchCollection('extensions', opts)) as ApiExtension[], {
      ...query,
      state: undefined,
    });
    const wanted = splitValues(query.extension);
    const targets = wanted.length
      ? wanted.map((ext) => known.find((e) => e.extension === ext) ?? { extension: ext, name: null, pbx: undefined })
      : known;
    if (targets.length > MAX_HISTORY) {
      throw new ExporterError(
        `${targets.length} extensions selected for history (at most ${MAX_HISTORY}); filter by extension, queue or PBX`
      );
    }
    const end = Math.min(to, Date.now());
    return Promise.all(
      targets.map(async (e, i) => {
        const res = await this.client.get<ApiList<ApiHistoryItem>>(
          `/api/v1/extensions/${encodeURIComponent(e.extension)}/history`,
          { from, to, pbx: e.pbx ?? splitValues(query.pbx)[0] },
          part(opts, i)
        );
        return historyFrame(e.extension, e.name, res.items, { refId: query.refId, end });
      })
    );
  }

  private async fetchCallPages(
    params: Record<string, string | number | undefined>,
    limit: number,
    opts: RequestOptions
  ) {
    const out: ApiCall[] = [];
    let cursor: string | null | undefined;
    do {
      const res = await this.client.get<ApiList<ApiCall>>(
        '/api/v1/calls',
        { ...params, limit: Math.min(PAGE_SIZE, limit - out.length), cursor: cursor ?? undefined },
        opts
      );
      out.push(...res.items);
      cursor = res.nextCursor;
    } while (cursor && out.length < limit);
    return out;
  }

  private async fetchStats(
    query: PbxQuery,
    request: DataQueryRequest<PbxQuery>,
    from: number,
    to: number,
    opts: RequestOptions = {}
  ): Promise<DataFrame[]> {
    const groupBy = query.groupBy ?? 'none';
    // The exporter refuses more than MAX_BUCKETS buckets; a fine interval over a long range is widened instead.
    const intervalSeconds = Math.max(
      statsIntervalSeconds(query.interval, request),
      Math.ceil((to - from) / 1000 / MAX_BUCKETS)
    );
    // KPIs are ratios: they cannot be merged across PBXs after the fact, so the exporter computes them for one PBX
    const pbx = splitValues(query.pbx);
    if (pbx.length > 1) {
      throw new Error(
        `Stats take one PBX at a time (got ${pbx.join(', ')}); choose one, or All for every PBX together`
      );
    }
    const params = {
      from,
      to,
      interval: intervalSeconds,
      groupBy: groupBy === 'none' ? undefined : groupBy,
      slThreshold: query.slThreshold,
      pbx: pbx[0],
    };
    let res: ApiList<ApiStatsRow>;
    try {
      // Filled (a zero for every bucket) draws best; the exporter refuses a huge filled matrix (many extensions over
      // many buckets) naming `fill`, and then the sparse answer will do: the frames fill between buckets seen.
      res = await this.client.get<ApiList<ApiStatsRow>>('/api/v1/stats', params, opts);
    } catch (err) {
      if (err instanceof ExporterError && err.status === 400 && err.problem?.parameter === 'fill') {
        res = await this.client.get<ApiList<ApiStatsRow>>('/api/v1/stats', { ...params, fill: false }, opts);
      } else {
        throw err;
      }
    }
    let rows = res.items;
    const keep = splitValues(groupBy === 'queue' ? query.queue : groupBy === 'extension' ? query.extension : undefined);
    if (keep.length > 0) {
      rows = rows.filter((r) => r.key !== null && keep.includes(r.key));
    }
    return statsFrames(rows, {
      refId: query.refId,
      groupBy,
      metrics: query.metrics?.length ? query.metrics : DEFAULT_STATS_METRICS,
      intervalMs: intervalSeconds * 1000,
    });
  }

  /**
   * The agent report: per agent over the range, or per period (`interval`, e.g. 1w), in the dashboard's time zone so
   * days and weeks are the viewer's. One PBX at a time, like the stats; an agent filter narrows the rows here.
   */
  private async fetchAgents(
    query: PbxQuery,
    request: DataQueryRequest<PbxQuery>,
    from: number,
    to: number,
    opts: RequestOptions = {}
  ): Promise<ApiAgentRow[]> {
    const pbx = splitValues(query.pbx);
    if (pbx.length > 1) {
      throw new Error(`Reports take one PBX at a time (got ${pbx.join(', ')}); choose one, or All for every PBX`);
    }
    const interval = query.interval && !query.interval.includes('$') ? query.interval : undefined;
    const params = { from, to, interval, tz: timeZoneOf(request.timezone), pbx: pbx[0] };
    const res = await this.client.get<ApiList<ApiAgentRow>>('/api/v1/reports/agents', params, opts);
    const keep = splitValues(query.extension);
    return keep.length > 0 ? res.items.filter((r) => keep.includes(r.extension)) : res.items;
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

/**
 * A live wall must not look healthy while its PBX is disconnected: the state it shows is then frozen. Grafana
 * shows these notices in the panel header; the wall panel also reads `meta.custom.sources` for its banner.
 */
export function sourceNotices(sources: FrameSource[]): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  for (const s of sources) {
    if (!s.connected) {
      const since = s.since === null ? '' : ` since ${dateTimeFormat(s.since, { format: 'HH:mm:ss' })}`;
      notices.push({
        severity: 'warning',
        text: `PBX ${s.pbx} is disconnected${since}${s.reason ? ` (${s.reason})` : ''}: its live state may be out of date`,
      });
    } else if (!s.live) {
      notices.push({ severity: 'info', text: `PBX ${s.pbx} reports finished calls only: it has no live state` });
    }
  }
  return notices;
}

/** Grafana's dashboard time zone ('browser', 'utc' or an IANA name) as the IANA zone the exporter takes. */
export function timeZoneOf(timezone: string | undefined): string {
  if (!timezone || timezone === 'browser') {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  return timezone.toLowerCase() === 'utc' ? 'UTC' : timezone;
}

/** One request of several (fan-out, one per extension): each needs its own id, or it would cancel its siblings. */
function part(opts: RequestOptions, i: number): RequestOptions {
  return { ...opts, requestId: opts.requestId && `${opts.requestId}-${i}` };
}

/** A promise as an observable whose unsubscription aborts the work (and its HTTP requests). */
function abortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    run(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (err) => subscriber.error(err)
    );
    return () => controller.abort();
  });
}

/** `$__interval` (or the query's own) in whole seconds, at least one minute: the API buckets by the minute. */
export function statsIntervalSeconds(interval: string | undefined, request: DataQueryRequest<PbxQuery>): number {
  const raw = interval && !interval.includes('$') ? interval : request.interval;
  let seconds = 60;
  try {
    seconds = raw ? rangeUtil.intervalToSeconds(raw) : Math.round((request.intervalMs ?? 60000) / 1000);
  } catch {
    throw new ExporterError(`Interval "${raw}" is not a duration like 5m or 1h`);
  }
  return Math.max(60, Math.round(seconds));
}
