import type { CallRecorded } from '../../domain/leg-events';
import type { Ledger } from '../ledger';

/**
 * A source that only knows finished calls (3CX, a webhook's `call` event) hands over the record itself: published
 * as it is, and a call that waited in a queue counts for that queue like a live queue call.
 */
export function recorded(l: Ledger, ev: CallRecorded): void {
  const call = { ...ev.record, pbx: l.pbx };
  l.out.ended(call);
  if (call.queue === undefined || call.waitMs === undefined) return;
  const outcome =
    call.status === 'abandoned'
      ? 'abandoned'
      : call.status === 'answered' && call.group?.type === 'queue'
        ? 'answered'
        : 'timeout';
  l.out.queueCall({ pbx: call.pbx, queue: call.queue, outcome, waitMs: call.waitMs, at: call.endedAt ?? ev.at });
}
