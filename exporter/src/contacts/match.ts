import type { Contact, Directory } from './directory';
import { AnswerCache } from './answer-cache';
import { isLandline, numberInfo, type NumberInfo } from './number';
import type { TownBook } from './towns';

/** How a number was named: the directory had it, had its company's main number, only the number itself, or a site. */
export type MatchKind = 'exact' | 'fuzzy' | 'place' | 'site';

export interface NumberMatch {
  match: MatchKind;
  /** the contact's name (for a fuzzy match, the company's); the site for an internal number; null for a place */
  name: string | null;
  company: string | null;
  e164: string | null;
  country: string | null;
  /** the country's name */
  place: string | null;
  /** a landline's town (Google libphonenumber's geocoding data); null for mobiles and numbers the data has none for */
  town: string | null;
  type: string | null;
  formatted: string | null;
}

/** An internal number range: extensions starting with `prefix` belong to the site `name`. */
export interface Site {
  prefix: string;
  name: string;
}

/** Contacts from a lookup service: known, null (it has none), or undefined (not answered yet). */
export interface LookupSource {
  get(e164: string): Contact | null | undefined;
}

/** internal numbers are short and never international */
const INTERNAL = /^\d{1,7}$/;
/** a company's main number may end in 0 where its extensions put the direct-dial digits */
const MAIN_SUFFIXES = ['', '0'];
const CACHE_MAX = 20_000;

/**
 * Names numbers in three stages: exact (the directory has the number), fuzzy (a landline whose last 1–3 digits are
 * an extension behind a number the directory has: the company's main number), else what the number itself says
 * (country, town, kind, international format). Internal numbers are named after their site. Answers are cached per
 * directory (a reload starts a fresh cache): the numbers that come back, not every number (see AnswerCache). A
 * lookup service, when given, is asked where the file has no exact match: the file's contacts win; the service's
 * contact wins over a fuzzy match or the place.
 */
export class ContactMatcher {
  private cache = new AnswerCache<NumberMatch | null>(CACHE_MAX);
  private cachedFor: Directory | undefined;
  private readonly sites: Site[];
  /** the last answer `find` made lacks its town, its country's data still loading: it is not kept but asked again */
  private townPending = false;

  constructor(
    private readonly directory: () => Directory,
    private readonly opts: { region?: string; sites?: Site[]; lookup?: LookupSource; towns?: TownBook } = {},
  ) {
    this.sites = [...(opts.sites ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /**
   * `bulk`: one of very many numbers read at once (a CSV export), whose new answers are kept only where the cache has
   * room. Rows of a million calls name some 140,000 different numbers, most of them once: letting them push out the
   * answers kept for the live picture would only make garbage for V8's old generation (the export's memory) and cost
   * the live lookups their hits.
   */
  lookup(number: string | undefined | null, bulk = false): NumberMatch | null {
    if (!number) return null;
    const dir = this.directory();
    if (dir !== this.cachedFor) {
      this.cache = new AnswerCache(CACHE_MAX);
      this.cachedFor = dir;
    }
    let found = this.cache.get(number);
    if (found === undefined) {
      found = this.find(dir, number);
      if (!this.townPending && this.cache.admits(number, bulk ? 'room' : undefined)) this.cache.keep(number, found && kept(found));
    }
    return this.withLookup(found);
  }

  /** asked every time rather than cached here: the service's answers arrive after the first ask, and change */
  private withLookup(m: NumberMatch | null): NumberMatch | null {
    if (!this.opts.lookup || !m?.e164 || m.match === 'exact') return m;
    const c = this.opts.lookup.get(m.e164);
    return c ? { ...m, match: 'exact', name: c.name, company: c.company } : m;
  }

  private find(dir: Directory, number: string): NumberMatch | null {
    this.townPending = false;
    const trimmed = number.trim();
    if (INTERNAL.test(trimmed)) {
      const site = this.sites.find((s) => trimmed.startsWith(s.prefix));
      return site ? answer('site', site.name, null) : null;
    }
    const info = numberInfo(trimmed, this.opts.region);
    if (!info) return null;
    const town = this.townOf(info);
    const exact = dir.get(info.e164);
    if (exact) return answer('exact', exact.name, exact.company, info, town);
    if (isLandline(info)) {
      for (let strip = 1; strip <= 3; strip++) {
        const base = info.e164.slice(0, -strip);
        for (const suffix of MAIN_SUFFIXES) {
          const main = dir.get(base + suffix);
          if (main) return answer('fuzzy', main.company ?? main.name, main.company, info, town);
        }
      }
    }
    return answer('place', null, null, info, town);
  }

  /** Only geographic numbers have a town: a mobile's prefix says nothing of where it is. */
  private townOf(info: NumberInfo): string | null {
    if (!this.opts.towns || !isLandline(info)) return null;
    const town = this.opts.towns.town(info.callingCode, info.national);
    if (town === undefined) this.townPending = true;
    return town ?? null;
  }
}

/** Every answer built by one literal, not spreads: one shape and layout for V8, for the thousands the cache keeps. */
const answer = (
  match: MatchKind,
  name: string | null,
  company: string | null,
  info?: NumberInfo,
  town: string | null = null,
): NumberMatch => ({
  e164: info?.e164 ?? null,
  country: info?.country ?? null,
  place: info?.place ?? null,
  town,
  type: info?.type ?? null,
  formatted: info?.formatted ?? null,
  match,
  name,
  company,
});

/**
 * A copy of an answer for the cache, made at a place of its own and only for the cache. V8 learns per place in the
 * code whether the objects made there live long and, once they do, makes the next ones straight in its old
 * generation: had the cache kept `answer`'s own objects, every answer after the cache filled up (most of them read
 * once) would be made there, keeping its strings with it, as garbage only a full collection frees (some 30 MB over an
 * export of a million calls).
 */
const kept = (a: NumberMatch): NumberMatch => ({
  e164: a.e164,
  country: a.country,
  place: a.place,
  town: a.town,
  type: a.type,
  formatted: a.formatted,
  match: a.match,
  name: a.name,
  company: a.company,
});
