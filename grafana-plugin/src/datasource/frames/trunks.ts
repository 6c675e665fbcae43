import { createDataFrame, type DataFrame } from '@grafana/data';
import type { ApiTrunk } from '../api/types';
import { booleanField, numberField, stalenessFields, stringField, timeField } from './fields';
import { toMs } from './time';

export function trunksFrame(trunks: ApiTrunk[], refId?: string): DataFrame {
  const col = <T>(f: (t: ApiTrunk) => T) => trunks.map(f);
  return createDataFrame({
    refId,
    name: 'Trunks',
    fields: [
      stringField(
        'trunk',
        'Trunk',
        col((t) => t.trunk)
      ),
      booleanField(
        'registered',
        'Registered',
        col((t) => t.registered)
      ),
      stringField(
        'status',
        'Status',
        col((t) => t.status ?? null)
      ),
      numberField(
        'activeCalls',
        'Active calls',
        col((t) => t.activeCalls ?? 0),
        { decimals: 0, min: 0 }
      ),
      numberField(
        'rttSeconds',
        'Round trip',
        col((t) => t.rttSeconds ?? null),
        { unit: 's', decimals: 3 }
      ),
      stringField(
        'pbx',
        'PBX',
        col((t) => t.pbx ?? null)
      ),
      timeField(
        'updatedAt',
        'Updated',
        col((t) => toMs(t.updatedAt))
      ),
      ...stalenessFields(trunks),
    ],
    meta: { preferredVisualisationType: 'table', custom: { switchboard: 'trunks' } },
  });
}
