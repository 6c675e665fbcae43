import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { startAmiDemo, type AmiDemo } from '../../src/demo/ami';
import { tempDir } from '../helpers/tmp';
import { getJson, testConfig } from '../http/harness';

const CONTROL = 'control-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

async function send(method: string, url: string, body?: unknown, token = CONTROL): Promise<{ status: number; body: AnyJson; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { ...auth(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Polls until `fn` resolves to something, or fails naming what it waited for. */
async function until<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Call control end to end: HTTP with a control token → the AMI source → real AMI over TCP → the demo PBX, which
 * executes Originate, Hangup, BlindTransfer and Atxfer and reports them in events → correlation → the call record in
 * the API. The demo makes no calls of its own here: every call is one the test started.
 */
describe('call control over AMI', () => {
  const tmp = tempDir('sb-control-');
  let demo: AmiDemo;
  let app: App;

  beforeAll(async () => {
    demo = await startAmiDemo({ speed: 10, traffic: false, log: pino({ level: 'silent' }) });
    const config = testConfig({
      server: { host: '127.0.0.1', port: 0 },
      store: { path: `${tmp.dir}/sb.db`, flushMs: 20, backup: { enabled: false } },
      auth: {
        tokens: [
          { name: 'grafana', token: READ, scopes: ['read'] },
          { name: 'wallboard-robot', token: CONTROL, scopes: ['read', 'control'] },
        ],
      },
      sources: [{ name: 'office', kind: 'ami', host: '127.0.0.1', port: demo.port, username: demo.username, secret: demo.secret }],
    });
    app = await startApp(config, pino({ level: 'silent' }));
  }, 30000);
  afterAll(async () => {
    await app?.stop();
    await demo?.stop();
    tmp.cleanup();
  });

  const active = (id: string): Promise<AnyJson> =>
    until(async () => {
      const r = await getJson(`${app.url}/api/v1/calls/${encodeURIComponent(id)}`, auth(READ));
      return r.status === 200 && r.body.open && r.body.status === 'active' ? r.body : undefined;
    }, `call ${id} connected`);
  const finished = (id: string): Promise<AnyJson> =>
    until(async () => {
      const r = await getJson(`${app.url}/api/v1/calls?pbx=office&limit=50`, auth(READ));
      return r.body.items.find((c: AnyJson) => c.id === id && !c.open);
    }, `call ${id} in the history`);
  const detail = async (id: string): Promise<AnyJson> => (await getJson(`${app.url}/api/v1/calls/${encodeURIComponent(id)}`, auth(READ))).body;

  it('click-to-dial: 202 with the call id, the phone rings, the call connects; hangup ends it; the record is in /api/v1/calls', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1001', target: '1002' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ callId: expect.stringMatching(/^office-/), pbx: 'office', action: 'dial' });
    const id: string = r.body.callId;
    expect(r.headers.get('location')).toBe(`/api/v1/calls/${encodeURIComponent(id)}`);

    const call = await active(id);
    expect(call).toMatchObject({ direction: 'internal', from: { number: '1001' }, to: { number: '1002' } });

    const h = await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`);
    expect(h).toMatchObject({ status: 202, body: { callId: id, action: 'hangup' } });
    const done = await finished(id);
    expect(done).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1001' }, to: { number: '1002' } });
    // hung up long before the demo's own talk time (30 s of PBX time at speed 10) was over
    expect(done.talkSeconds).toBeLessThan(3);

    // a finished call cannot be hung up again; an unknown one is not found
    expect((await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`)).status).toBe(409);
    expect((await send('DELETE', `${app.url}/api/v1/calls/office-nope`)).status).toBe(404);
  });

  it('click-to-dial to an outside number goes out through the trunk', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { pbx: 'office', extension: '1004', target: '+4930123456' });
    expect(r.status).toBe(202);
    const call = await active(r.body.callId);
    expect(call).toMatchObject({ direction: 'outbound', from: { number: '1004' }, to: { number: '+4930123456' } });
    expect((await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(r.body.callId)}`)).status).toBe(202);
    expect(await finished(r.body.callId)).toMatchObject({ direction: 'outbound', status: 'answered' });
  });

  it('hangup cancels a call that is still ringing', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1006', target: '1007' });
    const id: string = r.body.callId;
    await until(async () => {
      const c = await getJson(`${app.url}/api/v1/calls/${encodeURIComponent(id)}`, auth(READ));
      return c.status === 200 && c.body.status === 'ringing' ? true : undefined;
    }, 'the phone ringing');
    expect((await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`)).status).toBe(202);
    const done = await finished(id);
    expect(done.answeredAt ?? null).toBeNull();
    expect(done.status).not.toBe('answered');
  });

  it('blind transfer: the caller goes on to the target, the transferer drops out', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1001', target: '1002' });
    const id: string = r.body.callId;
    await active(id);
    // 1002 answered, so 1002 hands 1001 over to 1003
    const t = await send('POST', `${app.url}/api/v1/calls/${encodeURIComponent(id)}/transfer`, { target: '1003' });
    expect(t).toMatchObject({ status: 202, body: { callId: id, action: 'transfer' } });
    const moved = await until(async () => {
      const c = await detail(id);
      return c.legs?.some((l: AnyJson) => l.party.number === '1003' && l.answeredAt) ? c : undefined;
    }, '1003 answering the transferred call');
    expect(moved.transfers).toEqual([expect.objectContaining({ kind: 'blind', by: expect.objectContaining({ number: '1002' }), to: expect.objectContaining({ number: '1003' }) })]);
    expect(moved.legs.find((l: AnyJson) => l.party.number === '1002').endedAt).toBeDefined();
    expect((await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`)).status).toBe(202);
    expect(await finished(id)).toMatchObject({ status: 'answered' });
  });

  it('attended transfer: the transferer consults the target, then hands the call over', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1005', target: '1006' });
    const id: string = r.body.callId;
    await active(id);
    const t = await send('POST', `${app.url}/api/v1/calls/${encodeURIComponent(id)}/transfer`, { target: '1007', kind: 'attended' });
    expect(t).toMatchObject({ status: 202, body: { action: 'attendedTransfer' } });
    const moved = await until(async () => {
      const c = await detail(id);
      return c.transfers?.length ? c : undefined;
    }, 'the attended transfer in the record');
    expect(moved.transfers[0]).toMatchObject({ kind: 'attended', to: { number: '1007' } });
    expect((await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`)).status).toBe(202);
    await finished(id);
  });

  it('a transfer of a call nobody answered yet is a conflict, named', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1008', target: '1003' });
    const id: string = r.body.callId;
    await until(async () => ((await detail(id)).status === 'ringing' ? true : undefined), 'ringing');
    const t = await send('POST', `${app.url}/api/v1/calls/${encodeURIComponent(id)}/transfer`, { target: '1004' });
    expect(t.status).toBe(409);
    expect(t.body.detail).toMatch(/no answered extension/);
    await send('DELETE', `${app.url}/api/v1/calls/${encodeURIComponent(id)}`);
  });

  it('read tokens get 403, no token 401; every request is counted by action and result', async () => {
    const none = await fetch(`${app.url}/api/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"extension":"1001","target":"1002"}' });
    expect(none.status).toBe(401);
    const read = await send('POST', `${app.url}/api/v1/calls`, { extension: '1001', target: '1002' }, READ);
    expect(read.status).toBe(403);
    expect(read.body.detail).toMatch(/"grafana" lacks the "control" scope/);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="dial",result="denied"\} 2$/m);
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="dial",result="accepted"\} [5-9]$/m);
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="transfer",result="conflict"\} 1$/m);
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="attendedTransfer",result="accepted"\} 1$/m);
  });

  it('bad input is a 400 naming the field, before anything reaches the PBX', async () => {
    const r = await send('POST', `${app.url}/api/v1/calls`, { extension: '1001', target: '1002\r\nAction: Logoff' });
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe('target');
    const p = await send('POST', `${app.url}/api/v1/calls`, { pbx: 'elsewhere', extension: '1001', target: '1002' });
    expect(p).toMatchObject({ status: 400, body: { parameter: 'pbx' } });
  });
});
