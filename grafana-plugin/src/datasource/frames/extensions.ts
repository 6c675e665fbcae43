import { createDataFrame, type DataFrame } from '@grafana/data';
import type { ApiExtension } from '../api/types';
import { booleanField, numberField, stalenessFields, stringField, timeField } from './fields';
import { EXTENSION_STATE_MAPPINGS } from './mappings';
import { toMs } from './time';

/**
 * Who the counterpart is, as the wall shows it: the directory's contact for that very number first, then the name the
 * PBX passed on (which is about that number), then the directory's guess (a fuzzy match names the company whose main
 * number this extension sits behind) or the internal number's site. A place names nobody.
 */
export function counterpartName(e: ApiExtension): string | null {
  const c = e.counterpartContact;
  if (c?.match === 'exact' && c.name) {
    return c.name;
  }
  return e.counterpart?.name || (c && c.match !== 'place' ? c.name : null) || null;
}

/**
 * One row per extension: the wall panel's extension contract (README: "Field contract").
 * `queues` and `pausedQueues` are comma-separated so every panel (and CSV export) can show them.
 */
export function extensionsFrame(extensions: ApiExtension[], refId?: string): DataFrame {
  const col = <T>(f: (e: ApiExtension) => T) => extensions.map(f);
  return createDataFrame({
    refId,
    name: 'Extensions',
    fields: [
      stringField(
        'extension',
        'Extension',
        col((e) => e.extension)
      ),
      stringField(
        'name',
        'Name',
        col((e) => e.name ?? null)
      ),
      stringField(
        'state',
        'State',
        col((e) => e.state ?? 'unknown'),
        { mappings: EXTENSION_STATE_MAPPINGS }
      ),
      booleanField(
        'registered',
        'Registered',
        col((e) => e.registered)
      ),
      booleanField(
        'dnd',
        'DND',
        col((e) => e.dnd)
      ),
      stringField(
        'counterpart',
        'Counterpart',
        col((e) => e.counterpart?.number ?? null)
      ),
      stringField('counterpartName', 'Counterpart name', col(counterpartName)),
      timeField(
        'callStartedAt',
        'Call started',
        col((e) => toMs(e.callStartedAt))
      ),
      timeField(
        'idleSince',
        'Idle since',
        col((e) => toMs(e.idleSince))
      ),
      stringField(
        'conference',
        'In conference',
        col((e) => e.conference ?? null)
      ),
      stringField(
        'queues',
        'Queues',
        col((e) => (e.queues ?? []).map((q) => q.queue).join(', ') || null)
      ),
      stringField(
        'pausedQueues',
        'Paused in',
        col(
          (e) =>
            (e.queues ?? [])
              .filter((q) => q.paused)
              .map((q) => q.queue)
              .join(', ') || null
        )
      ),
      numberField(
        'voicemailNew',
        'New voicemail',
        col((e) => e.voicemailNew ?? null),
        { decimals: 0 }
      ),
      numberField(
        'voicemailOld',
        'Old voicemail',
        col((e) => e.voicemailOld ?? null),
        { decimals: 0 }
      ),
      stringField(
        'userStatus',
        'User status',
        col((e) => e.userStatus ?? null)
      ),
      stringField(
        'userStatusMessage',
        'Status message',
        col((e) => e.userStatusMessage ?? null)
      ),
      numberField(
        'rttSeconds',
        'Round trip',
        col((e) => e.rttSeconds ?? null),
        { unit: 's', decimals: 3 }
      ),
      stringField(
        'callId',
        'Call ID',
        col((e) => e.callId ?? null)
      ),
      stringField(
        'pbx',
        'PBX',
        col((e) => e.pbx ?? null)
      ),
      timeField(
        'updatedAt',
        'Updated',
        col((e) => toMs(e.updatedAt))
      ),
      ...stalenessFields(extensions),
    ],
    meta: { preferredVisualisationType: 'table', custom: { switchboard: 'extensions' } },
  });
}
