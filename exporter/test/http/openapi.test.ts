import { getJson, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ROUTES = [
  '/api/v1/calls',
  '/api/v1/calls/active',
  '/api/v1/calls/{id}',
  '/api/v1/calls/{id}/transfer',
  '/api/v1/extensions',
  '/api/v1/extensions/{ext}/history',
  '/api/v1/extensions/{ext}/status',
  '/api/v1/extensions/{ext}/status/history',
  '/api/v1/queues',
  '/api/v1/trunks',
  '/api/v1/conferences',
  '/api/v1/parked-calls',
  '/api/v1/gaps',
  '/api/v1/stats',
  '/api/v1/reports/agents',
  '/api/v1/version',
  '/api/v1/stream',
];

describe('/openapi.json', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, asserted field by field
  let doc: any;
  beforeAll(async () => {
    const r = await getJson(`${h.url}/openapi.json`);
    expect(r.status).toBe(200);
    doc = r.body;
  });

  it('is an OpenAPI 3.1 document of every API route, and only those', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toMatch(/Switchboard/);
    expect(Object.keys(doc.paths).sort()).toEqual([...ROUTES].sort());
    for (const p of ROUTES) {
      for (const op of Object.values(doc.paths[p]) as { summary?: unknown }[]) expect([p, typeof op.summary]).toEqual([p, 'string']);
    }
    // call control: its own tag, beside reading the same paths
    expect(Object.keys(doc.paths['/api/v1/calls']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/calls/{id}']).sort()).toEqual(['delete', 'get']);
    expect(doc.paths['/api/v1/calls/{id}/transfer'].post.tags).toEqual(['control']);
  });

  it('documents the query parameters with their limits', () => {
    const params = Object.fromEntries(
      doc.paths['/api/v1/calls'].get.parameters.map((p: { name: string }) => [p.name, p]),
    );
    expect(Object.keys(params).sort()).toEqual(
      [
        'cursor',
        'direction',
        'extension',
        'format',
        'from',
        'limit',
        'page',
        'pageSize',
        'pbx',
        'q',
        'queue',
        'status',
        'to',
      ].sort(),
    );
    expect(params.limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(params.status.schema.enum).toEqual(expect.arrayContaining(['missed', 'truly_missed', 'unreturned']));
    const stats = doc.paths['/api/v1/stats'].get.parameters.map((p: { name: string }) => p.name);
    expect(stats.sort()).toEqual(['fill', 'format', 'from', 'groupBy', 'interval', 'pbx', 'slThreshold', 'to', 'tz']);
    const id = doc.paths['/api/v1/calls/{id}'].get.parameters.find((p: { in: string }) => p.in === 'path');
    expect(id).toMatchObject({ name: 'id', required: true });
  });

  it('describes responses with named schemas that all resolve, and the bearer scheme', () => {
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const refs = new Set<string>();
    JSON.stringify(doc, (k, v) => {
      if (k === '$ref') refs.add(v);
      return v;
    });
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect([ref, doc.components.schemas[ref.split('/').pop()!] !== undefined]).toEqual([ref, true]);
    }
    const call = doc.components.schemas.Call;
    for (const field of [
      'id',
      'pbx',
      'direction',
      'status',
      'startedAt',
      'ringSeconds',
      'talkSeconds',
      'trulyMissed',
      'returnedAt',
    ]) {
      expect(call.properties[field]).toBeDefined();
    }
    expect(doc.paths['/api/v1/calls'].get.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    expect(Object.keys(doc.paths['/api/v1/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
  });
});

describe('/docs', () => {
  it('serves the API reference page and its assets locally', async () => {
    const r = await fetch(`${h.url}/docs`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toMatch(/swagger-ui/i);
    const js = /src="([^"]*swagger-ui-bundle\.js)"/.exec(html);
    expect(js).not.toBeNull();
    const asset = await fetch(new URL(js![1], `${h.url}/docs/`).toString());
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(1000);
  });
});
