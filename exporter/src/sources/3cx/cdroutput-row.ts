import { BadRecord } from './bad-record';

type Time = Date | string | number | null | undefined;

/**
 * The `cdroutput` columns Switchboard reads (3CX v20 Update 6+: one row per call segment). Times come as `Date`
 * from `pg`, as text from a CSV export.
 */
export interface CdrOutputRow {
  cdr_id: string;
  call_history_id: string;
  source_participant_id?: string | null;
  source_entity_type?: string | null;
  source_dn_number?: string | null;
  source_dn_type?: string | null;
  source_dn_name?: string | null;
  source_participant_name?: string | null;
  source_participant_phone_number?: string | null;
  source_participant_trunk_did?: string | null;
  destination_participant_id?: string | null;
  destination_entity_type?: string | null;
  destination_dn_number?: string | null;
  destination_dn_type?: string | null;
  destination_dn_name?: string | null;
  destination_participant_name?: string | null;
  destination_participant_phone_number?: string | null;
  base_cdr_id?: string | null;
  originating_cdr_id?: string | null;
  continued_in_cdr_id?: string | null;
  creation_method?: string | null;
  creation_forward_reason?: string | null;
  termination_reason?: string | null;
  termination_reason_details?: string | null;
  cdr_started_at: Time;
  cdr_answered_at?: Time;
  cdr_ended_at?: Time;
}

/** The columns above, for the poller's SELECT (so a schema with extra columns costs nothing). */
export const CDROUTPUT_COLUMNS = [
  'cdr_id',
  'call_history_id',
  'source_participant_id',
  'source_entity_type',
  'source_dn_number',
  'source_dn_type',
  'source_dn_name',
  'source_participant_name',
  'source_participant_phone_number',
  'source_participant_trunk_did',
  'destination_participant_id',
  'destination_entity_type',
  'destination_dn_number',
  'destination_dn_type',
  'destination_dn_name',
  'destination_participant_name',
  'destination_participant_phone_number',
  'base_cdr_id',
  'originating_cdr_id',
  'continued_in_cdr_id',
  'creation_method',
  'creation_forward_reason',
  'termination_reason',
  'termination_reason_details',
  'cdr_started_at',
  'cdr_answered_at',
  'cdr_ended_at',
] as const;

/** `2026-02-04 15:20:05.842 +0100` (psql / CSV text) or a Date → epoch ms. */
export function timeOf(v: Time, column: string, cdrId: string): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const iso = v
    .trim()
    .replace(' ', 'T')
    .replace(/ ([+-]\d{2})(:?)(\d{2})?$/, (_m, h: string, _c, mm?: string) => `${h}:${mm ?? '00'}`);
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new BadRecord('bad time', `${column} of ${cdrId}: "${v.slice(0, 40)}"`);
  return t;
}
