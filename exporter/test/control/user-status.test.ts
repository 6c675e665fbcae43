import pino from 'pino';
import type { ExtensionState } from '../../src/domain';
import { LiveState } from '../../src/live';
import { ami } from '../../src/sources/ami';
import { Store } from '../../src/store/store';
import { Writer } from '../../src/store/writer';
import { getJson, startHarness, type Harness } from '../http/harness';
import { openStream } from '../http/sse-client';

const CONTROL = 'control-token-0123456789abcdef';
const ALICE = 'alice-phone-token-0123456789';
const READ = 'read-token-0123456789abcdef';

function extension(ext: string, over: Partial<ExtensionState> = {}): ExtensionState {
  return { pbx: 'office', extension: ext, registered: true, state: 'idle', dnd: false, queues: [], updatedAt: Date.now(), ...over };
}

async function put(url: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(fn: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** User status: set over HTTP, stored in SQLite with its history, shown with the extension and streamed. */
describe('user status', () => {
  let h: Harness;
  let writer: Writer;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          tokens: [
            { name: 'grafana', token: READ, scopes: ['read'] },
            { name: 'supervisor', token: CONTROL, scopes: ['read', 'control'] },
            { name: 'alice', token: ALICE, scopes: ['control'], extensions: ['1001'] },
          ],
        },
      },
      sources: () => [{ pbx: 'office', kind: 'ami', capabilities: ami.capabilities }],
    });
    writer = new Writer(h.hub, h.store, pino({ level: 'silent' }), 20, 60000);
    writer.start();
    h.hub.emit('extension', extension('1001', { name: 'Alice Anders' }));
    h.hub.emit('extension', extension('1002'));
  });
  afterAll(async () => {
    writer.stop();
    await h.close();
  });
  const url = (ext: string): string => `${h.url}/api/v1/extensions/${ext}/status`;

  it('is set with a control token, shown in /api/v1/extensions and sent on the stream', async () => {
    const stream = await openStream(`${h.url}/api/v1/stream?topics=extension`, { authorization: `Bearer ${READ}` });
    try {
      await stream.next((m) => m.event === 'snapshot');
      const r = await put(url('1002'), { status: 'in_meeting', message: 'back at 14:00' }, CONTROL);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ pbx: 'office', extension: '1002', status: 'in_meeting', message: 'back at 14:00', setBy: 'supervisor' });
      const delta = await stream.next((m) => m.event === 'extension' && JSON.parse(m.data!).extension === '1002');
      expect(JSON.parse(delta.data!)).toMatchObject({ userStatus: 'in_meeting', userStatusMessage: 'back at 14:00', userStatusSince: r.body.since });
    } finally {
      stream.close();
    }
    const list = await getJson(`${h.url}/api/v1/extensions`, { authorization: `Bearer ${READ}` });
    const byExt = Object.fromEntries(list.body.items.map((e: { extension: string }) => [e.extension, e]));
    expect(byExt['1002']).toMatchObject({ userStatus: 'in_meeting', userStatusMessage: 'back at 14:00' });
    expect(byExt['1001']).toMatchObject({ userStatus: null, userStatusMessage: null, userStatusSince: null });
    // a later change of the phone keeps the status its user set
    h.hub.emit('extension', extension('1002', { state: 'in_call' }));
    const again = await getJson(`${h.url}/api/v1/extensions`, { authorization: `Bearer ${READ}` });
    expect(again.body.items.find((e: { extension: string }) => e.extension === '1002')).toMatchObject({ state: 'in_call', userStatus: 'in_meeting' });
  });

  it('keeps every change in SQLite, oldest first, and the latest across a restart', async () => {
    await put(url('1001'), { status: 'away', message: 'lunch' }, ALICE);
    await new Promise((r) => setTimeout(r, 5));
    await put(url('1001'), { status: 'available' }, ALICE);
    const history = await until(() => {
      const rows = h.store.userStatuses.history('office', '1001', 0, Number.MAX_SAFE_INTEGER, 100);
      return rows.length === 2 ? rows : undefined;
    }, 'two stored changes');
    expect(history.map((u) => [u.status, u.message ?? null, u.setBy])).toEqual([
      ['away', 'lunch', 'alice'],
      ['available', null, 'alice'],
    ]);
    const api = await getJson(`${url('1001')}/history`, { authorization: `Bearer ${READ}` });
    expect(api.body.items.map((u: { status: string }) => u.status)).toEqual(['away', 'available']);

    // another run of the exporter on the same file starts with the latest status of each extension
    const again = new Store({ path: h.store.path });
    try {
      const live = new LiveState(h.hub);
      live.restoreUserStatuses(again.userStatuses.current());
      expect(live.userStatus('office', '1001')).toMatchObject({ status: 'available' });
      expect(live.userStatus('office', '1002')).toMatchObject({ status: 'in_meeting', message: 'back at 14:00' });
    } finally {
      again.close();
    }
  });

  it('a per-person token sets its own extension only; read tokens 403, no token 401', async () => {
    const other = await put(url('1002'), { status: 'busy' }, ALICE);
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('the token "alice" may act only for extension 1001');
    expect((await put(url('1001'), { status: 'busy' }, READ)).status).toBe(403);
    expect((await put(url('1001'), { status: 'busy' })).status).toBe(401);
    // and it dials only from its own phone
    const dial = await fetch(`${h.url}/api/v1/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}` },
      body: JSON.stringify({ extension: '1002', target: '100' }),
    });
    expect(dial.status).toBe(403);
  });

  it('refuses what it cannot show, naming the field', async () => {
    const bad = await put(url('1001'), { status: 'sleeping' }, CONTROL);
    expect(bad).toMatchObject({ status: 400, body: { parameter: 'status' } });
    const ctl = await put(url('1001'), { status: 'away', message: 'line one\nline two' }, CONTROL);
    expect(ctl).toMatchObject({ status: 400, body: { parameter: 'message' } });
    const long = await put(url('1001'), { status: 'away', message: 'x'.repeat(141) }, CONTROL);
    expect(long).toMatchObject({ status: 400, body: { parameter: 'message' } });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="status",result="accepted"\} 3$/m);
    expect(metrics).toMatch(/^switchboard_control_requests_total\{action="status",result="invalid"\} 3$/m);
  });
});

describe('user status retention', () => {
  it('drops changes older than the cutoff but keeps each extension\'s current status, however old', () => {
    const store = new Store({ path: ':memory:' });
    try {
      const day = 86_400_000;
      store.saveUserStatus({ pbx: 'office', extension: '1001', status: 'away', since: 1 * day });
      store.saveUserStatus({ pbx: 'office', extension: '1001', status: 'busy', since: 2 * day });
      store.saveUserStatus({ pbx: 'office', extension: '1002', status: 'out_of_office', message: 'until May', since: 1 * day });
      store.saveUserStatus({ pbx: 'office', extension: '1001', status: 'available', since: 10 * day });
      store.flush();
      expect(store.userStatuses.prune(5 * day)).toBe(2);
      expect(store.userStatuses.current().map((u) => [u.extension, u.status]).sort()).toEqual([
        ['1001', 'available'],
        ['1002', 'out_of_office'],
      ]);
    } finally {
      store.close();
    }
  });
});
