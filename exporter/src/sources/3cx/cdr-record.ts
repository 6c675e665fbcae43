import type { Call, CallGroup, CallStatus, Direction, Leg, Party, Transfer } from '../../domain';
import { BadRecord } from './bad-record';
import type { CdrFields } from './cdr-line';
import { bareNumber, classify, isGroup, nameOf, type PartyClass } from './classify';
import { parseDuration, parseWallTime } from './wall-time';

/** A finished call as a 3CX source hands it over, with the key that makes re-sent records harmless. */
export interface Recorded {
  /** the PBX's own identity of the call (historyid, call_history_id): the same key is the same call */
  key: string;
  record: Omit<Call, 'pbx'>;
}

export interface RecordOptions {
  pbx: string;
  /** the zone the PBX writes its CDR times in (3CX writes them without one) */
  timeZone: string;
}

/** What every finished 3CX call has; the builders add answer, group, legs and transfers. */
export interface CallCore {
  direction: Direction;
  status: CallStatus;
  startedAt: number;
  endedAt: number;
  /** the end of ringing: the first human answer, a mailbox picking up, or the end */
  ringEnd: number;
  talkMs: number;
  from: Party;
  to: Party;
}

/** A finished record (3CX knows no hold time) keyed by the PBX's own id of the call. */
export function finishedCall(pbx: string, key: string, c: CallCore): Omit<Call, 'pbx'> {
  return {
    id: `${pbx}-${key}`,
    direction: c.direction,
    status: c.status,
    open: false,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    ringMs: Math.max(0, c.ringEnd - c.startedAt),
    talkMs: c.talkMs,
    holdMs: 0,
    from: c.from,
    to: c.to,
    legs: [],
    transfers: [],
    holds: [],
  };
}

/** `reason-terminated` values that mean nobody could be reached, not that nobody wanted to answer. */
const BUSY = new Set(['targetbusy', 'routebusy', 'busy']);
const FAILED = new Set(['norouteexists', 'routenotfound', 'targetnotfound', 'failed', 'no_route', 'not_found']);

interface Side {
  party: Party;
  cls: PartyClass;
}

function side(f: CdrFields, no: string, dn: string, type: string, name: string): Side | undefined {
  const number = bareNumber(f[no]) || bareNumber(f[dn]);
  if (!number) return undefined;
  const n = nameOf(f[name], number);
  return { party: n ? { number, name: n } : { number }, cls: classify(f[type]) };
}

/** `Call 288831` → `288831`; the CDR output renders the history id with a word in front. */
function keyOf(f: CdrFields): string {
  const history = (f.historyid ?? '').replace(/^call\s+/i, '').trim();
  const key = history || (f.callid ?? '').trim();
  if (!key) throw new BadRecord('no identity', 'neither historyid nor callid is set');
  return key;
}

function chainParties(chain: string | undefined): string[] {
  const body = (chain ?? '').replace(/^\s*chain:\s*/i, '');
  return [...new Set(body.split(';').map(bareNumber).filter(Boolean))];
}

function listParties(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[;,\s]+/)
        .map(bareNumber)
        .filter(Boolean),
    ),
  ];
}

const isExternalNumber = (n: string): boolean => /^\+|^\d{7,}$/.test(n);

/**
 * One line of the CDR output (one finished call) → one record. The rules, from 3CX's field meanings:
 * - direction from the types: from a line is inbound; from an extension to a line (directly or after a transfer)
 *   outbound; everything else internal;
 * - answered only when a person answered: `time-answered` set and the answering side an extension or, for
 *   outbound calls, the outside number. A queue, IVR or voicemail "answer" is the PBX answering for itself;
 * - ring time runs from start to that answer (or to the end), talk time is `duration`;
 * - `reason-changed` Replaced* with a different final party is a transfer: the first person answered, the final one
 *   took over.
 */
export function recordFromCdr(f: CdrFields, opts: RecordOptions): Recorded {
  const key = keyOf(f);
  const tz = opts.timeZone;
  if (!f['time-start']) throw new BadRecord('missing field', 'time-start is empty');
  if (!f['time-end']) throw new BadRecord('missing field', 'time-end is empty');
  const startedAt = parseWallTime(f['time-start'], tz, 'time-start');
  const endedAt = parseWallTime(f['time-end'], tz, 'time-end');
  if (endedAt < startedAt) throw new BadRecord('bad time', 'time-end is before time-start');
  const pickedUpAt = f['time-answered'] ? parseWallTime(f['time-answered'], tz, 'time-answered') : undefined;

  const from = side(f, 'from-no', 'from-dn', 'from-type', 'from-dispname');
  if (!from) throw new BadRecord('missing field', 'from-no and from-dn are empty');
  const to = side(f, 'to-no', 'to-dn', 'to-type', 'to-dispname');
  const final = side(f, 'final-number', 'final-dn', 'final-type', 'final-dispname');
  const reached = final ?? to;

  const direction: Direction =
    from.cls === 'external' || (from.cls === 'unknown' && isExternalNumber(from.party.number))
      ? 'inbound'
      : to?.cls === 'external' || final?.cls === 'external'
        ? 'outbound'
        : 'internal';

  const transferred =
    /^replaced/i.test(f['reason-changed'] ?? '') && !!final && !!to && final.party.number !== to.party.number;
  const person = (s: Side | undefined): boolean =>
    !!s &&
    (s.cls === 'extension' ||
      (direction === 'outbound' && s.cls === 'external') ||
      (s.cls === 'unknown' && direction !== 'inbound'));
  const humanAnswered = pickedUpAt !== undefined && person(reached);
  const answerer = humanAnswered ? (transferred && person(to) ? to : reached) : undefined;

  const reason = (f['reason-terminated'] ?? '').toLowerCase();
  let status: CallStatus;
  if (humanAnswered) status = 'answered';
  else if (reached?.cls === 'voicemail' || to?.cls === 'voicemail') status = 'voicemail';
  else if (BUSY.has(reason)) status = 'busy';
  else if (FAILED.has(reason)) status = 'failed';
  else if (reached?.cls === 'queue' || to?.cls === 'queue') status = 'abandoned';
  else status = 'missed';

  // a queue or IVR picking up does not end the caller's wait; a mailbox picking up does end the ringing
  const ringEnd = humanAnswered || status === 'voicemail' ? (pickedUpAt ?? endedAt) : endedAt;
  const talkMs = humanAnswered
    ? f.duration
      ? parseDuration(f.duration, 'duration')
      : Math.max(0, endedAt - (pickedUpAt ?? endedAt))
    : 0;

  const dialled =
    direction === 'inbound'
      ? bareNumber(f['dial-no']) || to?.party.number || ''
      : to?.party.number || bareNumber(f['dial-no']) || '';
  const toParty: Party = to && to.party.number === dialled ? to.party : { number: dialled };

  const record = finishedCall(opts.pbx, key, {
    direction,
    status,
    startedAt,
    endedAt,
    ringEnd,
    talkMs,
    from: from.party,
    to: toParty,
  });
  if (humanAnswered) record.answeredAt = pickedUpAt;
  if (answerer) record.answeredBy = answerer.party;

  const missedMembers = listParties(f['missed-queue-calls']);
  if (to && isGroup(to.cls)) {
    const group: CallGroup = {
      type: to.cls === 'queue' ? 'queue' : 'ringgroup',
      id: to.party.number,
      membersRung: [
        ...missedMembers.map((number) => ({ number })),
        ...(answerer && answerer !== to ? [answerer.party] : []),
      ],
    };
    if (answerer) group.answeredBy = answerer.party;
    record.group = group;
    if (group.type === 'queue') {
      record.queue = group.id;
      record.waitMs = record.ringMs;
    }
  }
  if (transferred && final && to && humanAnswered) {
    const t: Transfer = { kind: 'blind', at: pickedUpAt ?? startedAt, by: to.party, from: from.party, to: final.party };
    record.transfers.push(t);
  }
  record.legs = legsOf(key, record, [from, to, final], chainParties(f.chain), missedMembers);
  return { key, record };
}

/**
 * Legs from the chain (every endpoint the call touched) plus the queue members that were polled, so the per-extension
 * history and stats find the call at every desk it rang. The CDR line has one start and one end for the whole call.
 */
function legsOf(
  key: string,
  r: Omit<Call, 'pbx'>,
  sides: (Side | undefined)[],
  chain: string[],
  polled: string[],
): Leg[] {
  const known = new Map<string, Side>();
  for (const s of sides) if (s && !known.has(s.party.number)) known.set(s.party.number, s);
  const reached = chain.length ? chain : [...known.keys()];
  const numbers = [...new Set([r.from.number, ...reached, ...polled])];
  const answered = new Set([r.answeredBy?.number, ...r.transfers.map((t) => t.to.number)].filter(Boolean));
  return numbers
    .filter((n) => {
      const cls = known.get(n)?.cls;
      return cls === undefined || cls === 'extension' || cls === 'external' || cls === 'unknown';
    })
    .map((number, i) => {
      const s = known.get(number);
      const cls = s?.cls ?? (isExternalNumber(number) ? 'external' : 'extension');
      const leg: Leg = {
        id: `${key}:${i}`,
        party: s?.party ?? { number },
        role: cls === 'external' ? 'trunk' : 'extension',
        startedAt: r.startedAt,
        endedAt: r.endedAt,
      };
      if (number !== r.from.number) {
        leg.outcome = answered.has(number)
          ? 'answered'
          : r.status === 'busy'
            ? 'busy'
            : r.status === 'failed'
              ? 'failed'
              : 'noanswer';
        if (answered.has(number) && r.answeredAt !== undefined) leg.answeredAt = r.answeredAt;
      }
      return leg;
    });
}
