import { createDataFrame, type DataFrame } from '@grafana/data';
import type { ApiQueue } from '../api/types';
import { SECONDS, numberField, stalenessFields, stringField, timeField } from './fields';
import { toMs } from './time';

export function callerCount(q: ApiQueue): number {
  return Array.isArray(q.callers) ? q.callers.length : Number(q.callers ?? 0);
}

/** One row per queue. Members are summarised as counts; the wall shows membership per extension. */
export function queuesFrame(queues: ApiQueue[], refId?: string): DataFrame {
  const col = <T>(f: (q: ApiQueue) => T) => queues.map(f);
  const count = { decimals: 0, min: 0 };
  return createDataFrame({
    refId,
    name: 'Queues',
    fields: [
      stringField(
        'queue',
        'Queue',
        col((q) => q.queue)
      ),
      numberField('callers', 'Waiting', col(callerCount), count),
      numberField(
        'longestWaitSeconds',
        'Longest wait',
        col((q) => q.longestWaitSeconds ?? null),
        SECONDS
      ),
      timeField(
        'oldestCallerSince',
        'Oldest caller since',
        col((q) => toMs(q.oldestCallerSince))
      ),
      numberField(
        'membersLoggedIn',
        'Logged in',
        col((q) => q.membersLoggedIn ?? null),
        count
      ),
      numberField(
        'membersAvailable',
        'Available',
        col((q) => q.membersAvailable ?? null),
        count
      ),
      numberField(
        'membersInCall',
        'In call',
        col((q) => q.membersInCall ?? null),
        count
      ),
      numberField(
        'membersPaused',
        'Paused',
        col((q) => q.membersPaused ?? null),
        count
      ),
      stringField(
        'strategy',
        'Strategy',
        col((q) => q.strategy ?? null)
      ),
      stringField(
        'pbx',
        'PBX',
        col((q) => q.pbx ?? null)
      ),
      timeField(
        'updatedAt',
        'Updated',
        col((q) => toMs(q.updatedAt))
      ),
      ...stalenessFields(queues),
    ],
    meta: { preferredVisualisationType: 'table', custom: { switchboard: 'queues' } },
  });
}
