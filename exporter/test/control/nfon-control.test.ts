import { nfonRig, type NfonRig } from '../nfon/harness';

const CONTROL = 'control-token-0123456789abcdef';

async function send(method: string, url: string, body?: unknown): Promise<{ status: number; body: { [k: string]: unknown } }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${CONTROL}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

async function until<T>(fn: () => T | undefined, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * NFON call control end to end: HTTP with a control token → the NFON source → NFON's click-to-dial and cancel
 * endpoints on the fake CTI API (real HTTP) → the call's events on the calls stream (real SSE) → the call record.
 */
describe('call control over NFON', () => {
  let rig: NfonRig;
  beforeAll(async () => {
    rig = await nfonRig({
      fake: { clickToDial: { callerAnswerMs: 150, stepMs: 250, talkMs: 1500 } },
      tokens: [{ name: 'crm', token: CONTROL, scopes: ['read', 'control'] }],
    });
    await until(() => rig.statuses.some((s) => s.connected) || undefined, 'the source connected');
  });
  afterAll(() => rig.close());

  it('click-to-dial: 202 with the id the call record carries; the call goes out from the extension', async () => {
    const r = await send('POST', `${rig.http.url}/api/v1/calls`, { extension: '100', target: '+4989123456' });
    expect(r.status).toBe(202);
    const id = r.body.callId as string;
    expect(id).toMatch(/^cloud-[0-9a-f-]{36}$/);
    // what NFON was asked: the extension calls the number, each in its context
    const post = rig.fake.seen('POST', '/v1/extensions/phone/calls');
    expect(post).toHaveLength(1);
    expect(post[0].authorization).toMatch(/^Bearer /);
    const done = await until(() => rig.ended.find((c) => c.id === id), 'the call record');
    expect(done).toMatchObject({ direction: 'outbound', status: 'answered', from: { number: '100' }, to: { number: '4989123456' } });
  });

  it('cancel: a call still being set up ends unanswered; an established one cannot be cancelled (409)', async () => {
    const r = await send('POST', `${rig.http.url}/api/v1/calls`, { extension: '101', target: '102' });
    const id = r.body.callId as string;
    await until(() => rig.calls.find((c) => c.id === id && c.open), 'the call dialling');
    const del = await send('DELETE', `${rig.http.url}/api/v1/calls/${id}`);
    expect(del).toMatchObject({ status: 202, body: { action: 'hangup' } });
    const done = await until(() => rig.ended.find((c) => c.id === id), 'the cancelled call ended');
    expect(done.status).not.toBe('answered');
    expect(done.answeredAt).toBeUndefined();

    const second = await send('POST', `${rig.http.url}/api/v1/calls`, { extension: '100', target: '101' });
    const talking = second.body.callId as string;
    await until(() => rig.calls.find((c) => c.id === talking && c.answeredAt !== undefined), 'the call answered');
    const late = await send('DELETE', `${rig.http.url}/api/v1/calls/${talking}`);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/only a call still being set up/);
  });

  it('no transfer on NFON: 501 naming the action', async () => {
    const r = await send('POST', `${rig.http.url}/api/v1/calls`, { extension: '102', target: '100' });
    const id = r.body.callId as string;
    await until(() => rig.calls.find((c) => c.id === id && c.open), 'the call open');
    const t = await send('POST', `${rig.http.url}/api/v1/calls/${id}/transfer`, { target: '101' });
    expect(t.status).toBe(501);
    expect(t.body.detail).toBe('the source "cloud" (nfon) does not support the "transfer" action');
  });
});
