import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import type { ContactsConfig } from './config';
import type { Directory } from './directory';
import { WatchedContactsFile } from './file';
import { LookupCache, type LookupResult } from './lookup-cache';
import { LookupClient } from './lookup-client';
import { ContactMatcher } from './match';
import { ContactSearch } from './search';
import { TownBook } from './towns';

export type { NumberMatch, MatchKind, Site } from './match';
export type { LookupResult } from './lookup-cache';
export { ContactMatcher } from './match';
export { ContactSearch } from './search';
export { TownBook, townLocales } from './towns';

export interface Contacts {
  matcher: ContactMatcher;
  /** contacts' numbers by a piece of their name or company, for `q` */
  search: ContactSearch;
  /** the lookup service's answers, when `contacts.lookup` is set */
  lookup?: LookupCache;
  towns: TownBook;
  /** the default region's and the contacts file's countries' towns loaded (never rejects) */
  ready: Promise<void>;
  /** stop watching the file and asking the service */
  close(): void;
}

/**
 * The contacts directory (from `contacts.file`, when set), the lookup service (`contacts.lookup`, when set) and the
 * matcher and search over both. `onLookup` is told how each batch asked of the service went.
 */
export function createContacts(
  cfg: ContactsConfig,
  log?: Logger,
  onLookup?: (result: LookupResult) => void,
): Contacts {
  const empty: Directory = new Map();
  const file = cfg.file ? new WatchedContactsFile(cfg.file, { region: cfg.defaultRegion, log }) : undefined;
  const directory = () => file?.directory ?? empty;
  const lookup = cfg.lookup ? lookupCache(cfg.lookup, cfg.defaultRegion, log, onLookup) : undefined;
  const towns = new TownBook({ locale: cfg.townLocale, log });
  // the countries most calls are from, loaded before the first call asks; any other loads on its first number
  const home = cfg.defaultRegion ? [`+${getCountryCallingCode(cfg.defaultRegion as CountryCode)}`] : [];
  const ready = towns.loadFor([...home, ...directory().keys()]);
  return {
    matcher: new ContactMatcher(directory, { region: cfg.defaultRegion, sites: cfg.sites, lookup, towns }),
    search: new ContactSearch(directory, lookup),
    lookup,
    towns,
    ready,
    close: () => {
      file?.close();
      lookup?.close();
    },
  };
}

function lookupCache(
  cfg: NonNullable<ContactsConfig['lookup']>,
  region: string | undefined,
  log: Logger | undefined,
  onBatch: ((result: LookupResult) => void) | undefined,
): LookupCache {
  const client = new LookupClient({
    url: cfg.url,
    token: cfg.token,
    authHeader: cfg.authHeader,
    authScheme: cfg.authScheme,
    timeoutMs: cfg.timeoutSeconds * 1000,
    region,
  });
  return new LookupCache({
    lookup: (numbers) => client.lookup(numbers),
    batchSize: cfg.batchSize,
    refreshMs: cfg.refreshSeconds * 1000,
    url: shown(cfg.url),
    log,
    onBatch,
  });
}

/** The URL as logged: without user, password or query, where API keys tend to hide. */
function shown(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  u.search = '';
  return u.toString();
}
