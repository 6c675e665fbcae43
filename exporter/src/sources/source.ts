import type { Logger } from 'pino';
import type { OpenCallReader, SourceKind } from '../domain';
import type { Hub } from '../hub';

export interface SourceContext {
  hub: Hub;
  log: Logger;
  store: OpenCallReader;
  /** clock, replaceable in tests */
  now?: () => number;
}

/**
 * One PBX connection. A source turns its protocol into hub events (through correlation) and knows nothing of HTTP,
 * SQLite or Prometheus. start() resolves once the first connection attempt has been made (it need not succeed):
 * a source retries on its own and reports its state through `source` hub events.
 */
export interface Source {
  readonly pbx: string;
  readonly kind: SourceKind;
  start(): Promise<void>;
  /** stop retrying, close the connection, flush open calls to the hub */
  stop(): Promise<void>;
}
