import {
  CoreApp,
  dateTime,
  dateTimeFormat,
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, type Subscription } from 'rxjs';
import { FakeBackend, type Reply } from '../test-utils/fakeBackend';
import { FakeEventSource } from '../test-utils/fakeEventSource';
import { FakeTemplateSrv } from '../test-utils/fakeTemplateSrv';
import { call, extension, iso, T0 } from '../test-utils/fixtures';
import { PbxDataSource } from './datasource';
import { timeZoneOf } from './query/agents';
import type { PbxVariableSupport } from './variableSupport';
import type { PbxDataSourceOptions, PbxQuery } from './types';

const PROXY = '/api/datasources/proxy/uid/sb1';

function settings(jsonData: Partial<PbxDataSourceOptions> = { url: 'http://exporter:10027' }) {
  return {
    id: 1,
    uid: 'sb1',
    type: 'switchboard-pbx-datasource',
    name: 'Switchboard',
    url: PROXY,
    access: 'proxy',
    jsonData,
    meta: {} as never,
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<PbxDataSourceOptions>;
}

function request(targets: PbxQuery[], patch: Partial<DataQueryRequest<PbxQuery>> = {}): DataQueryRequest<PbxQuery> {
  const from = dateTime(T0 - 3600_000);
  const to = dateTime(T0);
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: { __interval: { text: '5m', value: '5m' } },
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: T0,
    ...patch,
  } as DataQueryRequest<PbxQuery>;
}

const flush = () => new Promise<void>((r) => jest.requireActual('timers').setImmediate(r));

/** A live extensions query on a data source that polls every 2 s while its stream is down. */
function pollingQuery(responses: DataQueryResponse[]) {
  const ds = new PbxDataSource(settings({ url: 'http://x', pollIntervalSeconds: 2 }), {
    createEventSource: FakeEventSource.create,
    throttleMs: 0,
  });
  const sub = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe((r) => responses.push(r));
  return { ds, sub };
}

describe('PbxDataSource', () => {
  let backend: FakeBackend;
  let templates: FakeTemplateSrv;

  beforeEach(() => {
    backend = new FakeBackend();
    templates = new FakeTemplateSrv({ ext: ['1001', '1002'], pbx: 'main', dir: 'inbound' });
    setBackendSrv(backend.asBackendSrv());
    setTemplateSrv(templates.asTemplateSrv());
    FakeEventSource.reset();
  });

  describe('proxy and auth', () => {
    it('calls the exporter through the data-source proxy route `api`, never with a token of its own', async () => {
      backend.on(`${PROXY}/api/api/v1/extensions`, { data: { items: [extension({ extension: '1001' })] } });
      const ds = new PbxDataSource(settings());
      await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'extensions', live: false }])));
      expect(backend.paths()).toEqual([`${PROXY}/api/api/v1/extensions`]);
      for (const r of backend.requests) {
        expect(JSON.stringify(r.headers ?? {})).not.toMatch(/authorization|bearer/i);
        expect(r.showErrorAlert).toBe(false);
      }
    });

    it('opens the stream on the same proxy route', () => {
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      backend.on(`${PROXY}/api/api/v1/extensions`, { data: { items: [] } });
      const sub = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe();
      expect(FakeEventSource.instances.map((e) => e.url)).toEqual([`${PROXY}/api/api/v1/stream`]);
      sub.unsubscribe();
    });
  });

  describe('variables', () => {
    it('interpolates every filter field, multi values as CSV', () => {
      const ds = new PbxDataSource(settings());
      const q = ds.applyTemplateVariables(
        {
          refId: 'A',
          queryType: 'calls',
          extension: '$ext',
          pbx: '${pbx}',
          direction: '$dir',
          queue: '$q',
          status: 'missed',
          text: 'Ac$pbx',
          state: '$ext',
        },
        { q: { text: 'sales', value: 'sales' } }
      );
      expect(q).toMatchObject({
        extension: '1001,1002',
        pbx: 'main',
        direction: 'inbound',
        queue: 'sales',
        status: 'missed',
        text: 'Acmain',
        state: '1001,1002',
      });
    });

    it('fans a multi-value filter out into one request per value and merges newest first', async () => {
      backend.on(`${PROXY}/api/api/v1/calls`, (req) => ({
        data: {
          items:
            req.params?.extension === '1001'
              ? [call({ id: 'a', startedAt: iso(T0 - 1000) }), call({ id: 'shared', startedAt: iso(T0 - 5000) })]
              : [call({ id: 'b', startedAt: iso(T0 - 2000) }), call({ id: 'shared', startedAt: iso(T0 - 5000) })],
          nextCursor: null,
        },
      }));
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(
        ds.query(request([{ refId: 'A', queryType: 'calls', extension: '$ext', status: 'truly_missed', text: 'acme' }]))
      );
      const params = backend.requests.map((r) => r.params);
      expect(params).toHaveLength(2);
      expect(params.map((p) => p?.extension).sort()).toEqual(['1001', '1002']);
      for (const p of params) {
        expect(p).toMatchObject({ from: T0 - 3600_000, to: T0, status: 'truly_missed', q: 'acme', limit: 500 });
      }
      const ids = res.data[0].fields.find((f: { name: string }) => f.name === 'id').values;
      expect(ids).toEqual(['a', 'b', 'shared']);
    });

    it('follows the cursor up to the limit', async () => {
      let page = 0;
      backend.on(`${PROXY}/api/api/v1/calls`, () => {
        page++;
        return {
          data: { items: Array.from({ length: 500 }, (_, i) => call({ id: `p${page}-${i}` })), nextCursor: `c${page}` },
        };
      });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'calls', limit: 1200 }])));
      expect(backend.requests.map((r) => [r.params?.limit, r.params?.cursor])).toEqual([
        [500, undefined],
        [500, 'c1'],
        [200, 'c2'],
      ]);
      expect(res.data[0].length).toBe(1200);
    });

    it('callBack: looks up the extensions each truly missed inbound call rang at, and which one a call back rings', async () => {
      const leg = (number: string, role: string, at: number) => ({ party: { number }, role, startedAt: iso(T0 - at) });
      backend
        .on(`${PROXY}/api/api/v1/calls`, {
          data: {
            items: [
              call({ id: 'group', direction: 'inbound', trulyMissed: true, from: { number: '+4930123' } }),
              call({ id: 'direct', direction: 'inbound', trulyMissed: true }),
              call({ id: 'ivr', direction: 'inbound', trulyMissed: true }),
              call({ id: 'gone', direction: 'inbound', trulyMissed: true }),
              call({ id: 'answered', direction: 'inbound', trulyMissed: false }),
              call({ id: 'out', direction: 'outbound' }),
            ],
            nextCursor: null,
          },
        })
        .on(`${PROXY}/api/api/v1/calls/group`, {
          data: {
            legs: [
              leg('+4930123', 'trunk', 900),
              leg('1003', 'extension', 800),
              leg('1001', 'extension', 850),
              leg('1001', 'extension', 700),
            ],
          },
        })
        .on(`${PROXY}/api/api/v1/calls/direct`, { data: { legs: [leg('1008', 'extension', 500)] } })
        .on(`${PROXY}/api/api/v1/calls/ivr`, { data: { legs: [leg('+4930999', 'trunk', 500)] } })
        .on(`${PROXY}/api/api/v1/calls/gone`, { status: 404, data: { detail: 'no call' } });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'calls', callBack: true }])));
      // only the truly missed inbound calls cost a request
      expect(
        backend
          .paths()
          .filter((p) => p.includes('/calls/'))
          .sort()
      ).toEqual(['direct', 'gone', 'group', 'ivr'].map((id) => `${PROXY}/api/api/v1/calls/${id}`));
      const frame = res.data[0];
      const col = (name: string) => frame.fields.find((f: { name: string }) => f.name === name).values;
      expect(col('id')).toEqual(['group', 'direct', 'ivr', 'gone', 'answered', 'out']);
      expect(col('rangAt')).toEqual(['1001, 1003', '1008', null, null, null, null]);
      expect(col('callBackFrom')).toEqual(['1001', '1008', null, null, null, null]);

      // filtered to one extension: its owner is looking, so the call back rings that phone
      backend.requests.length = 0;
      templates.vars.ext = '1003';
      const mine = await lastValueFrom(
        ds.query(request([{ refId: 'A', queryType: 'calls', callBack: true, extension: '$ext' }]))
      );
      expect(mine.data[0].fields.find((f: { name: string }) => f.name === 'callBackFrom').values[0]).toBe('1003');
    });

    it('without callBack: no lookups, no call-back fields', async () => {
      backend.on(`${PROXY}/api/api/v1/calls`, {
        data: { items: [call({ id: 'm', direction: 'inbound', trulyMissed: true })], nextCursor: null },
      });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'calls' }])));
      expect(backend.requests).toHaveLength(1);
      expect(res.data[0].fields.map((f: { name: string }) => f.name)).not.toContain('callBackFrom');
    });

    it('treats a custom all value (*) as no filter', async () => {
      backend.on(`${PROXY}/api/api/v1/calls`, { data: { items: [], nextCursor: null } });
      templates.vars.ext = '*';
      const ds = new PbxDataSource(settings());
      await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'calls', extension: '$ext' }])));
      expect(backend.requests).toHaveLength(1);
      expect(backend.requests[0].params?.extension).toBeUndefined();
    });

    it('metricFindQuery lists extensions, queues and pbx names', async () => {
      backend
        .on(`${PROXY}/api/api/v1/extensions`, {
          data: {
            items: [
              extension({ extension: '1010', name: 'Bob' }),
              extension({ extension: '1002' }),
              extension({ extension: '2001', pbx: 'branch' }),
            ],
          },
        })
        .on(`${PROXY}/api/api/v1/queues`, { data: { items: [{ pbx: 'main', queue: 'sales' }] } })
        .on(`${PROXY}/api/api/v1/trunks`, { data: { items: [] } });
      const ds = new PbxDataSource(settings());
      expect(await ds.metricFindQuery({ refId: 'v', kind: 'extensions', pbx: 'demo' })).toEqual([
        { text: '1002 Ext 1002', value: '1002' },
        { text: '1010 Bob', value: '1010' },
      ]);
      expect(await ds.metricFindQuery('queues')).toEqual([{ text: 'sales', value: 'sales' }]);
      expect((await ds.metricFindQuery('pbx')).map((v) => v.value)).toEqual(['branch', 'demo', 'main']);
      await expect(ds.metricFindQuery('phones')).rejects.toThrow(/Unknown variable query/);
      // the variable support Grafana 10+ calls goes through the same path
      const support = ds.variables as PbxVariableSupport;
      const res = await lastValueFrom(
        support.query(request([{ refId: 'v', kind: 'queues' } as unknown as PbxQuery]) as never)
      );
      expect(res.data).toEqual([{ text: 'sales', value: 'sales' }]);
    });
  });

  describe('extension history', () => {
    it('one state-timeline frame per selected extension over the range, unregistered as unavailable', async () => {
      backend
        .on(`${PROXY}/api/api/v1/extensions`, {
          data: {
            items: [extension({ extension: '1001', name: 'Alice' }), extension({ extension: '1002', name: null })],
          },
        })
        .on(`${PROXY}/api/api/v1/extensions/1001/history`, {
          data: {
            items: [
              { pbx: 'demo', at: iso(T0 - 3000_000), state: 'idle', registered: true },
              { pbx: 'demo', at: iso(T0 - 600_000), state: 'in_call', registered: true },
            ],
          },
        })
        .on(`${PROXY}/api/api/v1/extensions/1002/history`, {
          data: { items: [{ pbx: 'demo', at: iso(T0 - 3600_000), state: 'idle', registered: false }] },
        });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(
        ds.query(request([{ refId: 'H', queryType: 'extensions', history: true, extension: '$ext' }]))
      );
      expect(res.state).toBe(LoadingState.Done);
      expect(backend.requests.filter((r) => r.url.endsWith('/history')).map((r) => r.params)).toEqual([
        { from: T0 - 3600_000, to: T0, pbx: 'demo' },
        { from: T0 - 3600_000, to: T0, pbx: 'demo' },
      ]);
      const [alice, bob] = res.data;
      expect(alice.fields[0].values).toEqual([T0 - 3000_000, T0 - 600_000, T0]);
      expect(alice.fields[1].values).toEqual(['idle', 'in_call', 'in_call']);
      expect(alice.fields[1].config.displayNameFromDS).toBe('1001 Alice');
      expect(bob.fields[1].values).toEqual(['unavailable', 'unavailable']);
      expect(FakeEventSource.instances).toHaveLength(0);
    });
  });

  describe('agents', () => {
    const row = (over: Record<string, unknown> = {}) => ({
      bucket: iso(T0 - 3600_000),
      pbx: 'hq',
      extension: '1001',
      name: 'Alice',
      offered: 5,
      answered: 4,
      missed: 1,
      outbound: 3,
      outboundAnswered: 2,
      handled: 6,
      talkSecondsTotal: 600,
      holdSecondsTotal: 60,
      ahtSeconds: 110,
      ...over,
    });

    it("asks the exporter's agent report in the dashboard's time zone, weekly when asked, and filters agents", async () => {
      backend.on(`${PROXY}/api/api/v1/reports/agents`, {
        data: { items: [row(), row({ extension: '1002', name: 'Bob' }), row({ extension: '1003', name: null })] },
      });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(
        ds.query(
          request([{ refId: 'A', queryType: 'agents', interval: '1w', pbx: 'hq', extension: '1001,1003' }], {
            timezone: 'Europe/Berlin',
          })
        )
      );
      expect(backend.requests[0].params).toMatchObject({
        from: T0 - 3600_000,
        to: T0,
        interval: '1w',
        tz: 'Europe/Berlin',
        pbx: 'hq',
      });
      const frame = res.data[0];
      expect(frame.refId).toBe('A');
      const values = (name: string) => frame.fields.find((f: { name: string }) => f.name === name).values;
      expect(values('extension')).toEqual(['1001', '1003']);
      expect(values('name')).toEqual(['Alice', '']);
      expect(values('ahtSeconds')).toEqual([110, 110]);
      expect(values('time')).toEqual([T0 - 3600_000, T0 - 3600_000]);
    });

    it('takes the whole range without an interval, UTC for a UTC dashboard, one PBX at a time', async () => {
      backend.on(`${PROXY}/api/api/v1/reports/agents`, { data: { items: [] } });
      const ds = new PbxDataSource(settings());
      await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'agents', pbx: '*' }], { timezone: 'utc' })));
      expect(backend.requests[0].params).toMatchObject({ tz: 'UTC' });
      expect(backend.requests[0].params?.interval).toBeUndefined();
      expect(backend.requests[0].params?.pbx).toBeUndefined();
      await expect(
        lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'agents', pbx: 'hq,branch' }])))
      ).rejects.toThrow(/one PBX at a time/);
    });

    it("uses the browser's zone for a browser dashboard", () => {
      expect(timeZoneOf('browser')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
      expect(timeZoneOf('America/New_York')).toBe('America/New_York');
    });
  });

  describe('stats', () => {
    it('buckets by $__interval in seconds and groups', async () => {
      backend.on(`${PROXY}/api/api/v1/stats`, {
        data: {
          items: [
            {
              bucket: iso(T0 - 600_000),
              key: 'sales',
              offered: 3,
              answered: 2,
              missed: 1,
              abandoned: 0,
              talkSecondsTotal: 100,
              talkSecondsAvg: 50,
              asaSeconds: 8,
              serviceLevel: 0.66,
              abandonRate: 0,
            },
          ],
        },
      });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(
        ds.query(
          request([{ refId: 'S', queryType: 'stats', groupBy: 'queue', interval: '$__interval', slThreshold: 30 }])
        )
      );
      expect(backend.requests[0].params).toMatchObject({
        interval: 300,
        groupBy: 'queue',
        slThreshold: 30,
        from: T0 - 3600_000,
        to: T0,
      });
      expect(res.data).toHaveLength(1);
      expect(res.data[0].fields.map((f: { name: string }) => f.name)).toEqual([
        'time',
        'offered',
        'answered',
        'missed',
      ]);
    });

    it('falls back to the sparse answer when the filled matrix is too large', async () => {
      backend.on(`${PROXY}/api/api/v1/stats`, (req) =>
        req.params?.fill === false
          ? { data: { items: [] } }
          : {
              status: 400,
              data: {
                type: 'about:blank',
                title: 'Bad Request',
                status: 400,
                detail: '200 keys × 8760 buckets is more than 50000 items; use fill=false or a larger interval',
                parameter: 'fill',
              },
            }
      );
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(ds.query(request([{ refId: 'S', queryType: 'stats', groupBy: 'extension' }])));
      expect(backend.requests.map((r) => r.params?.fill)).toEqual([undefined, false]);
      expect(res.state).toBe(LoadingState.Done);
    });

    it('narrows the KPIs to one PBX and refuses to merge ratios of several', async () => {
      backend.on(`${PROXY}/api/api/v1/stats`, { data: { items: [] } });
      const ds = new PbxDataSource(settings());
      await lastValueFrom(ds.query(request([{ refId: 'S', queryType: 'stats', pbx: 'hq' }])));
      expect(backend.requests[0].params?.pbx).toBe('hq');
      await expect(
        lastValueFrom(ds.query(request([{ refId: 'S', queryType: 'stats', pbx: 'hq,branch' }])))
      ).rejects.toThrow(/one PBX at a time/);
    });

    it('reports any other stats error', async () => {
      backend.on(`${PROXY}/api/api/v1/stats`, {
        status: 400,
        data: { title: 'Bad Request', status: 400, detail: 'is not a duration', parameter: 'interval' },
      });
      const ds = new PbxDataSource(settings());
      await expect(lastValueFrom(ds.query(request([{ refId: 'S', queryType: 'stats' }])))).rejects.toThrow(
        /answered 400: Bad Request: is not a duration: \(parameter interval\)/
      );
    });

    it("widens the interval so a long range stays within the exporter's 10,000 buckets", async () => {
      backend.on(`${PROXY}/api/api/v1/stats`, { data: { items: [] } });
      const ds = new PbxDataSource(settings());
      const from = dateTime(T0 - 90 * 86_400_000);
      await lastValueFrom(
        ds.query(
          request([{ refId: 'S', queryType: 'stats', interval: '1m' }], {
            range: { from, to: dateTime(T0), raw: { from: 'now-90d', to: 'now' } },
          })
        )
      );
      expect(backend.requests[0].params?.interval).toBe(Math.ceil((90 * 86_400) / 10_000));
    });
  });

  describe('gaps', () => {
    it("keeps the exporter's own outages under a PBX filter: they hid that PBX's calls too", async () => {
      backend.on(`${PROXY}/api/api/v1/gaps`, {
        data: {
          items: [
            {
              id: 1,
              pbx: 'hq',
              kind: 'source',
              reason: 'connection lost',
              startedAt: iso(T0 - 900_000),
              endedAt: iso(T0 - 800_000),
            },
            {
              id: 2,
              pbx: 'branch',
              kind: 'source',
              reason: 'login failed',
              startedAt: iso(T0 - 700_000),
              endedAt: null,
            },
            {
              id: 3,
              pbx: null,
              kind: 'exporter',
              reason: 'exporter stopped',
              startedAt: iso(T0 - 600_000),
              endedAt: iso(T0 - 500_000),
            },
          ],
        },
      });
      const ds = new PbxDataSource(settings());
      const res = await lastValueFrom(ds.query(request([{ refId: 'G', queryType: 'gaps', pbx: 'hq' }])));
      const text = res.data[0].fields.find((f: { name: string }) => f.name === 'text')?.values;
      expect(text).toEqual(['connection lost', 'exporter stopped']);
    });
  });

  describe('live streaming', () => {
    it('snapshot through the proxy, then deltas re-emit the full frame under the same key, then teardown closes', async () => {
      backend.on(`${PROXY}/api/api/v1/extensions`, {
        data: { items: [extension({ extension: '1001' }), extension({ extension: '1002', state: 'in_call' })] },
      });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const responses: DataQueryResponse[] = [];
      const sub: Subscription = ds
        .query(request([{ refId: 'W', queryType: 'extensions', state: '' }]))
        .subscribe((r) => responses.push(r));
      await flush();

      expect(responses).toHaveLength(1);
      expect(responses[0]).toMatchObject({ key: 'W', state: LoadingState.Streaming });
      expect(responses[0].data[0].length).toBe(2);

      const es = FakeEventSource.instances[0];
      es.open();
      es.emit('snapshot', {
        extensions: [
          extension({ extension: '1001' }),
          extension({ extension: '1002' }),
          extension({ extension: '1003' }),
        ],
        queues: [],
        trunks: [],
        calls: [],
        sources: [],
      });
      es.emit('extension', extension({ extension: '1003', state: 'ringing', updatedAt: iso(T0 + 5000) }));
      const last = responses[responses.length - 1];
      expect(last.key).toBe('W');
      expect(last.state).toBe(LoadingState.Streaming);
      const frame = last.data[0];
      expect(frame.length).toBe(3);
      expect(frame.fields.find((f: { name: string }) => f.name === 'state').values).toEqual([
        'idle',
        'idle',
        'ringing',
      ]);

      sub.unsubscribe();
      expect(es.closed).toBe(true);
      expect(ds.liveStatus()).toBe('idle');
    });

    it('shares ONE EventSource between live queries and panels of the same data source', async () => {
      backend
        .on(`${PROXY}/api/api/v1/extensions`, { data: { items: [] } })
        .on(`${PROXY}/api/api/v1/calls/active`, { data: { items: [call({ id: 'x', open: true })] } });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const panel1 = ds
        .query(
          request([
            { refId: 'A', queryType: 'extensions' },
            { refId: 'B', queryType: 'activeCalls' },
          ])
        )
        .subscribe();
      const panel2 = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe();
      await flush();
      expect(FakeEventSource.instances).toHaveLength(1);
      panel1.unsubscribe();
      expect(FakeEventSource.instances[0].closed).toBe(false);
      panel2.unsubscribe();
      expect(FakeEventSource.instances[0].closed).toBe(true);
    });

    it('filters live rows with interpolated variables', async () => {
      backend.on(`${PROXY}/api/api/v1/extensions`, {
        data: { items: ['1001', '1002', '1003'].map((e) => extension({ extension: e })) },
      });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const responses: DataQueryResponse[] = [];
      const sub = ds
        .query(request([{ refId: 'A', queryType: 'extensions', extension: '$ext' }]))
        .subscribe((r) => responses.push(r));
      await flush();
      expect(responses[0].data[0].fields[0].values).toEqual(['1001', '1002']);
      sub.unsubscribe();
    });

    it('while the stream is down, frames carry a warning notice and polling keeps them fresh', async () => {
      jest.useFakeTimers();
      try {
        let n = 0;
        backend.on(`${PROXY}/api/api/v1/extensions`, () => ({
          data: { items: [extension({ extension: String(1000 + ++n) })] },
        }));
        const responses: DataQueryResponse[] = [];
        const { ds, sub } = pollingQuery(responses);
        await flush();
        FakeEventSource.instances[0].fail();
        // backoff 1 s plus up to 20% jitter
        jest.advanceTimersByTime(1200);
        FakeEventSource.instances[1].fail();
        await flush();
        jest.advanceTimersByTime(2000);
        await flush();
        const last = responses[responses.length - 1];
        expect(ds.liveStatus()).toBe('polling');
        expect(last.data[0].meta.notices[0]).toMatchObject({ severity: 'warning' });
        expect(last.data[0].meta.notices[0].text).toMatch(/polling every 2 s/);
        expect(n).toBeGreaterThanOrEqual(3);
        sub.unsubscribe();
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });

    it('a disconnected PBX: a warning naming it, its rows stale since then, its status in meta.custom.sources', async () => {
      backend.on(`${PROXY}/api/api/v1/extensions`, { data: { items: [extension({ extension: '1001' })] } });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const responses: DataQueryResponse[] = [];
      const sub = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe((r) => responses.push(r));
      await flush();
      const es = FakeEventSource.instances[0];
      es.emit('snapshot', {
        extensions: [extension({ extension: '1001' }), extension({ extension: '2001', pbx: 'branch' })],
        sources: [
          { pbx: 'demo', kind: 'ami', connected: true },
          { pbx: 'branch', kind: 'ami', connected: true },
        ],
      });
      const last = () => responses[responses.length - 1].data[0];
      const col = (name: string) => last().fields.find((f: { name: string }) => f.name === name).values;
      expect(last().meta.notices).toBeUndefined();
      expect(col('stale')).toEqual([false, false]);
      es.emit('source', { pbx: 'demo', kind: 'ami', connected: false, reason: 'login failed', since: T0 });
      expect(last().meta.notices).toEqual([
        {
          severity: 'warning',
          text: `PBX demo is disconnected since ${dateTimeFormat(T0, { format: 'HH:mm:ss' })} (login failed): its live state may be out of date`,
        },
      ]);
      expect(col('stale')).toEqual([false, true]);
      expect(col('staleSince')).toEqual([null, T0]);
      expect(last().meta.custom.sources).toEqual([
        { pbx: 'branch', connected: true, live: true, since: null, reason: null },
        { pbx: 'demo', connected: false, live: true, since: T0, reason: 'login failed' },
      ]);
      sub.unsubscribe();
    });

    it('emits nothing before the first snapshot while the stream fails, then the snapshot (no error flash)', async () => {
      let answer: (v: Reply) => void = () => undefined;
      backend.on(`${PROXY}/api/api/v1/extensions`, () => new Promise((r) => (answer = r)));
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const responses: DataQueryResponse[] = [];
      const sub = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe((r) => responses.push(r));
      FakeEventSource.instances[0].fail();
      await flush();
      expect(responses).toEqual([]);
      answer({ data: { items: [extension({ extension: '1001' })] } });
      await flush();
      expect(responses.map((r) => r.state)).toEqual([LoadingState.Streaming]);
      expect(responses[0].errors).toBeUndefined();
      sub.unsubscribe();
    });

    it('a failing first snapshot is an error for the panel', async () => {
      backend.on(`${PROXY}/api/api/v1/extensions`, { status: 401, data: { message: 'Unauthorized' } });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create, throttleMs: 0 });
      const responses: DataQueryResponse[] = [];
      const sub = ds.query(request([{ refId: 'A', queryType: 'extensions' }])).subscribe((r) => responses.push(r));
      await flush();
      expect(responses).toHaveLength(1);
      expect(responses[0].state).toBe(LoadingState.Error);
      expect(responses[0].errors![0].message).toMatch(/401/);
      sub.unsubscribe();
    });

    it('an unreachable exporter (stream and snapshots fail): every row stale since the stream was lost', async () => {
      jest.useFakeTimers({ now: T0 });
      try {
        let up = true;
        backend.on(`${PROXY}/api/api/v1/extensions`, () =>
          up
            ? { data: { items: [extension({ extension: '1001' })] } }
            : { status: 502, data: { message: 'Bad Gateway' } }
        );
        const responses: DataQueryResponse[] = [];
        const { sub } = pollingQuery(responses);
        await flush();
        FakeEventSource.instances[0].emit('snapshot', { extensions: [extension({ extension: '1001' })], sources: [] });
        jest.setSystemTime(T0 + 10_000);
        up = false;
        FakeEventSource.instances[0].fail();
        jest.advanceTimersByTime(1200);
        FakeEventSource.instances[1].fail();
        await flush();
        const last = responses[responses.length - 1];
        expect(last.state).toBe(LoadingState.Streaming);
        const frame = last.data[0];
        expect(frame.fields.find((f: { name: string }) => f.name === 'stale').values).toEqual([true]);
        expect(frame.fields.find((f: { name: string }) => f.name === 'staleSince').values).toEqual([T0 + 10_000]);
        expect(frame.meta.custom.unreachableSince).toBe(T0 + 10_000);
        // the exporter answers again: fresh
        up = true;
        jest.advanceTimersByTime(2000);
        await flush();
        const again = responses[responses.length - 1].data[0];
        expect(again.fields.find((f: { name: string }) => f.name === 'stale').values).toEqual([false]);
        expect(again.meta.custom.unreachableSince).toBeNull();
        sub.unsubscribe();
      } finally {
        jest.useRealTimers();
      }
    });

    it('answers a snapshot once when live is off', async () => {
      backend.on(`${PROXY}/api/api/v1/calls/active`, {
        data: { items: [call({ id: 'x', open: true, startedAt: iso(Date.now() - 5000) })] },
      });
      const ds = new PbxDataSource(settings(), { createEventSource: FakeEventSource.create });
      const res = await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'activeCalls', live: false }])));
      expect(res.state).toBe(LoadingState.Done);
      expect(FakeEventSource.instances).toHaveLength(0);
      expect(
        res.data[0].fields.find((f: { name: string }) => f.name === 'durationSeconds').values[0]
      ).toBeGreaterThanOrEqual(5);
    });
  });

  describe('superseded requests', () => {
    it('one request id per panel and query (per part when fanned out), so a re-run cancels the one in flight', async () => {
      backend.on(`${PROXY}/api/api/v1/calls`, { data: { items: [], nextCursor: null } });
      const ds = new PbxDataSource(settings());
      await lastValueFrom(
        ds.query(request([{ refId: 'A', queryType: 'calls', extension: '$ext' }], { panelId: 7, dashboardUID: 'wall' }))
      );
      expect(backend.requests.map((r) => r.requestId)).toEqual(['switchboard-wall-7-A-0', 'switchboard-wall-7-A-1']);
    });

    it('unsubscribing aborts the requests in flight', async () => {
      backend.on(`${PROXY}/api/api/v1/gaps`, () => new Promise(() => undefined));
      const ds = new PbxDataSource(settings());
      const sub = ds.query(request([{ refId: 'G', queryType: 'gaps' }], { panelId: 3 })).subscribe();
      await flush();
      expect(backend.requests.map((r) => r.requestId)).toEqual(['switchboard--3-G']);
      expect(backend.aborted).toHaveLength(0);
      sub.unsubscribe();
      expect(backend.aborted.map((r) => r.url)).toEqual([`${PROXY}/api/api/v1/gaps`]);
    });
  });

  describe('testDatasource', () => {
    const ok = () =>
      backend
        .on(`${PROXY}/api/healthz`, { data: { status: 'ok' } })
        .on(`${PROXY}/api/readyz`, { data: { status: 'ready' } })
        .on(`${PROXY}/api/api/v1/extensions`, { data: { items: [extension({ extension: '1001' })] } })
        .on(`${PROXY}/api/api/v1/version`, { data: { version: '0.1.0' } });

    it('succeeds with version and extension count', async () => {
      ok();
      const res = await new PbxDataSource(settings()).testDatasource();
      expect(res).toMatchObject({
        status: 'success',
        message: 'Connected to the Switchboard exporter 0.1.0: 1 extension live.',
      });
    });

    it('says when the exporter is unreachable', async () => {
      ok().on(`${PROXY}/api/healthz`, { status: 502, data: { message: 'Bad Gateway' } });
      const res = await new PbxDataSource(settings()).testDatasource();
      expect(res.status).toBe('error');
      expect(res.message).toMatch(/Cannot reach the exporter at http:\/\/exporter:10027 \(HTTP 502\)/);
    });

    it('says when the exporter is not ready, with its reasons', async () => {
      ok().on(`${PROXY}/api/readyz`, {
        status: 503,
        data: { status: 'not ready', reasons: [{ component: 'source main', reason: 'AMI login failed' }] },
      });
      const res = await new PbxDataSource(settings()).testDatasource();
      expect(res.status).toBe('error');
      expect(res.message).toMatch(/not ready: source main: AMI login failed/);
    });

    it('says when the token is rejected', async () => {
      ok().on(`${PROXY}/api/api/v1/extensions`, {
        status: 401,
        data: { title: 'Unauthorized', status: 401, detail: 'the bearer token is not valid' },
      });
      const res = await new PbxDataSource(settings()).testDatasource();
      expect(res.status).toBe('error');
      expect(res.message).toMatch(/Authentication failed \(HTTP 401\)/);
    });

    it('asks for a URL first', async () => {
      const res = await new PbxDataSource(settings({})).testDatasource();
      expect(res).toMatchObject({ status: 'error' });
      expect(res.message).toMatch(/exporter URL/);
      expect(backend.requests).toHaveLength(0);
    });
  });
});
