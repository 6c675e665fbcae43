import { threeCx } from '../../src/sources/3cx';
import { webhook } from '../../src/sources/webhook';
import { startHarness, type Harness } from '../http/harness';

const CONTROL = 'control-token-0123456789abcdef';

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: { detail?: string; parameter?: string } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { detail?: string } };
}

/** What the control routes answer before any PBX is involved: capabilities, the open API, the request budget. */
describe('call control routes', () => {
  describe('sources that cannot act on calls', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({
        config: { auth: { tokens: [{ name: 'robot', token: CONTROL, scopes: ['control'] }] } },
        // the real kinds' capabilities: 3CX only reads finished calls, a webhook PBX only pushes events
        sources: () => [
          { pbx: 'cdr', kind: threeCx.kind, capabilities: threeCx.capabilities },
          { pbx: 'hooks', kind: webhook.kind, capabilities: webhook.capabilities },
        ],
      });
    });
    afterAll(() => h.close());

    it('answers 501 naming the action and the source', async () => {
      for (const pbx of ['cdr', 'hooks']) {
        const r = await post(`${h.url}/api/v1/calls`, { pbx, extension: '100', target: '200' }, CONTROL);
        expect(r.status).toBe(501);
        expect(r.body.detail).toBe(`the source "${pbx}" (${pbx === 'cdr' ? '3cx' : 'webhook'}) does not support the "dial" action`);
      }
    });

    it('501 for hangup and transfer of a call in progress on such a source', async () => {
      const call = {
        id: 'hooks-1', pbx: 'hooks', direction: 'inbound', status: 'active', open: true, startedAt: Date.now(), ringMs: 0, talkMs: 0, holdMs: 0,
        from: { number: '+4930123' }, to: { number: '100' }, legs: [], transfers: [], holds: [],
      } as const;
      h.hub.emit('call', { ...call, legs: [], transfers: [], holds: [] });
      const del = await fetch(`${h.url}/api/v1/calls/hooks-1`, { method: 'DELETE', headers: { authorization: `Bearer ${CONTROL}` } });
      expect(del.status).toBe(501);
      expect(((await del.json()) as { detail: string }).detail).toMatch(/"hangup" action/);
      const t = await post(`${h.url}/api/v1/calls/hooks-1/transfer`, { target: '101', kind: 'attended' }, CONTROL);
      expect(t.status).toBe(501);
      expect(t.body.detail).toMatch(/"attendedTransfer" action/);
    });

    it('wants the pbx named when several sources could dial', async () => {
      const r = await post(`${h.url}/api/v1/calls`, { extension: '100', target: '200' }, CONTROL);
      expect(r).toMatchObject({ status: 400, body: { parameter: 'pbx' } });
    });
  });

  it('an API without tokens is open for reading but never for control', async () => {
    const h = await startHarness();
    try {
      expect((await fetch(`${h.url}/api/v1/calls`)).status).toBe(200);
      const r = await post(`${h.url}/api/v1/calls`, { extension: '100', target: '200' });
      expect(r.status).toBe(403);
      expect(r.body.detail).toMatch(/needs an API token with the "control" scope/);
    } finally {
      await h.close();
    }
  });

  it('has its own, tighter request budget', async () => {
    const h = await startHarness({
      config: {
        server: { controlRateLimit: { max: 2, windowSeconds: 60 } },
        auth: { tokens: [{ name: 'robot', token: CONTROL, scopes: ['read', 'control'] }] },
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(`${h.url}/api/v1/calls`, { extension: '100', target: '200' }, CONTROL)).status);
      expect(statuses).toEqual([501, 501, 429]);
      // reading is not held back by it
      expect((await fetch(`${h.url}/api/v1/calls`, { headers: { authorization: `Bearer ${CONTROL}` } })).status).toBe(200);
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(metrics).toMatch(/^switchboard_control_requests_total\{action="dial",result="rate_limited"\} 1$/m);
      expect(metrics).toMatch(/^switchboard_control_requests_total\{action="dial",result="unsupported"\} 2$/m);
    } finally {
      await h.close();
    }
  });
});
