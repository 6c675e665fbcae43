import { FieldType, type FieldConfig, type FieldDTO } from '@grafana/data';

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
