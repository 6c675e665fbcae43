import fc from 'fast-check';
import { until } from '../ami/harness';
import { eventually } from '../helpers/cli';
import { sign } from '../../src/wire/signature';
import { answeredCall, API_TOKEN, at, ingestServer, post, SECRET, type IngestServer } from './harness';

describe('webhook ingest over HTTP', () => {
  let s: IngestServer;
  beforeEach(async () => {
    s = await ingestServer({ maxBodyBytes: 4096 });
  });
  afterEach(async () => {
    await s.close();
  });

  it('a correctly signed request is accepted: ring → answer → hangup is one answered call', async () => {
    const r = await post(s.url, answeredCall('c1'));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ accepted: 3, rejected: [] });
    await until(() => s.ended.length === 1 || undefined, 'the call to close');
    expect(s.ended[0]).toMatchObject({
      id: 'hooks-c1',
      direction: 'inbound',
      status: 'answered',
      from: { number: '+4930111001', name: 'Anna' },
      to: { number: '101' },
      answeredBy: { number: '101', name: 'Alice' },
      ringMs: 5000,
      talkMs: 60_000,
    });
  });

  it('rejects a bad, missing or expired signature with 401 and applies nothing', async () => {
    const body = answeredCall('c2');
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      await post(s.url, body, { secret: 'not-the-secret' }),
      await post(s.url, body, { secret: null }),
      await post(s.url, body, { signature: 'v1=zz' }),
      // each 10 s past the window, from a clock read just before sending: under load a second can pass between
      // the test's `now` and the server's check, which put a fixed now + 301 back inside the 300 s window
      await post(s.url, body, { timestamp: Math.floor(Date.now() / 1000) - 310 }),
      await post(s.url, body, { timestamp: Math.floor(Date.now() / 1000) + 310 }),
      // signed correctly, then the body changed on the way
      await post(s.url, body.replace('Anna', 'Mallory'), { signature: sign(SECRET, now, body), timestamp: now }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(cases.map((c) => c.body.detail)).toEqual([
      'signature does not match',
      'missing x-switchboard-timestamp header',
      'x-switchboard-signature must be v1=<64 hex digits>',
      "x-switchboard-timestamp is more than 300 s from the server's clock",
      "x-switchboard-timestamp is more than 300 s from the server's clock",
      'signature does not match',
    ]);
    expect(cases[0].headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(s.ended).toEqual([]);
  });

  it('a replayed request (same signature) is refused with 409; an Idempotency-Key retry returns the first answer, stored once', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const first = await post(s.url, answeredCall('c3'), { timestamp: ts });
    const replay = await post(s.url, answeredCall('c3'), { timestamp: ts });
    expect([first.status, replay.status]).toEqual([202, 409]);
    expect(replay.body.detail).toMatch(/replay/);

    const body = answeredCall('c4');
    const a = await post(s.url, body, { key: 'order-4711' });
    const b = await post(s.url, body, { key: 'order-4711', timestamp: ts });
    const c = await post(s.url, body, { key: 'order-4711', timestamp: ts });
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
    expect(b.body).toEqual(a.body);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')]).toEqual([null, 'true']);
    await until(() => s.ended.length === 2 || undefined, 'both calls to close');
    expect(s.ended.map((x) => x.id)).toEqual(['hooks-c3', 'hooks-c4']);
    // stored once: the API (behind its own bearer token, which ingest does not need) has each call once
    const stored = await eventually(
      async () => {
        const r = await fetch(`${s.url}/api/v1/calls?pbx=hooks`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
        const items = ((await r.json()) as { items: { id: string }[] }).items;
        return items.length === 2 ? items : undefined;
      },
      10_000,
      'both calls in the store',
    );
    expect(stored.map((c) => c.id).sort()).toEqual(['hooks-c3', 'hooks-c4']);
    expect((await fetch(`${s.url}/api/v1/calls`)).status).toBe(401);
    // the same key for something else is a mistake, not a retry
    const other = await post(s.url, answeredCall('c5'), { key: 'order-4711' });
    expect(other.status).toBe(422);
    expect(other.body.parameter).toBe('Idempotency-Key');
  });

  it("an oversized body is refused with 413, whether the source's limit or the route's is hit", async () => {
    const big = JSON.stringify({ events: [{ type: 'hangup', call: 'x', at: at(0) }], source: 'y'.repeat(5000) });
    const huge = 'z'.repeat(300 * 1024);
    const r1 = await post(s.url, big);
    const r2 = await post(s.url, huge);
    expect([r1.status, r2.status]).toEqual([413, 413]);
    expect(r1.body.detail).toBe(`body of ${Buffer.byteLength(big)} bytes; the limit is 4096`);
  });

  it('names what is wrong: unknown source 404, not JSON 415/400, schema violations 400 with the path', async () => {
    const unknown = await post(s.url, answeredCall('c6'), { source: 'nobody' });
    const type = await post(s.url, answeredCall('c6'), { contentType: 'text/plain' });
    const notJson = await post(s.url, '{"events": [');
    const badType = await post(
      s.url,
      JSON.stringify({
        events: [
          { type: 'ring', call: 'c7', at: at(0), direction: 'sideways', from: { number: '1' }, to: { number: '2' } },
        ],
      }),
    );
    const extra = await post(
      s.url,
      JSON.stringify({ events: [{ type: 'hangup', call: 'c7', at: at(0), colour: 'red' }] }),
    );
    expect([unknown.status, type.status, notJson.status, badType.status, extra.status]).toEqual([
      404, 415, 400, 400, 400,
    ]);
    expect(notJson.body.detail).toMatch(/^body is not JSON/);
    expect(String(badType.body.detail)).toMatch(/^\/events\/0/);
    expect(String(badType.body.parameter)).toMatch(/^body\.events\.0/);
  });

  it('valid events that cannot be applied are reported per event and counted; the rest still applies', async () => {
    const r = await post(
      s.url,
      JSON.stringify({
        events: [
          { type: 'answer', call: 'never-rung', at: at(1) },
          { type: 'extension', at: at(2), extension: '101', name: 'Alice', state: 'in_call' },
          { type: 'hangup', call: 'c8', at: '2026-02-31T25:00:00Z' },
        ],
      }),
    );
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 0,
          reason: 'unknown call',
          detail: 'answer for call "never-rung", which was never rung (or has ended)',
        },
        { index: 2, reason: 'bad time', detail: 'at: "2026-02-31T25:00:00Z" is no real date and time' },
      ],
    });
    expect(s.extensions).toEqual([
      expect.objectContaining({
        pbx: 'hooks',
        extension: '101',
        name: 'Alice',
        state: 'in_call',
        registered: true,
        dnd: false,
      }),
    ]);
    expect(s.rejected.map((x) => x.reason)).toEqual(['unknown call', 'bad time']);
  });

  it('documents itself: the event schema in the OpenAPI document, the source and its capabilities in /api/v1/version', async () => {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, { schema: { title?: string } }> }; security?: unknown[] } }
      >;
    };
    const ingest = doc.paths['/api/v1/ingest/{source}']?.post;
    expect(ingest?.requestBody?.content['application/json'].schema.title).toBe('Canonical call events');
    expect(ingest?.security).toEqual([]);
    const version = (await (
      await fetch(`${s.url}/api/v1/version`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
    ).json()) as { sources: unknown[] };
    expect(version.sources).toEqual([{ pbx: 'hooks', kind: 'webhook', capabilities: { live: true, control: [] } }]);
  });

  it('fuzzed bodies, signed or not, never make it fail with a 5xx', async () => {
    const valid = JSON.parse(answeredCall('fz')) as { events: Record<string, unknown>[] };
    const json = fc.jsonValue({ maxDepth: 6 });
    const mutated = fc
      .record({
        i: fc.nat(2),
        key: fc.constantFrom(
          'type',
          'call',
          'at',
          'direction',
          'from',
          'to',
          'by',
          'reason',
          '__proto__',
          'constructor',
        ),
        value: json,
      })
      .map(({ i, key, value }) => {
        const events = structuredClone(valid.events);
        (events[i] as Record<string, unknown>)[key] = value;
        return JSON.stringify({ events });
      });
    const bodies = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      json.map((v) => JSON.stringify(v)),
      fc.array(json, { maxLength: 5 }).map((events) => JSON.stringify({ events })),
      mutated,
      fc.constant('['.repeat(10_000)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, signed) => {
        const r = await post(s.url, body, signed ? {} : { signature: 'v1=' + 'a'.repeat(64) });
        // the size is checked first (no work for an oversized body), then the signature, then anything else
        return r.status < 500 && (signed || r.status === 401 || r.status === 413);
      }),
      { numRuns: 300 },
    );
  });
});
