import { Counter, type Registry } from 'prom-client';
import type { LookupResult } from '../contacts/lookup-cache';

const RESULTS: readonly LookupResult[] = ['ok', 'timeout', 'network', 'http', 'invalid'];

/**
 * Counts the batches asked of the contacts lookup service by result, so an alert can tell a lookup that stopped
 * answering from one with nothing to ask: the log says it once, this counts every failed batch.
 */
export function countContactLookups(registry: Registry, configured: boolean): (result: LookupResult) => void {
  const lookups = new Counter({
    name: 'switchboard_contact_lookups_total',
    help: 'Batches asked of the contacts lookup service (contacts.lookup) by result: ok, timeout, network, http (an error status) or invalid (no contacts list)',
    labelNames: ['result'],
    registers: [registry],
  });
  // every result shows from the start when a service is configured, so rate() and absent() work at once
  if (configured) for (const result of RESULTS) lookups.inc({ result }, 0);
  return (result) => lookups.inc({ result });
}
