import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Directory } from './directory';
import { WatchedContactsFile } from './file';
import { ContactMatcher } from './match';
import { ContactSearch } from './search';

export type { NumberMatch, MatchKind, Site } from './match';
export { ContactMatcher } from './match';
export { ContactSearch } from './search';

/**
 * The contacts directory (from `contacts.file`, when set), the matcher and the name search over it; `close` stops
 * watching the file.
 */
export function createContacts(
  cfg: Config['contacts'],
  log?: Logger,
): { matcher: ContactMatcher; search: ContactSearch; close(): void } {
  const empty: Directory = new Map();
  const file = cfg.file ? new WatchedContactsFile(cfg.file, { region: cfg.defaultRegion, log }) : undefined;
  const directory = () => file?.directory ?? empty;
  const matcher = new ContactMatcher(directory, { region: cfg.defaultRegion, sites: cfg.sites });
  return { matcher, search: new ContactSearch(directory), close: () => file?.close() };
}
