import { writeFileSync } from 'node:fs';
import { fromCsv, fromVcard } from '../../src/contacts/directory';
import { WatchedContactsFile } from '../../src/contacts/file';
import { ContactMatcher } from '../../src/contacts/match';
import { numberInfo } from '../../src/contacts/number';
import { loadConfig } from '../../src/config/load';
import { eventually } from '../helpers/cli';
import { fileWriter, problemsOf } from '../helpers/config';
import { tempDir } from '../helpers/tmp';
import { getJson, startHarness } from '../http/harness';
import { extension, inbound, outbound, T0 } from '../http/fixtures';
import { openStream } from '../http/sse-client';
import { FakeCrm } from './fake-crm';

const CSV = `Name,Company,Phone,Mobile
Anna Schmidt,Müller Maschinenbau GmbH,+49 30 1234560,+49 151 23456789
"Smith, John",Acme Ltd,020 7946 0958,
Jane Doe,,+1 (212) 555-0101,
Service client,Boulangerie Dupont,+33 1 42 68 53 00,
Nobody,,not a number,
`;

const VCF = `BEGIN:VCARD
VERSION:4.0
FN:Ola Nordmann
ORG:Fjord AS;Sales
TEL;TYPE=work:+47 22 12 34 56
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Rossi;Mario;;;
TEL;TYPE=cell:+39 347 123 4567
END:VCARD
`;

describe('numbers', () => {
  it('parses numbers the way PBXs write them, with country and kind', () => {
    expect(numberInfo('+49 30 1234567')).toMatchObject({
      e164: '+49301234567',
      country: 'DE',
      place: 'Germany',
      type: 'FIXED_LINE',
    });
    expect(numberInfo('030 1234567', 'DE')).toMatchObject({ e164: '+49301234567', formatted: '+49 30 1234567' });
    expect(numberInfo('0049 151 23456789')).toMatchObject({ country: 'DE', type: 'MOBILE' });
    expect(numberInfo('+44 20 7946 0958')).toMatchObject({ country: 'GB', place: 'United Kingdom' });
    expect(numberInfo('+33 1 42 68 53 00')).toMatchObject({ country: 'FR', type: 'FIXED_LINE' });
    expect(numberInfo('201')).toBeUndefined();
    expect(numberInfo('anonymous')).toBeUndefined();
  });
});

describe('directory files', () => {
  it('reads a CSV address book: names, companies, every phone column; skips what is no number', () => {
    const { directory, skipped } = fromCsv(CSV, 'GB');
    expect(directory.get('+493012345600')).toBeUndefined();
    expect(directory.get('+49301234560')).toEqual({ name: 'Anna Schmidt', company: 'Müller Maschinenbau GmbH' });
    expect(directory.get('+4915123456789')?.name).toBe('Anna Schmidt');
    expect(directory.get('+442079460958')).toEqual({ name: 'Smith, John', company: 'Acme Ltd' });
    expect(directory.get('+12125550101')).toEqual({ name: 'Jane Doe', company: null });
    expect(skipped).toBe(1);
  });

  it('reads vCards: FN or N, ORG, every TEL', () => {
    const { directory } = fromVcard(VCF);
    expect(directory.get('+4722123456')).toEqual({ name: 'Ola Nordmann', company: 'Fjord AS' });
    expect(directory.get('+393471234567')).toEqual({ name: 'Mario Rossi', company: null });
  });
});

describe('matching', () => {
  const { directory } = fromCsv(CSV, 'GB');
  const m = new ContactMatcher(() => directory, {
    region: 'DE',
    sites: [
      { prefix: '2', name: 'Berlin office' },
      { prefix: '25', name: 'Berlin warehouse' },
      { prefix: '4', name: 'Hamburg office' },
    ],
  });

  it('exact: the directory has the number, in any format', () => {
    expect(m.lookup('0049 30 1234560')).toMatchObject({
      match: 'exact',
      name: 'Anna Schmidt',
      company: 'Müller Maschinenbau GmbH',
    });
    expect(m.lookup('+442079460958')).toMatchObject({ match: 'exact', name: 'Smith, John', country: 'GB' });
    expect(m.lookup('+1 212 555 0101')).toMatchObject({ match: 'exact', name: 'Jane Doe', country: 'US' });
    expect(m.lookup('+33142685300')).toMatchObject({ match: 'exact', company: 'Boulangerie Dupont' });
  });

  it("fuzzy: a landline extension behind a company's main number, named after the company and marked", () => {
    // main number +49 30 123456-0, the caller dialled out from extension 789
    expect(m.lookup('+49 30 123456789')).toMatchObject({
      match: 'fuzzy',
      name: 'Müller Maschinenbau GmbH',
      e164: '+4930123456789',
      formatted: '+49 30 123456789',
    });
    expect(m.lookup('030 12345612')).toMatchObject({ match: 'fuzzy', company: 'Müller Maschinenbau GmbH' });
    // a mobile has no extensions: a number next to Anna's mobile is only a place
    expect(m.lookup('+49 151 23456780')).toMatchObject({ match: 'place', name: null, type: 'MOBILE' });
  });

  it('place: what the number says when nobody in the directory has it', () => {
    expect(m.lookup('+61 2 9374 4000')).toEqual({
      match: 'place',
      name: null,
      company: null,
      e164: '+61293744000',
      country: 'AU',
      place: 'Australia',
      town: null, // this matcher has no town data
      type: 'FIXED_LINE',
      formatted: '+61 2 9374 4000',
    });
    expect(m.lookup('+34 612 34 56 78')).toMatchObject({ match: 'place', country: 'ES', type: 'MOBILE' });
  });

  it('site: internal numbers by the longest prefix; other short numbers are nothing', () => {
    expect(m.lookup('201')).toMatchObject({ match: 'site', name: 'Berlin office' });
    expect(m.lookup('2501')).toMatchObject({ match: 'site', name: 'Berlin warehouse' });
    expect(m.lookup('4010')).toMatchObject({ match: 'site', name: 'Hamburg office' });
    expect(m.lookup('901')).toBeNull();
    expect(m.lookup('')).toBeNull();
    expect(m.lookup('anonymous')).toBeNull();
  });
});

describe('contacts file', () => {
  it('is re-read when it changes; a broken version keeps the last good one', async () => {
    const tmp = tempDir('sb-contacts-');
    const path = `${tmp.dir}/contacts.csv`;
    writeFileSync(path, 'Name,Phone\nFirst Name,+49 30 1234567\n');
    const file = new WatchedContactsFile(path, { pollMs: 20 });
    try {
      expect(file.directory.get('+49301234567')?.name).toBe('First Name');
      writeFileSync(path, 'Name,Phone\nSecond Name,+49 30 1234567\nAnother,+44 20 7946 0958\n');
      await until(() => file.directory.get('+49301234567')?.name === 'Second Name');
      expect(file.directory.size).toBe(2);
      writeFileSync(path, 'Name,Phone\n"unterminated,+49 30 1\n');
      await until(() => file.failures === 1);
      expect(file.directory.get('+49301234567')?.name).toBe('Second Name');
    } finally {
      file.close();
      tmp.cleanup();
    }
  });
});

describe('contacts in the API', () => {
  it('names the parties of calls (list, CSV, one call), from the configured file and sites', async () => {
    const tmp = tempDir('sb-contacts-api-');
    writeFileSync(`${tmp.dir}/c.vcf`, VCF);
    const h = await startHarness({
      config: {
        contacts: { file: `${tmp.dir}/c.vcf`, defaultRegion: 'NO', sites: [{ prefix: '10', name: 'Oslo office' }] },
      },
    });
    try {
      h.store.saveCall(inbound({ id: 'in', caller: '22 12 34 56', ext: '1001' }));
      h.store.saveCall(outbound({ id: 'out', ext: '1002', callee: '+61 2 9374 4000' }));
      h.store.flush();
      const r = await getJson(`${h.url}/api/v1/calls`);
      const byId = Object.fromEntries(r.body.items.map((c: { id: string }) => [c.id, c]));
      expect(byId.in.fromContact).toMatchObject({
        match: 'exact',
        name: 'Ola Nordmann',
        company: 'Fjord AS',
        country: 'NO',
        town: 'Oslo', // the address book's countries' towns are loaded before the server answers
      });
      expect(byId.out.fromContact).toMatchObject({ match: 'site', name: 'Oslo office' });
      expect(byId.out.toContact).toMatchObject({ match: 'place', place: 'Australia' });
      expect((await getJson(`${h.url}/api/v1/calls/in`)).body.fromContact.name).toBe('Ola Nordmann');
      const csv = await (await fetch(`${h.url}/api/v1/calls?format=csv`)).text();
      expect(csv.split('\r\n')[0]).toContain('fromContact.name');
      expect(csv.split('\r\n')[0]).toContain('fromContact.town');
      expect(csv).toContain('Oslo');
      expect(csv).toContain('Ola Nordmann');
    } finally {
      await h.close();
      tmp.cleanup();
    }
  });
});

describe('contacts in live state', () => {
  it('names the counterparts of extensions, calls in progress, and the calls and extensions on the stream', async () => {
    const tmp = tempDir('sb-contacts-live-');
    writeFileSync(`${tmp.dir}/c.vcf`, VCF);
    const h = await startHarness({ config: { contacts: { file: `${tmp.dir}/c.vcf`, defaultRegion: 'NO' } } });
    const s = await openStream(`${h.url}/api/v1/stream?topics=extension,call`);
    try {
      h.hub.emit('extension', extension({ extension: '1001', state: 'in_call', callId: 'live', counterpart: { number: '+4722123456' } }));
      h.hub.emit('call', { ...inbound({ id: 'live', caller: '22 12 34 56', at: T0 }), open: true, status: 'active' });
      const ext = (await getJson(`${h.url}/api/v1/extensions`)).body.items[0];
      expect(ext.counterpartContact).toMatchObject({ match: 'exact', name: 'Ola Nordmann', company: 'Fjord AS' });
      const active = (await getJson(`${h.url}/api/v1/calls/active`)).body.items[0];
      expect(active.fromContact).toMatchObject({ match: 'exact', name: 'Ola Nordmann' });

      const callDelta = await s.next((m) => m.event === 'call');
      expect(JSON.parse(callDelta.data!).fromContact).toMatchObject({ name: 'Ola Nordmann', company: 'Fjord AS' });
      const extDelta = await s.next((m) => m.event === 'extension');
      expect(JSON.parse(extDelta.data!).counterpartContact).toMatchObject({ name: 'Ola Nordmann' });

      // a client that connects now learns the same from its snapshot
      const late = await openStream(`${h.url}/api/v1/stream`);
      try {
        const snap = JSON.parse((await late.next((m) => m.event === 'snapshot')).data!);
        expect(snap.calls[0].fromContact).toMatchObject({ name: 'Ola Nordmann' });
        expect(snap.extensions[0].counterpartContact).toMatchObject({ name: 'Ola Nordmann' });
      } finally {
        late.close();
      }
    } finally {
      s.close();
      await h.close();
      tmp.cleanup();
    }
  });
});

describe('searching calls by contact', () => {
  it("finds a contact's calls by a piece of the name or company, in any case and without accents, as the file changes", async () => {
    const tmp = tempDir('sb-contacts-q-');
    const file = `${tmp.dir}/c.csv`;
    writeFileSync(file, CSV);
    const h = await startHarness({ config: { contacts: { file, defaultRegion: 'DE' } } });
    try {
      h.store.saveCall(inbound({ id: 'anna-mobile', caller: '0151 23456789' }));
      h.store.saveCall(outbound({ id: 'anna-desk', callee: '+49 30 1234560' }));
      h.store.saveCall(inbound({ id: 'jane', caller: '+1 212 555 0101' }));
      h.store.saveCall(inbound({ id: 'stranger', caller: '+44 20 7946 0000' }));
      h.store.flush();
      const ids = async (q: string, extra = '') =>
        (await getJson(`${h.url}/api/v1/calls?q=${encodeURIComponent(q)}${extra}`)).body.items
          .map((c: { id: string }) => c.id)
          .sort();
      expect(await ids('Schmidt')).toEqual(['anna-desk', 'anna-mobile']);
      expect(await ids('maschinenbau')).toEqual(['anna-desk', 'anna-mobile']);
      expect(await ids('MULLER')).toEqual(['anna-desk', 'anna-mobile']);
      expect(await ids('jane')).toEqual(['jane']);
      // the names the PBX sent are still searched: every inbound fixture's caller is "NYC Customer"
      expect(await ids('nyc cust')).toEqual(['anna-mobile', 'jane', 'stranger']);
      expect(await ids('Schmidt', '&direction=inbound')).toEqual(['anna-mobile']);
      const paged = await getJson(`${h.url}/api/v1/calls?q=schmidt&page=1&pageSize=1`);
      expect(paged.body).toMatchObject({ total: 2, items: [expect.objectContaining({ id: 'anna-desk' })] });
      // two characters are too few to search the address book
      expect(await ids('Sc')).toEqual([]);

      // a renamed contact is found by the new name at once, with nothing rewritten in the history
      writeFileSync(file, CSV.replace('Anna Schmidt', 'Anna Becker'));
      await eventually(async () => ((await ids('becker')).length === 2 ? true : undefined), 10_000, 'the renamed contact found');
      expect(await ids('schmidt')).toEqual([]);
    } finally {
      await h.close();
      tmp.cleanup();
    }
  });
});

describe('contacts lookup configuration', () => {
  it('reads the token from its file, fills the defaults, and names what is wrong', () => {
    const tmp = tempDir('sb-contacts-cfg-');
    const write = fileWriter(tmp.dir);
    try {
      const token = write('crm.token', 'from-the-file\n');
      const ok = loadConfig(write('ok.yml', `contacts:\n  lookup:\n    url: https://crm.example/lookup\n    tokenFile: ${token}\n`), {});
      expect(ok.config.contacts.lookup).toEqual({
        url: 'https://crm.example/lookup',
        token: 'from-the-file',
        tokenFile: token,
        authHeader: 'Authorization',
        authScheme: 'Bearer',
        batchSize: 100,
        refreshSeconds: 900,
        timeoutSeconds: 5,
      });
      const both = write('both.yml', `contacts:\n  lookup:\n    url: http://crm/x\n    token: inline\n    tokenFile: ${token}\n`);
      expect(problemsOf(() => loadConfig(both, {}))).toEqual([
        'contacts.lookup.token: give either token or tokenFile, not both',
      ]);
      const bad = write('bad.yml', 'contacts:\n  lookup:\n    url: crm.example\n    batchSize: 0\n');
      expect(problemsOf(() => loadConfig(bad, {})).join('\n')).toMatch(/contacts\.lookup\.url[\s\S]*contacts\.lookup\.batchSize/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('contacts from a lookup service, in the API', () => {
  it('names calls once the service answers, never holds them up while it is down, counts its failures; the file wins', async () => {
    const crm = await new FakeCrm().start();
    const tmp = tempDir('sb-contacts-lookup-');
    writeFileSync(`${tmp.dir}/c.csv`, 'Name,Company,Phone\nFile Person,File GmbH,+49 30 1234560\n');
    crm.names.set('+4922112345678', { name: 'Carla Köhler', company: 'Rheinwerk AG' });
    crm.names.set('+49301234560', { name: 'CRM Person' });
    crm.reply = (_n, res) => res.writeHead(500).end('down for maintenance');
    const h = await startHarness({
      config: {
        contacts: {
          file: `${tmp.dir}/c.csv`,
          defaultRegion: 'DE',
          lookup: {
            url: crm.url,
            token: 'secret-token',
            authHeader: 'Authorization',
            authScheme: 'Bearer',
            batchSize: 100,
            refreshSeconds: 1,
            timeoutSeconds: 2,
          },
        },
      },
    });
    try {
      const call = inbound({ id: 'crm', caller: '0221 12345678', at: T0 });
      const fromFile = inbound({ id: 'file', caller: '+49301234560', at: T0 + 1000 });
      h.hub.emit('call', { ...call, open: true, status: 'ringing' });
      h.hub.emit('call', { ...fromFile, open: true, status: 'ringing' });
      h.store.saveCall(call);
      h.store.saveCall(fromFile);
      h.store.flush();
      await until(() => crm.requests.length > 0);
      // the service is down: the calls are there, named as far as the file and the number go
      const started = Date.now();
      const down = await getJson(`${h.url}/api/v1/calls`);
      expect(Date.now() - started).toBeLessThan(1000);
      const byId = (r: typeof down) => Object.fromEntries(r.body.items.map((c: { id: string }) => [c.id, c]));
      expect(byId(down).crm.fromContact).toMatchObject({ match: 'place', country: 'DE', name: null });
      expect(byId(down).file.fromContact).toMatchObject({ match: 'exact', name: 'File Person' });
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(metrics).toMatch(/^switchboard_contact_lookups_total\{result="http"\} [1-9]\d*$/m);
      expect(metrics).toMatch(/^switchboard_contact_lookups_total\{result="ok"\} 0$/m);
      expect(crm.requests[0].headers.authorization).toBe('Bearer secret-token');
      // the parties the file does not have are asked about (the callee is the fixtures' own number), not the file's
      expect(new Set(crm.asked)).toEqual(new Set(['+4922112345678', '+18005550100']));

      crm.reply = (n, res) => crm.answer(n, res);
      await eventually(
        async () => ((await getJson(`${h.url}/api/v1/calls/crm`)).body.fromContact?.name === 'Carla Köhler' ? true : undefined),
        10_000,
        'the call named from the lookup service',
      );
      const up = byId(await getJson(`${h.url}/api/v1/calls`));
      expect(up.crm.fromContact).toMatchObject({ match: 'exact', name: 'Carla Köhler', company: 'Rheinwerk AG' });
      expect(up.file.fromContact).toMatchObject({ match: 'exact', name: 'File Person' });
      // and the service's contacts are searchable by name
      const found = await getJson(`${h.url}/api/v1/calls?q=${encodeURIComponent('köhler')}`);
      expect(found.body.items.map((c: { id: string }) => c.id)).toEqual(['crm']);
      expect((await (await fetch(`${h.url}/metrics`)).text()).match(/^switchboard_contact_lookups_total\{result="ok"\} (\d+)$/m)?.[1]).not.toBe('0');
    } finally {
      await h.close();
      await crm.stop();
      tmp.cleanup();
    }

  });
});

async function until(ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
