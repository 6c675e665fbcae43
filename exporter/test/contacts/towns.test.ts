import { writeFileSync } from 'node:fs';
import { createContacts } from '../../src/contacts';
import { fromCsv } from '../../src/contacts/directory';
import { ContactMatcher } from '../../src/contacts/match';
import { TownBook, townLocales } from '../../src/contacts/towns';
import { loadConfig } from '../../src/config/load';
import { fileWriter, problemsOf } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

const DIRECTORY = fromCsv('Name,Phone\nAcme Zürich,+41 43 123 45 60\n').directory;

/** A matcher over a small directory whose countries' town data was loaded first, as the exporter does at start. */
async function matcher(locale?: string): Promise<{ m: ContactMatcher; towns: TownBook }> {
  const towns = new TownBook({ locale });
  await Promise.all(['49', '44', '41', '1', '55'].map((c) => towns.load(c)));
  return { m: new ContactMatcher(() => DIRECTORY, { region: 'DE', towns }), towns };
}

describe('towns of landline numbers', () => {
  it('names the town of landlines of several countries, by the longest prefix the data has', async () => {
    const { m } = await matcher();
    expect(m.lookup('+49 30 1234567')).toMatchObject({
      match: 'place',
      country: 'DE',
      place: 'Germany',
      town: 'Berlin',
    });
    expect(m.lookup('089 123456')).toMatchObject({ e164: '+4989123456', town: 'Munich' });
    expect(m.lookup('+44 113 496 0000')).toMatchObject({ country: 'GB', town: 'Leeds' });
    expect(m.lookup('+41 43 765 43 21')).toMatchObject({ country: 'CH', town: 'Zurich' });
    expect(m.lookup('+1 212 555 0101')).toMatchObject({
      country: 'US',
      type: 'FIXED_LINE_OR_MOBILE',
      town: 'New York, NY',
    });
  });

  it('names the town of exact and fuzzy matches too', async () => {
    const { m } = await matcher();
    expect(m.lookup('+41 43 123 45 60')).toMatchObject({ match: 'exact', name: 'Acme Zürich', town: 'Zurich' });
    expect(m.lookup('+41 43 123 45 67')).toMatchObject({ match: 'fuzzy', name: 'Acme Zürich', town: 'Zurich' });
  });

  it('gives town names in the configured locale, in English where the locale has none for a country', async () => {
    const { m } = await matcher('de');
    expect(m.lookup('+49 89 123456')).toMatchObject({ town: 'München' });
    expect(m.lookup('+41 43 765 43 21')).toMatchObject({ town: 'Zürich' });
    expect(m.lookup('+44 113 496 0000')).toMatchObject({ town: 'Leeds' }); // no German names for the UK
  });

  it('gives mobiles no town, even where the data has one for their prefix', async () => {
    const { m, towns } = await matcher();
    // the data names São Paulo for this prefix (the area code of the number); a mobile is not where its prefix says
    expect(towns.town('55', '11912345678')).toBe('São Paulo');
    expect(m.lookup('+55 11 91234 5678')).toMatchObject({ country: 'BR', type: 'MOBILE', town: null });
    expect(m.lookup('+49 151 23456789')).toMatchObject({ type: 'MOBILE', town: null });
  });

  it('names a country not loaded yet once its data has loaded; the answer without the town is not kept', async () => {
    const towns = new TownBook();
    const m = new ContactMatcher(() => DIRECTORY, { towns });
    expect(towns.town('39', '0612345678')).toBeUndefined(); // starts the load
    expect(m.lookup('+39 06 1234 5678')).toMatchObject({ country: 'IT', type: 'FIXED_LINE', town: null });
    await towns.load('39'); // the load already under way
    expect(m.lookup('+39 06 1234 5678')).toMatchObject({ country: 'IT', town: 'Rome' });
  });

  it('answers null for numbers the data has nothing for, and for countries without data', async () => {
    const towns = new TownBook();
    await towns.load('49');
    expect(towns.town('49', '999999')).toBeNull();
    await towns.load('999');
    expect(towns.town('999', '123456')).toBeNull();
  });

  it('loads the default region and the contacts file at start', async () => {
    const tmp = tempDir('sb-towns-');
    try {
      writeFileSync(`${tmp.dir}/c.csv`, 'Name,Phone\nLeeds office,+44 113 496 0001\n');
      const contacts = createContacts({ file: `${tmp.dir}/c.csv`, defaultRegion: 'CH', townLocale: 'en', sites: [] });
      try {
        await contacts.ready;
        // both answered on the first ask: their countries were loaded before it
        expect(contacts.matcher.lookup('044 123 45 67')).toMatchObject({ e164: '+41441234567', town: 'Zurich' });
        expect(contacts.matcher.lookup('+44 113 496 0001')).toMatchObject({ match: 'exact', town: 'Leeds' });
        expect(contacts.towns.town('49', '301234567')).toBeUndefined(); // neither: not loaded
      } finally {
        contacts.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

describe('contacts.townLocale', () => {
  it('defaults to English, takes a locale the data has, and names the key for one it has not', () => {
    const tmp = tempDir('sb-towns-cfg-');
    const write = fileWriter(tmp.dir);
    try {
      expect(loadConfig(undefined, {}).config.contacts.townLocale).toBe('en');
      expect(townLocales()).toEqual(expect.arrayContaining(['de', 'en', 'fr', 'zh_Hant']));
      expect(loadConfig(write('de.yml', 'contacts:\n  townLocale: de\n'), {}).config.contacts.townLocale).toBe('de');
      expect(problemsOf(() => loadConfig(write('bad.yml', 'contacts:\n  townLocale: DE\n'), {}))).toEqual([
        'contacts.townLocale: no town names in "DE"; did you mean "de"?',
      ]);
      expect(problemsOf(() => loadConfig(write('far.yml', 'contacts:\n  townLocale: klingon\n'), {}))[0]).toMatch(
        /^contacts\.townLocale: no town names in "klingon"; one of ar, .*\ben\b.*zh_Hant$/,
      );
    } finally {
      tmp.cleanup();
    }
  });
});
