import { createDataFrame, type DataFrame, type FieldConfig } from '@grafana/data';
import type { ApiAgentRow } from '../api/types';
import { numberField, stringField, timeField } from './fields';
import { toMs } from './time';

/**
 * The agent report as one table: a row per agent and period (the period's start as its time), counts and seconds
 * with their units, so a table panel shows it as it comes and a bar chart can pivot it by agent.
 */
export function agentsFrame(rows: ApiAgentRow[], opts: { refId?: string } = {}): DataFrame {
  const count: FieldConfig = { unit: 'none', decimals: 0, min: 0 };
  const seconds: FieldConfig = { unit: 's', min: 0 };
  const num = (name: keyof ApiAgentRow) => rows.map((r) => r[name] as number | null);
  return createDataFrame({
    refId: opts.refId,
    name: 'Agents',
    fields: [
      timeField(
        'time',
        'Period',
        rows.map((r) => toMs(r.bucket))
      ),
      stringField(
        'pbx',
        'PBX',
        rows.map((r) => r.pbx)
      ),
      stringField(
        'extension',
        'Extension',
        rows.map((r) => r.extension)
      ),
      stringField(
        'name',
        'Name',
        rows.map((r) => r.name ?? '')
      ),
      numberField('answered', 'Answered', num('answered'), count),
      numberField('missed', 'Missed', num('missed'), count),
      numberField('outbound', 'Outbound', num('outbound'), count),
      numberField('handled', 'Handled', num('handled'), count),
      numberField('talkSecondsTotal', 'Talk time', num('talkSecondsTotal'), seconds),
      numberField('ahtSeconds', 'Average handling time', num('ahtSeconds'), seconds),
    ],
    meta: { custom: { switchboard: 'agents' } },
  });
}
