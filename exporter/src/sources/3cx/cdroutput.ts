import type { CallGroup, CallStatus, Direction, Leg, LegOutcome, Party, Transfer } from '../../domain';
import { BadRecord } from './bad-record';
import { finishedCall, type Recorded } from './cdr-record';
import { timeOf, type CdrOutputRow } from './cdroutput-row';
import { classify, isGroup, nameOf, type PartyClass } from './classify';

interface Segment {
  row: CdrOutputRow;
  id: string;
  started: number;
  answered?: number;
  ended?: number;
  src: PartyClass;
  dst: PartyClass;
}

/** Voicemail shows as `destination_entity_type = voicemail` on an `extension` dn: the entity decides first. */
function destClass(r: CdrOutputRow): PartyClass {
  if (classify(r.destination_entity_type) === 'voicemail') return 'voicemail';
  const byDn = classify(r.destination_dn_type);
  return byDn !== 'unknown' ? byDn : classify(r.destination_entity_type);
}

function sourceClass(r: CdrOutputRow): PartyClass {
  const byDn = classify(r.source_dn_type);
  return byDn !== 'unknown' ? byDn : classify(r.source_entity_type);
}

function party(number: string | null | undefined, ...names: (string | null | undefined)[]): Party {
  const n = (number ?? '').trim();
  for (const candidate of names) {
    const name = nameOf(candidate, n);
    if (name) return { number: n, name };
  }
  return { number: n };
}

/** Outside numbers are their phone number; PBX objects (extensions, queues, IVRs) their dn number. */
function destParty(s: Segment): Party {
  const r = s.row;
  if (s.dst === 'external')
    return party(r.destination_participant_phone_number || r.destination_dn_number, r.destination_participant_name);
  return party(r.destination_dn_number, r.destination_dn_name, r.destination_participant_name);
}

function sourceParty(s: Segment): Party {
  const r = s.row;
  if (s.src === 'external')
    return party(r.source_participant_phone_number || r.source_dn_number, r.source_participant_name);
  return party(r.source_dn_number, r.source_dn_name, r.source_participant_name);
}

const lower = (v: string | null | undefined): string => (v ?? '').toLowerCase();

function outcomeOf(s: Segment): LegOutcome {
  if (s.answered !== undefined) return 'answered';
  const reason = lower(s.row.termination_reason);
  const details = lower(s.row.termination_reason_details);
  if (details === 'busy') return 'busy';
  if (details === 'no_route' || details === 'not_found') return 'failed';
  if (reason === 'cancelled') return 'cancelled';
  return 'noanswer';
}

/** Union of [start, end) intervals, so overlapping answered segments never count talk twice. */
function unionMs(intervals: [number, number][]): number {
  let total = 0;
  let until = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(a, until);
    if (b > start) total += b - start;
    until = Math.max(until, b);
  }
  return total;
}

/**
 * All `cdroutput` rows of one `call_history_id` → one record. The rules, from 3CX's answered semantics (see the
 * source README): segments chain through `originating_cdr_id`; queues, IVR scripts, inbound routing and voicemail
 * answer too, but a call is answered only when an extension (not its voicemail) — or, for an outbound call, the
 * outside number — answered. Ring time runs to that first human answer; talk time is the union of the human-answered
 * segments (transfers hand the caller from one person to the next). A queue or ring-all group that rang several
 * members produces one `route_to` segment per member; the losers end `cancelled / completed_elsewhere`.
 */
export function recordFromCdrOutput(rows: readonly CdrOutputRow[], opts: { pbx: string }): Recorded {
  if (rows.length === 0) throw new BadRecord('empty call', 'no rows');
  const key = rows[0].call_history_id;
  if (!key) throw new BadRecord('no identity', `cdr ${rows[0].cdr_id} has no call_history_id`);
  const segs: Segment[] = rows.map((row) => {
    const started = timeOf(row.cdr_started_at, 'cdr_started_at', row.cdr_id);
    if (started === undefined) throw new BadRecord('missing field', `cdr_started_at of ${row.cdr_id} is empty`);
    const s: Segment = { row, id: row.cdr_id, started, src: sourceClass(row), dst: destClass(row) };
    const answered = timeOf(row.cdr_answered_at, 'cdr_answered_at', row.cdr_id);
    const ended = timeOf(row.cdr_ended_at, 'cdr_ended_at', row.cdr_id);
    if (answered !== undefined) s.answered = answered;
    if (ended !== undefined) s.ended = ended;
    return s;
  });
  segs.sort((a, b) => a.started - b.started || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(segs.map((s) => [s.id, s]));
  const parentOf = (s: Segment): Segment | undefined =>
    byId.get(s.row.originating_cdr_id ?? '') ?? byId.get(s.row.base_cdr_id ?? '');

  const origin =
    segs.find((s) => lower(s.row.creation_method) === 'call_init') ?? segs.find((s) => !parentOf(s)) ?? segs[0];
  const startedAt = segs[0].started;
  const endedAt = Math.max(...segs.map((s) => s.ended ?? s.answered ?? s.started));

  const direction: Direction =
    origin.src === 'external' ? 'inbound' : segs.some((s) => s.dst === 'external') ? 'outbound' : 'internal';
  const isPerson = (s: Segment): boolean => s.dst === 'extension' || (direction === 'outbound' && s.dst === 'external');
  const human = segs.filter((s) => s.answered !== undefined && isPerson(s));
  const first = human.reduce<Segment | undefined>((a, s) => (!a || s.answered! < a.answered! ? s : a), undefined);

  // the group the caller was in when a person answered, else the last one the caller reached
  const ancestorGroup = (s: Segment | undefined): Segment | undefined => {
    for (let p = s && parentOf(s), hops = 0; p && hops < segs.length; p = parentOf(p), hops++)
      if (isGroup(p.dst)) return p;
    return undefined;
  };
  const groupSeg = first ? ancestorGroup(first) : [...segs].reverse().find((s) => isGroup(s.dst));

  const voicemail = segs.find((s) => s.dst === 'voicemail');
  const rung = segs.filter((s) => s !== origin && isPerson(s));
  let status: CallStatus;
  if (first) status = 'answered';
  else if (voicemail) status = 'voicemail';
  else if (segs.some((s) => s.dst === 'queue')) status = 'abandoned';
  else if (rung.length > 0 && rung.every((s) => outcomeOf(s) === 'busy')) status = 'busy';
  else if (
    segs.some((s) => outcomeOf(s) === 'failed') &&
    (rung.length === 0 || rung.every((s) => outcomeOf(s) === 'failed'))
  )
    status = 'failed';
  else status = 'missed';

  const ringEnd = first?.answered ?? voicemail?.answered ?? voicemail?.started ?? endedAt;
  const talkMs = unionMs(human.map((s) => [s.answered!, s.ended ?? endedAt]));

  const from = sourceParty(origin);
  let to: Party;
  if (direction === 'inbound') {
    const did = (origin.row.source_participant_trunk_did ?? '').trim();
    to = {
      number:
        did || (origin.dst === 'service' ? (origin.row.destination_dn_number ?? '').trim() : destParty(origin).number),
    };
  } else if (direction === 'outbound') {
    const out = segs.find((s) => s.dst === 'external');
    to = out ? { number: destParty(out).number } : destParty(origin);
  } else {
    to = destParty(origin);
  }

  const record = finishedCall(opts.pbx, key, { direction, status, startedAt, endedAt, ringEnd, talkMs, from, to });
  record.legs = legsOf(origin, from, segs, isPerson, startedAt, endedAt);
  record.transfers = transfersOf(segs, human, parentOf, from);
  if (first) {
    record.answeredAt = first.answered!;
    record.answeredBy = destParty(first);
  }
  if (groupSeg) {
    const members = new Map<string, Party>();
    for (const s of segs) {
      if (s.dst !== 'extension' || lower(s.row.creation_method) !== 'route_to') continue;
      if (s.row.originating_cdr_id !== groupSeg.id && s.row.base_cdr_id !== groupSeg.id) continue;
      const p = destParty(s);
      if (!members.has(p.number)) members.set(p.number, p);
    }
    if (record.answeredBy && !members.has(record.answeredBy.number) && groupSeg === ancestorGroup(first)) {
      members.set(record.answeredBy.number, record.answeredBy);
    }
    const id = destParty(groupSeg).number;
    const group: CallGroup = {
      type: groupSeg.dst === 'queue' ? 'queue' : 'ringgroup',
      id,
      membersRung: [...members.values()],
    };
    if (record.answeredBy) group.answeredBy = record.answeredBy;
    record.group = group;
    if (group.type === 'queue') {
      record.queue = id;
      const left = first && groupSeg === ancestorGroup(first) ? first.answered! : (groupSeg.ended ?? endedAt);
      record.waitMs = Math.max(0, left - groupSeg.started);
    }
  }
  return { key, record };
}

function legsOf(
  origin: Segment,
  from: Party,
  segs: Segment[],
  isPerson: (s: Segment) => boolean,
  startedAt: number,
  endedAt: number,
): Leg[] {
  const legs: Leg[] = [
    {
      id: origin.row.source_participant_id || `${origin.id}:src`,
      party: from,
      role: origin.src === 'external' ? 'trunk' : 'extension',
      startedAt,
      endedAt,
    },
  ];
  for (const s of segs) {
    if (!isPerson(s) && s.dst !== 'external') continue;
    const leg: Leg = {
      id: s.id,
      party: destParty(s),
      role: s.dst === 'external' ? 'trunk' : 'extension',
      startedAt: s.started,
      outcome: outcomeOf(s),
    };
    if (s.answered !== undefined) leg.answeredAt = s.answered;
    if (s.ended !== undefined) leg.endedAt = s.ended;
    legs.push(leg);
  }
  return legs;
}

/**
 * A `transfer` segment whose parent segment a person had answered: that person handed the caller on. Transfers the
 * PBX makes itself (an IVR script sending the caller to a queue) are routing, not transfers. `cdroutput` does not
 * say whether the person consulted first, so every transfer is recorded as blind.
 */
function transfersOf(
  segs: Segment[],
  human: Segment[],
  parentOf: (s: Segment) => Segment | undefined,
  caller: Party,
): Transfer[] {
  const answeredByPerson = new Set(human);
  const out: Transfer[] = [];
  for (const s of segs) {
    if (lower(s.row.creation_method) !== 'transfer') continue;
    const parent = parentOf(s);
    if (!parent || !answeredByPerson.has(parent)) continue;
    out.push({ kind: 'blind', at: s.started, by: destParty(parent), from: caller, to: destParty(s) });
  }
  return out;
}
