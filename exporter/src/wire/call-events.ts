import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CALL_STATUSES, DIRECTIONS, EXTENSION_STATES, type Call, type Party } from '../domain';

/**
 * The canonical call events: the JSON Switchboard accepts on `POST /api/v1/ingest/{source}` and sends to sinks.
 * Systems without AMI or a CTI stream (cloud PBXs, voice bots, CRMs) describe a call as it happens — ring, answer,
 * transfer, hangup — or hand over the finished record (`call`), and report extension states. A sink's `call` event
 * is exactly what an ingest accepts, so one Switchboard can forward to another.
 */

const ISO_8601 = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$';
const Time = (description: string) =>
  Type.Union([Type.String({ pattern: ISO_8601, maxLength: 40 }), Type.Integer({ minimum: 0, maximum: 8.64e15 })], {
    description: `${description}: ISO 8601 with a zone, or epoch milliseconds`,
  });
const Nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });

export const PartySchema = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 64, description: 'extension or phone number' }),
    name: Nullable(Type.String({ maxLength: 128, description: 'display name' })),
  },
  { additionalProperties: false },
);
const Seconds = (description: string) => Type.Number({ minimum: 0, maximum: 31_536_000, description });
const Direction = Type.Union(DIRECTIONS.map((d) => Type.Literal(d)));

export const RingEvent = Type.Object(
  {
    type: Type.Literal('ring'),
    call: Id('your id of the call: every event of one call carries it'),
    at: Time('when it started ringing'),
    direction: Direction,
    from: PartySchema,
    to: PartySchema,
  },
  { additionalProperties: false, description: 'a call starts ringing at `to`' },
);

export const AnswerEvent = Type.Object(
  {
    type: Type.Literal('answer'),
    call: Id('the call'),
    at: Time('when it was answered'),
    by: Type.Optional(PartySchema),
  },
  { additionalProperties: false, description: 'a person answered (`by`, default: whoever was rung)' },
);

export const HangupEvent = Type.Object(
  {
    type: Type.Literal('hangup'),
    call: Id('the call'),
    at: Time('when it ended'),
    reason: Type.Optional(
      Type.Union([Type.Literal('busy'), Type.Literal('noanswer'), Type.Literal('failed'), Type.Literal('cancel')], {
        description: 'why nobody answered (ignored for an answered call); default noanswer',
      }),
    ),
  },
  { additionalProperties: false, description: 'the call ended' },
);

export const TransferEvent = Type.Object(
  {
    type: Type.Literal('transfer'),
    call: Id('the call'),
    at: Time('when it was transferred'),
    to: PartySchema,
    by: Type.Optional(PartySchema),
  },
  { additionalProperties: false, description: 'the person on the call sent the caller on to `to`, which now rings' },
);

export const ExtensionEvent = Type.Object(
  {
    type: Type.Literal('extension'),
    at: Time('when the extension was in this state'),
    extension: Type.String({ minLength: 1, maxLength: 64 }),
    name: Nullable(Type.String({ maxLength: 128 })),
    state: Type.Union(EXTENSION_STATES.map((s) => Type.Literal(s))),
    registered: Type.Optional(Type.Boolean({ description: 'default: true unless the state is unavailable' })),
    dnd: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: "an extension's current state" },
);

const GroupSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('queue'), Type.Literal('ringgroup')]),
    id: Type.String({ minLength: 1, maxLength: 64 }),
    membersRung: Type.Array(PartySchema, { maxItems: 500 }),
  },
  { additionalProperties: false },
);

const TransferSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('blind'), Type.Literal('attended')]),
    at: Time('when'),
    by: PartySchema,
    from: Nullable(PartySchema),
    to: PartySchema,
  },
  { additionalProperties: false },
);

export const CallEvent = Type.Object(
  {
    type: Type.Literal('call'),
    id: Id('your id of the call; a call sent again with the same id replaces the first'),
    direction: Direction,
    status: Type.Union(CALL_STATUSES.map((s) => Type.Literal(s))),
    startedAt: Time('start'),
    answeredAt: Nullable(Time('when a person answered')),
    endedAt: Time('end'),
    ringSeconds: Type.Optional(Seconds('default: answeredAt (or endedAt) − startedAt')),
    talkSeconds: Type.Optional(Seconds('default: endedAt − answeredAt')),
    holdSeconds: Type.Optional(Seconds('default 0')),
    waitSeconds: Nullable(Seconds('time in a queue')),
    from: PartySchema,
    to: PartySchema,
    answeredBy: Nullable(PartySchema),
    queue: Nullable(Type.String({ minLength: 1, maxLength: 64 })),
    group: Nullable(GroupSchema),
    transfers: Type.Optional(Type.Array(TransferSchema, { maxItems: 100 })),
  },
  { additionalProperties: false, description: 'a finished call, whole' },
);

export const IngestEvent = Type.Union([RingEvent, AnswerEvent, HangupEvent, TransferEvent, ExtensionEvent, CallEvent]);

export const IngestBody = Type.Object(
  {
    source: Type.Optional(Type.String({ maxLength: 128, description: "the sender's name for itself (informational)" })),
    events: Type.Array(IngestEvent, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false, title: 'Canonical call events' },
);

export type IngestEventJson = Static<typeof IngestEvent>;
export type CallEventJson = Static<typeof CallEvent>;
export type IngestBodyJson = Static<typeof IngestBody>;
export type PartyJson = Static<typeof PartySchema>;

/** ISO 8601 text or epoch ms → epoch ms; undefined when it is no real instant (month 13, day 32). */
export function instant(t: string | number): number | undefined {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const partyJson = (p: Party): PartyJson => ({ number: p.number, name: p.name ?? null });

/** A finished call as the canonical `call` event (what sinks send). */
export function callEvent(c: Call): CallEventJson {
  return {
    type: 'call',
    id: c.id,
    direction: c.direction,
    status: c.status,
    startedAt: iso(c.startedAt)!,
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt ?? c.startedAt)!,
    ringSeconds: c.ringMs / 1000,
    talkSeconds: c.talkMs / 1000,
    holdSeconds: c.holdMs / 1000,
    waitSeconds: c.waitMs === undefined ? null : c.waitMs / 1000,
    from: partyJson(c.from),
    to: partyJson(c.to),
    answeredBy: c.answeredBy ? partyJson(c.answeredBy) : null,
    queue: c.queue ?? null,
    group: c.group ? { type: c.group.type, id: c.group.id, membersRung: c.group.membersRung.map(partyJson) } : null,
    transfers: c.transfers.map((t) => ({
      kind: t.kind,
      at: iso(t.at)!,
      by: partyJson(t.by),
      from: t.from ? partyJson(t.from) : null,
      to: partyJson(t.to),
    })),
  };
}
