import { randomUUID } from 'node:crypto';
import type { PgCluster } from './pg-cluster';

/** `cdroutput` as 3CX v20 Update 6 creates it (columns and types of the introspected schema in the reference). */
export const CDROUTPUT_DDL = `
CREATE TABLE cdroutput (
  cdr_id uuid PRIMARY KEY,
  call_history_id uuid NOT NULL,
  source_participant_id uuid, source_entity_type text, source_dn_number text, source_dn_type text, source_dn_name text,
  source_participant_name text, source_participant_phone_number text, source_participant_trunk_did text,
  source_participant_is_incoming boolean, source_participant_is_already_connected boolean,
  source_participant_group_name text, source_participant_billing_suffix text,
  destination_participant_id uuid, destination_entity_type text, destination_dn_number text, destination_dn_type text,
  destination_dn_name text, destination_participant_name text, destination_participant_phone_number text,
  destination_participant_trunk_did text, destination_participant_is_incoming boolean,
  destination_participant_is_already_connected boolean, destination_participant_group_name text,
  destination_participant_billing_suffix text,
  base_cdr_id uuid, originating_cdr_id uuid, creation_method text, creation_forward_reason text, termination_reason text,
  terminated_by_participant_id uuid, continued_in_cdr_id uuid,
  cdr_started_at timestamptz, cdr_ended_at timestamptz, cdr_answered_at timestamptz,
  termination_reason_details text, processed boolean, migrated boolean, main_call_history_id uuid,
  source_presentation text, offload_id text
);
CREATE INDEX cdroutput_call ON cdroutput (call_history_id);
`;

/** The configuration tables membership reads (column names as public code against 3CX's database_single uses them). */
export const CONFIG_DDL = `
CREATE TABLE dn (iddn integer PRIMARY KEY, value text NOT NULL);
CREATE TABLE extension (fkiddn integer PRIMARY KEY REFERENCES dn, enabled boolean NOT NULL DEFAULT true, qstatus integer NOT NULL DEFAULT 1);
CREATE TABLE users (fkidextension integer REFERENCES extension, firstname text, lastname text);
CREATE TABLE queue (fkiddn integer PRIMARY KEY REFERENCES dn, name text);
CREATE TABLE queue2dn (fkidqueue integer REFERENCES queue, fkiddn integer REFERENCES dn, is_logged_in boolean NOT NULL DEFAULT true);
CREATE TABLE ringgroup (fkiddn integer PRIMARY KEY REFERENCES dn, name text, ringstrategy integer);
CREATE TABLE ringgroup2dn (fkidringgroup integer REFERENCES ringgroup, fkiddn integer REFERENCES dn, priority integer);
`;

/** The read-only reporting user 3CX creates, with only what Switchboard reads granted. */
export async function createReader(pg: PgCluster, tables: string[]): Promise<void> {
  await pg.sql(`CREATE ROLE logsreader LOGIN PASSWORD 'reader-secret'`);
  for (const t of tables) await pg.sql(`GRANT SELECT ON ${t} TO logsreader`);
}

export interface Endpoint {
  entity: string;
  dnType: string;
  dn: string;
  dnName?: string;
  name?: string;
  phone?: string;
  did?: string;
  id?: string;
}

export const caller = (phone: string, did: string, name?: string): Endpoint => ({
  entity: 'external_line',
  dnType: 'provider',
  dn: '10003',
  dnName: 'SIP-Provider',
  name,
  phone,
  did,
  id: randomUUID(),
});
export const ext = (dn: string, dnName: string): Endpoint => ({ entity: 'extension', dnType: 'extension', dn, dnName });
export const mailbox = (dn: string, dnName: string): Endpoint => ({
  entity: 'voicemail',
  dnType: 'extension',
  dn,
  dnName,
});
export const queue = (dn: string, dnName: string): Endpoint => ({ entity: 'queue', dnType: 'queue', dn, dnName });
export const ringAll = (dn: string, dnName: string): Endpoint => ({
  entity: 'ring_group_ring_all',
  dnType: 'ring_group_ring_all',
  dn,
  dnName,
});
export const routing = (did: string): Endpoint => ({
  entity: 'inbound_routing',
  dnType: 'unknown',
  dn: did,
  phone: did,
});
export const outboundRule = (number: string): Endpoint => ({ entity: 'outbound_rule', dnType: 'unknown', dn: number });
export const outside = (phone: string): Endpoint => ({
  entity: 'external_line',
  dnType: 'provider',
  dn: '10003',
  dnName: 'SIP-Provider',
  phone,
});

export interface SegmentSpec {
  from: Endpoint;
  to: Endpoint;
  method: 'call_init' | 'divert' | 'transfer' | 'route_to' | 'pickup';
  reason?: string;
  /** seconds after the call's start */
  start: number;
  answer?: number;
  end?: number | null;
  termination: string;
  details?: string;
  /** the segment this one came from (index into the call's segments) */
  parent?: number;
  /** the segment this one continued in (index) */
  continuedIn?: number;
}

/**
 * One call as 3CX v20 writes it: a row per segment, linked through originating/base/continued-in ids, all with one
 * call_history_id. Times are seconds after `t0`.
 */
export function callRows(t0: number, segments: SegmentSpec[]): { id: string; rows: Record<string, unknown>[] } {
  const id = randomUUID();
  const ids = segments.map(() => randomUUID());
  const rows = segments.map((s, i) => {
    const to = { ...s.to, id: s.to.id ?? randomUUID() };
    const parent = s.parent !== undefined ? ids[s.parent] : null;
    return {
      cdr_id: ids[i],
      call_history_id: id,
      main_call_history_id: id,
      source_participant_id: s.from.id ?? null,
      source_entity_type: s.from.entity,
      source_dn_number: s.from.dn,
      source_dn_type: s.from.dnType,
      source_dn_name: s.from.dnName ?? null,
      source_participant_name: s.from.name ?? null,
      source_participant_phone_number: s.from.phone ?? null,
      source_participant_trunk_did: s.from.did ?? null,
      source_participant_is_incoming: s.from.entity === 'external_line',
      destination_participant_id: to.id,
      destination_entity_type: to.entity,
      destination_dn_number: to.dn,
      destination_dn_type: to.dnType,
      destination_dn_name: to.dnName ?? null,
      destination_participant_name: to.name ?? null,
      destination_participant_phone_number: to.phone ?? null,
      originating_cdr_id: parent,
      base_cdr_id: parent,
      creation_method: s.method,
      creation_forward_reason: s.reason ?? 'none',
      termination_reason: s.termination,
      termination_reason_details: s.details ?? 'none',
      continued_in_cdr_id: s.continuedIn !== undefined ? ids[s.continuedIn] : null,
      cdr_started_at: new Date(t0 + s.start * 1000),
      cdr_answered_at: s.answer !== undefined ? new Date(t0 + s.answer * 1000) : null,
      cdr_ended_at: s.end === null ? null : new Date(t0 + (s.end ?? s.start) * 1000),
      processed: true,
      migrated: false,
    };
  });
  return { id, rows };
}

/** Rows of one shape (one call's, or the sample's) in one statement. */
export async function insertRows(pg: PgCluster, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${cols.map((c) => `$${values.push(r[c] ?? null)}`).join(', ')})`);
  await pg.sql(`INSERT INTO cdroutput (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}
