import { VERSION } from '../../src/version';
import { sleep, until } from '../ami/harness';
import { getJson } from '../http/harness';
import { openStream } from '../http/sse-client';
import { events, inboundTo, nfonRig, type NfonRig } from './harness';

const connected = (rig: NfonRig) => until(() => rig.statuses.at(-1)?.connected === true && rig.fake.streams('calls') === 1, 'connected');

describe('NFON source: login, tokens, streams', () => {
  let rig: NfonRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('sends the User-Agent NFON asks for on every request, with the hyphenated tokens it got', async () => {
    rig = await nfonRig();
    await until(() => rig!.fake.streams('states') === 1 && rig!.fake.seen('GET', '/v1/extensions/phone/data').length > 0, 'both streams and the list');
    const ua = `Switchboard/${VERSION} (K9999)`;
    expect(rig.fake.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of rig.fake.requests) expect(r.userAgent).toBe(ua);
    expect(rig.fake.seen('POST', '/v1/login')).toHaveLength(1);
    for (const r of rig.fake.requests.filter((x) => x.method === 'GET')) expect(r).toMatchObject({ status: 200, authorization: expect.stringMatching(/^Bearer ey/) });
  });

  it('refreshes the token during a long stream without reopening it; a refused refresh logs in again', async () => {
    rig = await nfonRig({ fake: { tokenTtlMs: 1500 }, config: { refreshSeconds: 1, extensionsRefreshSeconds: 10 } });
    await connected(rig);
    await until(() => rig!.fake.seen('PUT', '/v1/login').filter((r) => r.status === 200).length >= 2, 'two refreshes', 15000);
    // the stream opened with the first token goes on: calls keep arriving on it
    expect(rig.fake.seen('GET', '/v1/extensions/phone/calls')).toHaveLength(1);
    rig.fake.refuseRefresh(1);
    const logins = rig.fake.seen('POST', '/v1/login').length;
    await until(() => rig!.fake.seen('POST', '/v1/login').length > logins, 'a new login after the refused refresh', 15000);
    expect(rig.fake.seen('PUT', '/v1/login').some((r) => r.status === 401)).toBe(true);
    rig.fake.call(events(inboundTo('long-1', '100'), [['ring', 0]])[0]!);
    rig.fake.call(events(inboundTo('long-1', '100'), [['hangup', 10]])[0]!);
    await until(() => rig!.ended.find((c) => c.id === 'cloud-long-1'), 'a call on the long stream');
    expect(rig.gaps).toHaveLength(0);
    expect(rig.statuses.at(-1)).toMatchObject({ connected: true, reconnects: 0 });
  });

  it('a stream cut mid-call: a gap row, the call spanning it ends incomplete, its late hangup is no second call', async () => {
    rig = await nfonRig();
    await connected(rig);
    rig.fake.call(events(inboundTo('span-1', '100'), [['ring', 0]])[0]!);
    rig.fake.call(events(inboundTo('span-1', '100'), [['answer', 4]])[0]!);
    await until(() => rig!.calls.find((c) => c.id === 'cloud-span-1' && c.status === 'active'), 'the call up');
    rig.fake.cut('calls');
    await until(() => rig!.gaps.find((g) => g.endedAt !== undefined), 'the gap closed after the reconnect');
    expect(rig.gaps[0]).toMatchObject({ pbx: 'cloud', kind: 'source' });
    const c = await until(() => rig!.ended.find((x) => x.id === 'cloud-span-1'), 'the spanning call closed');
    expect(c).toMatchObject({ status: 'incomplete', answeredBy: { number: '100' } });
    expect(rig.statuses.at(-1)).toMatchObject({ connected: true, reconnects: 1 });
    rig.fake.call(events(inboundTo('span-1', '100'), [['hangup', 60]])[0]!);
    await sleep(150);
    expect(rig.ended.filter((x) => x.id === 'cloud-span-1')).toHaveLength(1);
    const gaps = await getJson(`${rig.http.url}/api/v1/gaps`);
    expect(gaps.status).toBe(200);
    expect(JSON.stringify(gaps.body)).toContain('"pbx":"cloud"');
  });

  it('an access token expiring mid-stream (a server that cuts the stream then) reconnects with a fresh token', async () => {
    rig = await nfonRig({ fake: { cutOnExpiry: true, tokenTtlMs: 60_000 } });
    await connected(rig);
    rig.fake.expireTokens();
    await until(() => rig!.statuses.at(-1)?.connected === true && rig!.statuses.some((s) => !s.connected), 'down and up again');
    await until(() => rig!.fake.streams('calls') === 1, 'the call stream back');
    // the stream refused with the expired token (401) made the source log in again
    expect(rig.fake.seen('POST', '/v1/login').length + rig.fake.seen('PUT', '/v1/login').length).toBeGreaterThanOrEqual(2);
    expect(rig.gaps.some((g) => g.endedAt !== undefined)).toBe(true);
  });

  it('bad credentials: one clear log line, counted, the status says why, retried at the longest backoff', async () => {
    rig = await nfonRig({ password: 'wrong-password', config: { reconnectMaxSeconds: 1 } });
    expect(rig.statuses.at(-1)).toMatchObject({ connected: false, reason: 'login failed: 401 invalid credentials' });
    // the status, not the server's log: the third refusal has been read by the source
    await until(() => rig!.statuses.at(-1)!.loginFailures >= 3, 'three refused logins', 15000);
    const attempts = rig.fake.seen('POST', '/v1/login');
    // the longest backoff (≥ half of reconnectMaxSeconds) between attempts: never a tight loop
    expect(attempts.length).toBeLessThanOrEqual(6);
    const refused = rig.logs.filter((l) => /NFON login refused for API user "switchboard-api": 401 invalid credentials/.test(l.msg));
    expect(refused).toHaveLength(1);
    const metrics = await fetch(`${rig.http.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^pbx_source_login_failures_total\{pbx="cloud"\} [3-9]/m);
    expect(metrics).toMatch(/^pbx_up\{pbx="cloud"\} 0/m);
    expect(rig.fake.streams('calls')).toBe(0);
  });

  it('a login refused while the call stream is still open is counted, but the source stays up and calls go on', async () => {
    rig = await nfonRig({ config: { reconnectMaxSeconds: 1 } });
    await connected(rig);
    await until(() => rig!.fake.streams('states') === 1, 'the state stream');
    // the password was changed at NFON; the state stream, reopened with an expired token, needs a new login
    rig.fake.password = 'changed-at-nfon';
    rig.fake.expireTokens();
    rig.fake.cut('states');
    await until(() => rig!.statuses.at(-1)!.loginFailures >= 1, 'the refused login counted');
    expect(rig.statuses.at(-1)).toMatchObject({ connected: true, reason: 'login failed: 401 invalid credentials' });
    expect(rig.gaps).toHaveLength(0);
    rig.fake.call(events(inboundTo('still-1', '100'), [['ring', 0]])[0]!);
    rig.fake.call(events(inboundTo('still-1', '100'), [['hangup', 5]])[0]!);
    await until(() => rig!.ended.find((c) => c.id === 'cloud-still-1'), 'a call on the open call stream');
  });

  it('malformed data is counted as rejected, never a crash, and the stream goes on', async () => {
    rig = await nfonRig();
    await connected(rig);
    await until(() => rig!.fake.streams('states') === 1, 'the state stream');
    rig.fake.raw('calls', '{"uuid": "x", "state": ');
    rig.fake.raw('calls', JSON.stringify({ uuid: 'x', state: 'explode', direction: 'inbound', extension: '100' }));
    rig.fake.raw('states', 'not json at all');
    rig.fake.call(events(inboundTo('after-bad', '101'), [['ring', 0]])[0]!);
    rig.fake.call(events(inboundTo('after-bad', '101'), [['hangup', 3]])[0]!);
    await until(() => rig!.ended.find((c) => c.id === 'cloud-after-bad'), 'the next call');
    await until(() => rig!.rejected.length >= 3, 'three rejections');
    expect(rig.rejected.map((r) => r.reason)).toEqual(['malformed data', 'malformed data', 'malformed data']);
    // The two streams are read on their own sockets, so the state stream's rejection may come before, between or after
    // the call stream's two; only the order within one stream is given.
    const details = rig.rejected.map((r) => r.detail ?? '');
    expect(details.filter((d) => d.startsWith('call event:'))).toEqual([
      'call event: data is not JSON: {"uuid": "x", "state": ',
      expect.stringMatching(/^call event: "state" is "explode", not one of /),
    ]);
    expect(details.filter((d) => d.startsWith('state event:'))).toEqual(['state event: data is not JSON: not json at all']);
    const metrics = await fetch(`${rig.http.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^switchboard_events_rejected_total\{pbx="cloud",reason="malformed data"\} 3$/m);
    expect(rig.statuses.at(-1)).toMatchObject({ connected: true, reconnects: 0 });
  });
});

describe('NFON source: extension states', () => {
  let rig: NfonRig;
  afterEach(async () => {
    await rig.close();
  });

  it('line and presence reach /api/v1/extensions, the metrics and the SSE stream, after a slow bootstrap', async () => {
    rig = await nfonRig({ fake: { bootstrapDelayMs: 150 } });
    // connected before the slow bootstrap is through: calls are not held up by it
    expect(rig.statuses.at(-1)).toMatchObject({ connected: true });
    const ext = async () => (await getJson(`${rig.http.url}/api/v1/extensions?pbx=cloud`)).body;
    await until(() => rig.extensions.filter((e) => e.pbx === 'cloud').length >= 3, 'the bootstrap');
    const sse = await openStream(`${rig.http.url}/api/v1/stream`);
    try {
      rig.fake.state('100', { line: 'in-use' });
      rig.fake.state('101', { presence: 'dnd' });
      rig.fake.state('102', { line: 'offline', presence: 'offline' });
      await until(() => rig.extensions.find((e) => e.extension === '102' && e.state === 'unavailable'), 'the changes');
      const body = await ext();
      const list = body.items as { extension: string; state: string; name?: string; dnd: boolean; registered: boolean }[];
      const by = Object.fromEntries(list.map((e) => [e.extension, e]));
      expect(by['100']).toMatchObject({ state: 'in_call', name: 'Anna Office', registered: true });
      expect(by['101']).toMatchObject({ state: 'dnd', dnd: true });
      expect(by['102']).toMatchObject({ state: 'unavailable', registered: false });
      const m = await sse.next((x) => x.event === 'extension' && /"extension":"102"/.test(x.data ?? '') && /unavailable/.test(x.data ?? ''));
      expect(JSON.parse(m.data!)).toMatchObject({ pbx: 'cloud', extension: '102', state: 'unavailable' });
      const metrics = await fetch(`${rig.http.url}/metrics`).then((r) => r.text());
      for (const [state, n] of [['in_call', 1], ['dnd', 1], ['unavailable', 1], ['idle', 0]] as const) {
        expect(metrics).toMatch(new RegExp(`^pbx_extensions\\{pbx="cloud",state="${state}"\\} ${n}$`, 'm'));
      }
      expect(metrics).toMatch(/^pbx_extensions_registered\{pbx="cloud"\} 2$/m);
    } finally {
      sse.close();
    }
  });
});
