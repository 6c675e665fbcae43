import { createDataFrame, type DataFrame } from '@grafana/data';
import type { ApiParkedCall } from '../api/types';
import { stalenessFields, stringField, timeField } from './fields';
import { toMs } from './time';

/** One row per parked call: the wall's parked-calls strip (README: "Field contract"), or a table. */
export function parkedCallsFrame(
  calls: Array<ApiParkedCall & { stale?: boolean; staleSince?: string | number | null }>,
  refId?: string
): DataFrame {
  const col = <T>(f: (c: ApiParkedCall) => T) => calls.map(f);
  return createDataFrame({
    refId,
    name: 'Parked calls',
    fields: [
      stringField(
        'slot',
        'Space',
        col((c) => c.slot)
      ),
      stringField(
        'lot',
        'Lot',
        col((c) => c.lot)
      ),
      stringField(
        'party',
        'Caller',
        col((c) => c.party.number)
      ),
      stringField(
        'partyName',
        'Caller name',
        col((c) => c.party.name ?? null)
      ),
      stringField(
        'parker',
        'Parked by',
        col((c) => c.parker?.number ?? null)
      ),
      stringField(
        'parkerName',
        'Parked by (name)',
        col((c) => c.parker?.name ?? null)
      ),
      timeField(
        'parkedAt',
        'Parked at',
        col((c) => toMs(c.parkedAt))
      ),
      timeField(
        'timeoutAt',
        'Back to parker at',
        col((c) => toMs(c.timeoutAt))
      ),
      stringField(
        'callId',
        'Call',
        col((c) => c.callId ?? null)
      ),
      stringField(
        'pbx',
        'PBX',
        col((c) => c.pbx)
      ),
      ...stalenessFields(calls),
    ],
    meta: { preferredVisualisationType: 'table', custom: { switchboard: 'parkedCalls' } },
  });
}
