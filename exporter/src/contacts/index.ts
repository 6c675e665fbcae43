import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Directory } from './directory';
import { WatchedContactsFile } from './file';
import { ContactMatcher } from './match';

export type { NumberMatch, MatchKind, Site } from './match';
export { ContactMatcher } from './match';

/** The contacts directory (from `contacts.file`, when set) and the matcher over it; `close` stops watching the file. */
export function createContacts(cfg: Config['contacts'], log?: Logger): { matcher: ContactMatcher; close(): void } {
  const empty: Directory = new Map();
  const file = cfg.file ? new WatchedContactsFile(cfg.file, { region: cfg.defaultRegion, log }) : undefined;
  const matcher = new ContactMatcher(() => file?.directory ?? empty, { region: cfg.defaultRegion, sites: cfg.sites });
  return { matcher, close: () => file?.close() };
}
