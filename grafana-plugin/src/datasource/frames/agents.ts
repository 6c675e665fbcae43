import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { ApiAgentRow } from '../api/types';
import { toMs } from './time';

/**
 * The agent report as one table: a row per agent and period (the period's start as its time), counts and seconds
 * with their units, so a table panel shows it as it comes and a bar chart can pivot it by agent.
 */
export function agentsFrame(rows: ApiAgentRow[], opts: { refId?: string } = {}): DataFrame {
  const count = { unit: 'none', decimals: 0, min: 0 };
  const num = (name: keyof ApiAgentRow, displayName: string, config: object = count) => ({
    name,
    type: FieldType.number,
    values: rows.map((r) => r[name] as number | null),
    config: { displayName, ...config },
  });
  return createDataFrame({
    refId: opts.refId,
    name: 'Agents',
    fields: [
      {
        name: 'time',
        type: FieldType.time,
        values: rows.map((r) => toMs(r.bucket)),
        config: { displayName: 'Period' },
      },
      { name: 'pbx', type: FieldType.string, values: rows.map((r) => r.pbx), config: { displayName: 'PBX' } },
      {
        name: 'extension',
        type: FieldType.string,
        values: rows.map((r) => r.extension),
        config: { displayName: 'Extension' },
      },
      { name: 'name', type: FieldType.string, values: rows.map((r) => r.name ?? ''), config: { displayName: 'Name' } },
      num('answered', 'Answered'),
      num('missed', 'Missed'),
      num('outbound', 'Outbound'),
      num('handled', 'Handled'),
      num('talkSecondsTotal', 'Talk time', { unit: 's', min: 0 }),
      num('ahtSeconds', 'Average handling time', { unit: 's', min: 0 }),
    ],
    meta: { custom: { switchboard: 'agents' } },
  });
}
