import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';

/** Frames as any data source might send them: by the field contract, nothing Switchboard-specific. */
export const NOW = Date.parse('2026-11-23T19:30:00.000Z');

/** `stale` / `staleSince` fields when any row says it is stale or not (as the exporter's will); none otherwise. */
function staleFields(rows: Array<{ stale?: boolean; staleSince?: number }>) {
  return rows.some((r) => r.stale !== undefined)
    ? [
        { name: 'stale', type: FieldType.boolean, values: rows.map((r) => r.stale ?? false) },
        { name: 'staleSince', type: FieldType.time, values: rows.map((r) => r.staleSince ?? null) },
      ]
    : [];
}

export interface ExtSpec {
  extension: string;
  name?: string;
  state?: string;
  registered?: boolean;
  dnd?: boolean;
  counterpart?: string;
  counterpartName?: string;
  callStartedAt?: number;
  idleSince?: number;
  queues?: string;
  pausedQueues?: string;
  voicemailNew?: number;
  userStatus?: string;
  userStatusMessage?: string;
  pbx?: string;
  stale?: boolean;
  staleSince?: number;
}

/** With `stale` on any row, the frame carries `stale` / `staleSince` fields (as the exporter's will). */
export function extensionFrame(rows: ExtSpec[], meta?: DataFrame['meta']): DataFrame {
  const col = <K extends keyof ExtSpec>(k: K) => rows.map((r) => r[k] ?? null);
  return createDataFrame({
    refId: 'A',
    fields: [
      { name: 'extension', type: FieldType.string, values: col('extension') },
      { name: 'name', type: FieldType.string, values: col('name') },
      { name: 'state', type: FieldType.string, values: rows.map((r) => r.state ?? 'idle') },
      { name: 'registered', type: FieldType.boolean, values: rows.map((r) => r.registered ?? true) },
      { name: 'dnd', type: FieldType.boolean, values: rows.map((r) => r.dnd ?? false) },
      { name: 'counterpart', type: FieldType.string, values: col('counterpart') },
      { name: 'counterpartName', type: FieldType.string, values: col('counterpartName') },
      { name: 'callStartedAt', type: FieldType.time, values: col('callStartedAt') },
      { name: 'idleSince', type: FieldType.time, values: col('idleSince') },
      { name: 'queues', type: FieldType.string, values: col('queues') },
      { name: 'pausedQueues', type: FieldType.string, values: col('pausedQueues') },
      { name: 'voicemailNew', type: FieldType.number, values: col('voicemailNew') },
      { name: 'pbx', type: FieldType.string, values: rows.map((r) => r.pbx ?? 'demo') },
      ...(rows.some((r) => r.userStatus !== undefined)
        ? [
            { name: 'userStatus', type: FieldType.string, values: col('userStatus') },
            { name: 'userStatusMessage', type: FieldType.string, values: col('userStatusMessage') },
          ]
        : []),
      ...staleFields(rows),
    ],
    meta,
  });
}

export interface CallSpec {
  id: string;
  startedAt: number;
  answeredAt?: number;
  from?: string;
  fromName?: string;
  to?: string;
  toName?: string;
  answeredBy?: string;
  answeredByName?: string;
  direction?: string;
  queue?: string;
  status?: string;
  pbx?: string;
  stale?: boolean;
  staleSince?: number;
}

export function callFrame(rows: CallSpec[]): DataFrame {
  const col = <K extends keyof CallSpec>(k: K) => rows.map((r) => r[k] ?? null);
  return createDataFrame({
    refId: 'B',
    fields: [
      { name: 'startedAt', type: FieldType.time, values: col('startedAt') },
      { name: 'answeredAt', type: FieldType.time, values: col('answeredAt') },
      { name: 'direction', type: FieldType.string, values: col('direction') },
      { name: 'from', type: FieldType.string, values: col('from') },
      { name: 'fromName', type: FieldType.string, values: col('fromName') },
      { name: 'to', type: FieldType.string, values: col('to') },
      { name: 'toName', type: FieldType.string, values: col('toName') },
      { name: 'answeredBy', type: FieldType.string, values: col('answeredBy') },
      { name: 'answeredByName', type: FieldType.string, values: col('answeredByName') },
      { name: 'queue', type: FieldType.string, values: col('queue') },
      { name: 'status', type: FieldType.string, values: col('status') },
      { name: 'pbx', type: FieldType.string, values: rows.map((r) => r.pbx ?? 'demo') },
      ...staleFields(rows),
      { name: 'id', type: FieldType.string, values: col('id') },
    ],
  });
}
