import type { Call, CallGroup, Gap, HoldInterval, Leg, Party, Transfer } from '../domain';
import { externalNumberOf, isTrulyMissed } from '../domain';

/** How a call sits in the `calls` table. Transfers, holds and the group live in the JSON `detail` column. */
export interface CallRow {
  rowid?: number;
  id: string;
  pbx: string;
  direction: string;
  status: string;
  open: number;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  ring_ms: number;
  talk_ms: number;
  hold_ms: number;
  wait_ms: number | null;
  from_number: string | null;
  from_name: string | null;
  to_number: string | null;
  to_name: string | null;
  answered_by: string | null;
  answered_by_name: string | null;
  queue: string | null;
  group_type: string | null;
  group_id: string | null;
  truly_missed: number;
  external_number: string | null;
  returned_at: number | null;
  detail: string;
  updated_at: number;
}

export interface LegRow {
  call_rowid: number;
  seq: number;
  /** the leg's id at its source (an Asterisk Uniqueid); null in rows written before migration 5 */
  source_id: string | null;
  party: string;
  name: string | null;
  role: string;
  channel: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  outcome: string | null;
  cause: number | null;
}

interface CallDetail {
  transfers: Transfer[];
  holds: HoldInterval[];
  group?: CallGroup;
}

/**
 * The key that ties a missed call to its call-back: the last 8 digits. Inbound caller ids arrive in E.164
 * (`+12125550101`) while users dial national formats or with a trunk prefix (`912125550101`); the subscriber
 * digits agree. Shorter numbers (extensions, short codes) get no key.
 */
export function numberKey(number: string | undefined): string | null {
  if (!number) return null;
  const digits = number.replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-8) : null;
}

/** Digits only, for search: `(212) 555-0101` and `+1 212 5550101` both become searchable as `2125550101`. */
export function digitsOf(number: string | undefined): string {
  return number ? number.replace(/\D/g, '') : '';
}

export function callToRow(call: Call, now: number): CallRow {
  const detail: CallDetail = { transfers: call.transfers, holds: call.holds };
  if (call.group) detail.group = call.group;
  return {
    id: call.id,
    pbx: call.pbx,
    direction: call.direction,
    status: call.status,
    open: call.open ? 1 : 0,
    started_at: call.startedAt,
    answered_at: call.answeredAt ?? null,
    ended_at: call.endedAt ?? null,
    ring_ms: Math.round(call.ringMs),
    talk_ms: Math.round(call.talkMs),
    hold_ms: Math.round(call.holdMs),
    wait_ms: call.waitMs === undefined ? null : Math.round(call.waitMs),
    from_number: call.from.number || null,
    from_name: call.from.name ?? null,
    to_number: call.to.number || null,
    to_name: call.to.name ?? null,
    answered_by: call.answeredBy?.number ?? null,
    answered_by_name: call.answeredBy?.name ?? null,
    queue: call.queue ?? (call.group?.type === 'queue' ? call.group.id : null),
    group_type: call.group?.type ?? null,
    group_id: call.group?.id ?? null,
    truly_missed: !call.open && isTrulyMissed(call) ? 1 : 0,
    external_number: numberKey(externalNumberOf(call)),
    returned_at: null,
    detail: JSON.stringify(detail),
    updated_at: now,
  };
}

export function legToRow(leg: Leg, callRowid: number, seq: number): LegRow {
  return {
    call_rowid: callRowid,
    seq,
    source_id: leg.id,
    party: leg.party.number,
    name: leg.party.name ?? null,
    role: leg.role,
    channel: leg.channel ?? null,
    started_at: leg.startedAt,
    answered_at: leg.answeredAt ?? null,
    ended_at: leg.endedAt ?? null,
    outcome: leg.outcome ?? null,
    cause: leg.cause ?? null,
  };
}

const party = (number: string | null, name: string | null): Party =>
  name ? { number: number ?? '', name } : { number: number ?? '' };

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function rowToLeg(r: LegRow): Leg {
  const leg: Leg = { id: r.source_id ?? `${r.call_rowid}:${r.seq}`, party: party(r.party, r.name), role: r.role as Leg['role'], startedAt: r.started_at };
  if (r.channel !== null) leg.channel = r.channel;
  if (r.answered_at !== null) leg.answeredAt = r.answered_at;
  if (r.ended_at !== null) leg.endedAt = r.ended_at;
  if (r.outcome !== null) leg.outcome = r.outcome as Leg['outcome'];
  if (r.cause !== null) leg.cause = r.cause;
  return leg;
}

export function rowToCall(r: CallRow, legs: LegRow[] = []): Call {
  const detail = JSON.parse(r.detail) as CallDetail;
  const call: Call = {
    id: r.id,
    pbx: r.pbx,
    direction: r.direction as Call['direction'],
    status: r.status as Call['status'],
    open: r.open === 1,
    startedAt: r.started_at,
    answeredAt: opt(r.answered_at),
    endedAt: opt(r.ended_at),
    ringMs: r.ring_ms,
    talkMs: r.talk_ms,
    holdMs: r.hold_ms,
    waitMs: opt(r.wait_ms),
    from: party(r.from_number, r.from_name),
    to: party(r.to_number, r.to_name),
    answeredBy: r.answered_by === null ? undefined : party(r.answered_by, r.answered_by_name),
    queue: opt(r.queue),
    group: detail.group,
    legs: legs.map(rowToLeg),
    transfers: detail.transfers ?? [],
    holds: detail.holds ?? [],
  };
  for (const k of Object.keys(call) as (keyof Call)[]) if (call[k] === undefined) delete call[k];
  return call;
}

export interface GapRow {
  id: number;
  pbx: string | null;
  kind: Gap['kind'];
  reason: string;
  started_at: number;
  ended_at: number | null;
}

export function rowToGap(r: GapRow): Gap {
  const gap: Gap = { id: r.id, pbx: r.pbx, kind: r.kind, reason: r.reason, startedAt: r.started_at };
  if (r.ended_at !== null) gap.endedAt = r.ended_at;
  return gap;
}
