// Long on purpose (about 310 lines): every response model of the API in one place (issue 9), registered once by $id
// so routes and the OpenAPI document refer to them instead of repeating them.
import { Type, type Static } from '@sinclair/typebox';
import { CALL_STATUSES, DIRECTIONS, EXTENSION_STATES, QUEUE_MEMBER_STATES, USER_STATUSES } from '../domain';
import { Nullable, StringEnum } from './typebox';

/**
 * The API's response models, registered once by $id so routes and the OpenAPI document refer to them
 * (`Type.Ref('Call')`) instead of repeating them.
 */

const Time = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
const NTime = Nullable(Time);
const Seconds = Type.Number({ description: 'seconds' });
const NSeconds = Nullable(Seconds);
const NString = Nullable(Type.String());

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    parameter: Type.Optional(Type.String({ description: 'the query or path parameter at fault' })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const partyProps = { number: Type.String(), name: NString };
export const PartySchema = Type.Object(partyProps, { $id: 'Party' });
const PartyRef = Type.Ref(PartySchema);
/** a party that may be absent: inline, since a $ref cannot carry a null alternative without anyOf */
const NParty = Nullable(Type.Object(partyProps));

/** What the contacts directory and the number itself say about a party. */
const ContactProps = {
  match: StringEnum(['exact', 'fuzzy', 'place', 'site'] as const, {
    description:
      'exact: the directory has the number; fuzzy: it has the main number of the company this landline extension ' +
      'belongs to; place: only what the number says (country, town, kind); site: an internal number of a `contacts.sites` range',
  }),
  name: NString,
  company: NString,
  e164: NString,
  country: Nullable(Type.String({ description: 'ISO 3166 country' })),
  place: Nullable(Type.String({ description: "the country's name" })),
  town: Nullable(
    Type.String({
      description:
        "a landline's town (Google libphonenumber's geocoding data, in `contacts.townLocale`); null for mobiles and " +
        'numbers it has none for',
    }),
  ),
  type: Nullable(Type.String({ description: 'FIXED_LINE, MOBILE, TOLL_FREE, … (libphonenumber)' })),
  formatted: Nullable(Type.String({ description: 'international format' })),
};
const NContact = Nullable(Type.Object(ContactProps));

const callProps = {
  id: Type.String(),
  pbx: Type.String(),
  direction: StringEnum(DIRECTIONS),
  status: StringEnum(CALL_STATUSES, {
    description:
      'while open: ringing, active (talking, or in voicemail), on_hold or waiting (in a queue); once ended, set once: ' +
      'answered, missed, busy, failed, abandoned, voicemail or incomplete (end not seen)',
  }),
  open: Type.Boolean({ description: 'true while in progress' }),
  startedAt: Time,
  answeredAt: NTime,
  endedAt: NTime,
  ringSeconds: Seconds,
  talkSeconds: Seconds,
  holdSeconds: Seconds,
  waitSeconds: Nullable(Type.Number({ description: 'time waited in a queue' })),
  from: PartyRef,
  to: PartyRef,
  answeredBy: NParty,
  queue: NString,
  group: Nullable(
    Type.Object({
      type: StringEnum(['queue', 'ringgroup'] as const),
      id: Type.String(),
      membersRung: Type.Array(PartyRef),
    }),
  ),
  trulyMissed: Type.Boolean({ description: 'inbound, finished, and no person answered' }),
  returnedAt: Nullable(Type.String({ format: 'date-time', description: 'start of the answered call back, if any' })),
  fromContact: NContact,
  toContact: NContact,
};

export const CallSchema = Type.Object(callProps, { $id: 'Call' });

export const LegSchema = Type.Object(
  {
    id: Type.String(),
    party: PartyRef,
    role: StringEnum(['extension', 'trunk', 'external'] as const),
    channel: NString,
    startedAt: Time,
    answeredAt: NTime,
    endedAt: NTime,
    outcome: Nullable(StringEnum(['answered', 'noanswer', 'busy', 'failed', 'cancelled'] as const)),
    cause: Nullable(Type.Integer({ description: 'Q.850 hang-up cause' })),
  },
  { $id: 'Leg' },
);

export const TransferSchema = Type.Object(
  {
    kind: StringEnum(['blind', 'attended'] as const),
    at: Time,
    by: PartyRef,
    from: NParty,
    to: PartyRef,
  },
  { $id: 'Transfer' },
);

export const HoldSchema = Type.Object({ party: PartyRef, startedAt: Time, endedAt: NTime }, { $id: 'Hold' });

export const CallDetailSchema = Type.Object(
  {
    ...callProps,
    legs: Type.Array(Type.Ref(LegSchema)),
    transfers: Type.Array(Type.Ref(TransferSchema)),
    holds: Type.Array(Type.Ref(HoldSchema)),
  },
  { $id: 'CallDetail' },
);

export const ExtensionSchema = Type.Object(
  {
    pbx: Type.String(),
    extension: Type.String(),
    name: NString,
    registered: Type.Boolean(),
    state: StringEnum(EXTENSION_STATES),
    dnd: Type.Boolean(),
    rttSeconds: NSeconds,
    callId: NString,
    counterpart: NParty,
    counterpartContact: Nullable(Type.Object(ContactProps, { description: 'the counterpart named from the contacts' })),
    callStartedAt: NTime,
    idleSince: NTime,
    queues: Type.Array(Type.Object({ queue: Type.String(), paused: Type.Boolean(), pausedReason: NString })),
    voicemailNew: Nullable(Type.Integer()),
    voicemailOld: Nullable(Type.Integer()),
    conference: Nullable(Type.String({ description: 'the conference room the extension is in now' })),
    userStatus: Nullable(StringEnum(USER_STATUSES, { description: 'the status its user set (PUT /extensions/{ext}/status)' })),
    userStatusMessage: NString,
    userStatusSince: NTime,
    updatedAt: Time,
    stale: Type.Boolean({ description: 'its source is down: the values are the last known ones' }),
    staleSince: NTime,
  },
  { $id: 'Extension' },
);

export const QueueSchema = Type.Object(
  {
    pbx: Type.String(),
    queue: Type.String(),
    strategy: NString,
    callers: Type.Integer({ description: 'callers waiting' }),
    longestWaitSeconds: Seconds,
    oldestCallerSince: NTime,
    membersLoggedIn: Type.Integer({ description: 'members not unavailable' }),
    membersAvailable: Type.Integer(),
    membersPaused: Type.Integer(),
    membersInCall: Type.Integer(),
    members: Type.Array(
      Type.Object({
        interface: Type.String(),
        extension: NString,
        name: NString,
        state: StringEnum(QUEUE_MEMBER_STATES),
        paused: Type.Boolean(),
        pausedReason: NString,
        inCall: Type.Boolean(),
      }),
    ),
    waiting: Type.Array(
      Type.Object({ callId: NString, party: PartyRef, joinedAt: Time, position: Type.Integer(), waitSeconds: Seconds }),
      { description: 'callers waiting, in queue order' },
    ),
    updatedAt: Time,
    stale: Type.Boolean({ description: 'its source is down: the values are the last known ones' }),
    staleSince: NTime,
  },
  { $id: 'Queue' },
);

export const TrunkSchema = Type.Object(
  {
    pbx: Type.String(),
    trunk: Type.String(),
    registered: Type.Boolean(),
    status: Type.String(),
    rttSeconds: NSeconds,
    activeCalls: Type.Integer(),
    updatedAt: Time,
    stale: Type.Boolean({ description: 'its source is down: the values are the last known ones' }),
    staleSince: NTime,
  },
  { $id: 'Trunk' },
);

export const ConferenceSchema = Type.Object(
  {
    pbx: Type.String(),
    room: Type.String({ description: 'the room number (ConfBridge conference name)' }),
    startedAt: Time,
    participants: Type.Array(
      Type.Object({
        party: PartyRef,
        extension: Nullable(Type.String({ description: 'set when one of the PBX’s phones is the participant' })),
        channel: NString,
        callId: Nullable(Type.String({ description: 'the participant’s own call record, answered by the room' })),
        joinedAt: Time,
        admin: Type.Boolean(),
        muted: Type.Boolean(),
      }),
      { description: 'in join order' },
    ),
    updatedAt: Time,
    stale: Type.Boolean({ description: 'its source is down: the values are the last known ones' }),
    staleSince: NTime,
  },
  { $id: 'Conference' },
);

export const ParkedCallSchema = Type.Object(
  {
    pbx: Type.String(),
    lot: Type.String({ description: 'parking lot' }),
    slot: Type.String({ description: 'parking space: dial it to retrieve the call' }),
    party: PartyRef,
    parker: NParty,
    channel: NString,
    callId: NString,
    parkedAt: Time,
    parkedSeconds: Seconds,
    timeoutAt: Nullable(Type.String({ format: 'date-time', description: 'when the call goes back to the parker' })),
    stale: Type.Boolean({ description: 'its source is down: the values are the last known ones' }),
    staleSince: NTime,
  },
  { $id: 'ParkedCall' },
);

export const SourceSchema = Type.Object(
  {
    pbx: Type.String(),
    kind: Type.String(),
    live: Type.Boolean({ description: 'streams live state; false: history only (3CX), never shown as all idle' }),
    connected: Type.Boolean(),
    reason: NString,
    version: NString,
    lastEventAt: NTime,
    since: NTime,
  },
  { $id: 'Source' },
);

export const StatsItemSchema = Type.Object(
  {
    bucket: Time,
    key: Type.String({ description: 'the group (extension, queue, direction or status); `all` without groupBy' }),
    offered: Type.Integer(),
    answered: Type.Integer(),
    missed: Type.Integer(),
    abandoned: Type.Integer(),
    talkSecondsTotal: Seconds,
    talkSecondsAvg: NSeconds,
    asaSeconds: Nullable(Type.Number({ description: 'average speed of answer' })),
    serviceLevel: Nullable(Type.Number({ description: 'answered within slThreshold / offered, 0–1' })),
    abandonRate: Nullable(Type.Number({ description: 'abandoned / offered, 0–1' })),
  },
  { $id: 'StatsItem' },
);

export const AgentReportItemSchema = Type.Object(
  {
    bucket: Type.String({ format: 'date-time', description: 'start of the period (the range start without interval)' }),
    pbx: Type.String(),
    extension: Type.String({ description: 'the agent' }),
    name: Nullable(Type.String()),
    offered: Type.Integer({ description: 'calls that rang at the agent' }),
    answered: Type.Integer({ description: 'calls the agent answered' }),
    missed: Type.Integer({ description: 'calls that rang at the agent and the agent did not answer' }),
    outbound: Type.Integer({ description: 'outbound calls the agent placed' }),
    outboundAnswered: Type.Integer(),
    handled: Type.Integer({ description: 'answered + outbound answered' }),
    talkSecondsTotal: Type.Number({ description: 'seconds: talk time of the handled calls' }),
    holdSecondsTotal: Type.Number({ description: 'seconds: hold time of the handled calls' }),
    ahtSeconds: Nullable(Type.Number({ description: 'seconds: average handling time, (talk + hold) / handled' })),
  },
  { $id: 'AgentReportItem' },
);

export const RESPONSE_MODELS = [
  ProblemSchema,
  PartySchema,
  CallSchema,
  LegSchema,
  TransferSchema,
  HoldSchema,
  CallDetailSchema,
  ExtensionSchema,
  QueueSchema,
  TrunkSchema,
  ConferenceSchema,
  ParkedCallSchema,
  SourceSchema,
  StatsItemSchema,
  AgentReportItemSchema,
];

export type ApiCall = Static<typeof CallSchema>;
export type ApiCallDetail = Static<typeof CallDetailSchema>;
export type ApiExtension = Static<typeof ExtensionSchema>;
export type ApiQueue = Static<typeof QueueSchema>;
export type ApiTrunk = Static<typeof TrunkSchema>;
export type ApiConference = Static<typeof ConferenceSchema>;
export type ApiParkedCall = Static<typeof ParkedCallSchema>;
export type ApiSource = Static<typeof SourceSchema>;
export type ApiStatsItem = Static<typeof StatsItemSchema>;
