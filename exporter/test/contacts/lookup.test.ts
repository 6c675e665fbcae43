import pino from 'pino';
import { LookupCache, type LookupResult } from '../../src/contacts/lookup-cache';
import { LookupClient, LookupError } from '../../src/contacts/lookup-client';
import { FakeCrm } from './fake-crm';

const numbers = (n: number) => Array.from({ length: n }, (_, i) => `+4930${String(1_000_000 + i)}`);

async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('contacts lookup client', () => {
  let crm: FakeCrm;
  beforeEach(async () => (crm = await new FakeCrm().start()));
  afterEach(() => crm.stop());

  it('posts the numbers and reads the contacts, with the token in the configured header', async () => {
    crm.names.set('+493012345678', { name: 'Anna Schmidt', company: 'Müller GmbH' });
    crm.reply = (_n, res) =>
      res.writeHead(200).end(
        JSON.stringify({
          contacts: [
            { number: '0049 30 12345678', name: 'Anna Schmidt', company: 'Müller GmbH' },
            { number: '+442079460958', company: 'Acme Ltd' },
            { number: '+15555550100', name: 'not asked for' },
            { number: 'n/a', name: 'No Number' },
            { number: '+12125550101' },
          ],
        }),
      );
    const client = new LookupClient({
      url: crm.url,
      token: 'k-123',
      authHeader: 'X-API-Key',
      authScheme: '',
      timeoutMs: 2000,
    });
    const { found, skipped } = await client.lookup(['+493012345678', '+442079460958', '+12125550101']);
    expect(crm.requests[0].numbers).toEqual(['+493012345678', '+442079460958', '+12125550101']);
    expect(crm.requests[0].headers['x-api-key']).toBe('k-123');
    expect(crm.requests[0].headers['content-type']).toBe('application/json');
    expect(Object.fromEntries(found)).toEqual({
      '+493012345678': { name: 'Anna Schmidt', company: 'Müller GmbH' },
      '+442079460958': { name: 'Acme Ltd', company: 'Acme Ltd' },
    });
    expect(skipped).toEqual(['contacts[3].number: not a phone number', 'contacts[4]: neither name nor company']);

    await new LookupClient({ url: crm.url, token: 't', timeoutMs: 2000 }).lookup(['+493012345678']);
    expect(crm.requests[1].headers.authorization).toBe('Bearer t');
  });

  it('fails with an error that says what went wrong: timeout, HTTP status, garbage, wrong shape, nobody listening', async () => {
    // room for a loaded machine: only the two stalls below may run into it
    const client = new LookupClient({ url: crm.url, timeoutMs: 1000 });
    const failure = async (reply: FakeCrm['reply']) => {
      crm.reply = reply;
      const err = await client.lookup(['+493012345678']).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LookupError);
      return { kind: (err as LookupError).kind, message: (err as LookupError).message };
    };
    expect(await failure(() => undefined)).toEqual({ kind: 'timeout', message: 'no answer within 1000 ms' });
    expect(await failure((_n, res) => res.writeHead(500).end('boom'))).toEqual({
      kind: 'http',
      message: 'answered HTTP 500 Internal Server Error',
    });
    expect(await failure((_n, res) => res.writeHead(200).end('<html>login</html>'))).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/^answer is not JSON \(.+\)$/),
    });
    expect(await failure((_n, res) => res.writeHead(200).end('[{"number":"+493012345678"}]'))).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('answer has no "contacts" array'),
    });
    // headers sent, then the body stalls
    expect(await failure((_n, res) => res.writeHead(200).write('{"contacts": ['))).toEqual({
      kind: 'timeout',
      message: 'answer not complete within 1000 ms',
    });
    // a port nobody listens on any more
    const closed = await new FakeCrm().start();
    await closed.stop();
    const gone = await new LookupClient({ url: closed.url, timeoutMs: 300 })
      .lookup(['+493012345678'])
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(LookupError);
    expect([(gone as LookupError).kind, (gone as LookupError).message]).toEqual([
      'network',
      expect.stringMatching(/^request failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/),
    ]);
  });
});

describe('contacts lookup cache', () => {
  let crm: FakeCrm;
  const caches: LookupCache[] = [];
  const results: LookupResult[] = [];
  const lines: { level: number; msg: string }[] = [];
  const cache = (over: Partial<ConstructorParameters<typeof LookupCache>[0]> = {}) => {
    const client = new LookupClient({ url: crm.url, timeoutMs: 500 });
    const c = new LookupCache({
      lookup: (n) => client.lookup(n),
      batchSize: 100,
      refreshMs: 60_000,
      url: crm.url,
      log: pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) }),
      onBatch: (r) => results.push(r),
      ...over,
    });
    caches.push(c);
    return c;
  };
  beforeEach(async () => {
    crm = await new FakeCrm().start();
    results.length = 0;
    lines.length = 0;
  });
  afterEach(async () => {
    for (const c of caches.splice(0)) c.close();
    await crm.stop();
  });

  it('asks in batches, answers at once from the cache, and remembers who the service does not know', async () => {
    const all = numbers(250);
    crm.names.set(all[0], { name: 'First' });
    crm.names.set(all[249], { name: 'Last', company: 'Acme' });
    const c = cache();
    // nothing known yet: no waiting, just undefined
    for (const n of all) expect(c.get(n)).toBeUndefined();
    await until(() => c.size === 250);
    expect(crm.requests.map((r) => r.numbers.length)).toEqual([100, 100, 50]);
    expect(new Set(crm.asked).size).toBe(250);
    expect(c.get(all[0])).toEqual({ name: 'First', company: null });
    expect(c.get(all[249])).toEqual({ name: 'Last', company: 'Acme' });
    expect(c.get(all[1])).toBeNull();
    for (const n of all) c.get(n);
    await new Promise((r) => setTimeout(r, 100));
    expect(crm.requests).toHaveLength(3); // hits and negative hits ask nothing
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect([...c.contacts()].map(([, x]) => x.name).sort()).toEqual(['First', 'Last']);
  });

  it('refreshes what is in use every interval and forgets the rest', async () => {
    const [shown, gone] = numbers(2);
    crm.names.set(shown, { name: 'Old name' });
    const c = cache({ refreshMs: 300 });
    c.get(shown);
    c.get(gone);
    await until(() => c.size === 2);
    crm.names.set(shown, { name: 'New name' });
    crm.names.set(gone, { name: 'Never seen' });
    const keepShowing = setInterval(() => c.get(shown), 20);
    try {
      await until(() => c.get(shown)?.name === 'New name');
      await until(() => c.size === 1);
    } finally {
      clearInterval(keepShowing);
    }
    expect(crm.asked.filter((n) => n === gone)).toHaveLength(1);
    expect(crm.asked.filter((n) => n === shown).length).toBeGreaterThanOrEqual(2);
  });

  it('a down service is logged once, counted, keeps the names known, and everyone asked meanwhile is named once it answers', async () => {
    const [known, during] = numbers(2);
    crm.names.set(known, { name: 'Known' });
    crm.names.set(during, { name: 'Asked while down' });
    const c = cache({ refreshMs: 200, retryMs: 100 });
    c.get(known);
    await until(() => c.get(known) !== undefined);
    crm.reply = (_n, res) => res.writeHead(503).end();
    c.get(during);
    await until(() => results.filter((r) => r === 'http').length >= 3);
    // the refresh failed too: the name stays
    expect(c.get(known)).toEqual({ name: 'Known', company: null });
    expect(c.get(during)).toBeUndefined();
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'answered HTTP 503 Service Unavailable', url: crm.url });
    // retries are paced, not a storm
    const failed = crm.requests.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(crm.requests.length - failed).toBeLessThanOrEqual(4);

    crm.reply = (n, res) => crm.answer(n, res);
    await until(() => c.get(during) !== undefined);
    expect(c.get(during)).toEqual({ name: 'Asked while down', company: null });
    expect(lines.filter((l) => l.level === 30 && l.msg === 'contacts lookup answers again')).toHaveLength(1);
  });

  it('holds a bounded number of waiting numbers', async () => {
    crm.reply = () => undefined; // never answers
    const c = cache({ maxPending: 50, batchSize: 10 });
    for (const n of numbers(500)) c.get(n);
    expect(c.waiting).toBeLessThanOrEqual(50);
  });
});
