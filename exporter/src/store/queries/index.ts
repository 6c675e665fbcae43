import type { UserStatusTable } from '../user-status';
import type { Database } from 'better-sqlite3';
import { AgentQueries } from './agents';
import { CallQueries } from './calls';
import { HistoryQueries } from './history';
import { StatsQueries } from './stats';

export * from './agents';
export * from './calls';
export * from './cursor';
export * from './history';
export * from './stats';

/** Every read the API makes, on the store's connection (WAL lets them run beside the writer's commits). */
export interface Queries {
  calls: CallQueries;
  stats: StatsQueries;
  history: HistoryQueries;
  agents: AgentQueries;
}

export function createQueries(db: Database): Queries {
  return {
    calls: new CallQueries(db),
    stats: new StatsQueries(db),
    history: new HistoryQueries(db),
    agents: new AgentQueries(db),
  };
}

/** What the API may ask of the store: its queries and the schema version, never its connection. */
export interface StoreReader {
  readonly queries: Queries;
  readonly userStatuses: Pick<UserStatusTable, 'history'>;
  schemaVersion(): number;
  /**
   * Runs a long read (an export) on a read-only connection of its own, yielding as the caller pulls: an open
   * iterator holds its connection, which must not be the one the writer commits on. The connection closes when the
   * iteration ends, however it ends.
   */
  stream<T>(read: (queries: Queries) => Iterable<T>): Generator<T>;
}
