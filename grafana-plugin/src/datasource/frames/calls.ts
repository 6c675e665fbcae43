import { createDataFrame, type DataFrame } from '@grafana/data';
import type { ApiCall, ApiStaleness } from '../api/types';
import type { CallBack } from '../query/callBacks';
import { booleanField, numberField, SECONDS, stalenessFields, stringField, timeField } from './fields';
import { CALL_STATUS_MAPPINGS, DIRECTION_MAPPINGS } from './mappings';
import { toMs } from './time';

export interface CallsFrameOptions {
  refId?: string;
  /** Active calls: add a `durationSeconds` field measured at `now`. */
  active?: boolean;
  now?: number;
  /**
   * Missed calls' call backs (a `callBack` query): adds `rangAt` and `callBackFrom`, the extension the dashboard's
   * "Call back" action rings. Calls without one (not truly missed, or past the lookup's cap) leave both empty.
   */
  callBacks?: Map<string, CallBack>;
}

/**
 * One row per call. Field names are the panel's call-board contract (README: "Field contract"), so the
 * call board works on this frame as on any other source with the same names.
 */
export function callsFrame(calls: Array<ApiCall & ApiStaleness>, opts: CallsFrameOptions = {}): DataFrame {
  const now = opts.now ?? Date.now();
  const col = <T>(f: (c: ApiCall) => T) => calls.map(f);
  const fields = [
    timeField(
      'startedAt',
      'Started',
      col((c) => toMs(c.startedAt))
    ),
    stringField(
      'direction',
      'Direction',
      col((c) => c.direction ?? null),
      { mappings: DIRECTION_MAPPINGS }
    ),
    stringField(
      'status',
      'Status',
      col((c) => c.status ?? null),
      { mappings: CALL_STATUS_MAPPINGS }
    ),
    stringField(
      'from',
      'From',
      col((c) => c.from?.number ?? null)
    ),
    stringField(
      'fromName',
      'From name',
      col((c) => c.from?.name ?? null)
    ),
    stringField(
      'to',
      'To',
      col((c) => c.to?.number ?? null)
    ),
    stringField(
      'toName',
      'To name',
      col((c) => c.to?.name ?? null)
    ),
    stringField(
      'answeredBy',
      'Answered by',
      col((c) => c.answeredBy?.number ?? null)
    ),
    stringField(
      'answeredByName',
      'Answered by name',
      col((c) => c.answeredBy?.name ?? null)
    ),
    stringField(
      'queue',
      'Queue',
      col((c) => c.queue ?? null)
    ),
  ];
  if (opts.active) {
    fields.push(
      numberField(
        'durationSeconds',
        'Duration',
        col((c) => {
          const start = toMs(c.startedAt);
          return start === null ? null : Math.max(0, Math.round((now - start) / 1000));
        }),
        SECONDS
      ),
      timeField(
        'answeredAt',
        'Answered',
        col((c) => toMs(c.answeredAt))
      ),
      // a call of a disconnected PBX: its duration stops where the PBX was last heard
      ...stalenessFields(calls)
    );
  } else {
    fields.push(
      numberField(
        'ringSeconds',
        'Ring',
        col((c) => c.ringSeconds ?? null),
        SECONDS
      ),
      numberField(
        'talkSeconds',
        'Talk',
        col((c) => c.talkSeconds ?? null),
        SECONDS
      ),
      numberField(
        'holdSeconds',
        'Hold',
        col((c) => c.holdSeconds ?? null),
        SECONDS
      ),
      numberField(
        'waitSeconds',
        'Queue wait',
        col((c) => c.waitSeconds ?? null),
        SECONDS
      ),
      booleanField(
        'trulyMissed',
        'Truly missed',
        col((c) => c.trulyMissed ?? null)
      ),
      timeField(
        'returnedAt',
        'Returned',
        col((c) => toMs(c.returnedAt))
      ),
      timeField(
        'answeredAt',
        'Answered',
        col((c) => toMs(c.answeredAt))
      ),
      timeField(
        'endedAt',
        'Ended',
        col((c) => toMs(c.endedAt))
      )
    );
  }
  fields.push(
    stringField(
      'pbx',
      'PBX',
      col((c) => c.pbx ?? null)
    ),
    stringField(
      'id',
      'Call ID',
      col((c) => c.id)
    )
  );
  if (opts.callBacks) {
    const cb = opts.callBacks;
    fields.push(
      stringField(
        'rangAt',
        'Rang at',
        col((c) => cb.get(c.id)?.rangAt.join(', ') || null)
      ),
      stringField(
        'callBackFrom',
        'Call back from',
        col((c) => cb.get(c.id)?.from ?? null)
      )
    );
  }
  return createDataFrame({
    refId: opts.refId,
    name: opts.active ? 'Active calls' : 'Calls',
    fields,
    meta: {
      preferredVisualisationType: 'table',
      custom: { switchboard: opts.active ? 'activeCalls' : 'calls' },
    },
  });
}
