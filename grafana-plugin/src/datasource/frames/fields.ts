import { FieldType, type FieldConfig, type FieldDTO } from '@grafana/data';
import { toMs } from './time';

/** Small constructors so every builder declares type, unit and display name the same way. */
export function timeField(name: string, displayName: string, values: Array<number | null>): FieldDTO {
  return { name, type: FieldType.time, values, config: { displayName } };
}

export function stringField(
  name: string,
  displayName: string,
  values: Array<string | null>,
  config: FieldConfig = {}
): FieldDTO {
  return { name, type: FieldType.string, values, config: { displayName, ...config } };
}

export function numberField(
  name: string,
  displayName: string,
  values: Array<number | null>,
  config: FieldConfig = {}
): FieldDTO {
  return { name, type: FieldType.number, values, config: { displayName, ...config } };
}

export function booleanField(
  name: string,
  displayName: string,
  values: Array<boolean | null>,
  config: FieldConfig = {}
): FieldDTO {
  return { name, type: FieldType.boolean, values, config: { displayName, ...config } };
}

/** Seconds → the `s` unit; whole numbers read better in tables and stats. */
export const SECONDS: FieldConfig = { unit: 's', decimals: 0 };

/**
 * `stale` and `staleSince` of live items (filled by the data source from the source status when the exporter does
 * not send them): the wall dims stale cards and stops their timers at `staleSince`.
 */
export function stalenessFields(items: Array<{ stale?: boolean; staleSince?: string | number | null }>): FieldDTO[] {
  return [
    booleanField(
      'stale',
      'Stale',
      items.map((i) => i.stale ?? null)
    ),
    timeField(
      'staleSince',
      'Stale since',
      items.map((i) => toMs(i.staleSince))
    ),
  ];
}
