import { Type, type Static } from '@sinclair/typebox';

export const SINK_EVENTS = ['call', 'gap', 'source'] as const;
export type SinkEvent = (typeof SINK_EVENTS)[number];

export const SinkSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9_.-]+$',
      description: 'the `sink` label in metrics and logs',
    }),
    url: Type.String({ pattern: '^https?://', description: 'where each event is POSTed as JSON' }),
    secret: Type.Optional(
      Type.String({ description: 'HMAC-SHA256 signing secret (16+ characters), inline; prefer secretFile' }),
    ),
    secretFile: Type.Optional(Type.String({ description: 'file holding the signing secret' })),
    events: Type.Array(Type.Union(SINK_EVENTS.map((e) => Type.Literal(e))), {
      default: ['call'],
      minItems: 1,
      description: 'call: every finished call; gap: outages opened and closed; source: a source went down or came back',
    }),
    pbx: Type.Array(Type.String(), { default: [], description: "only these sources' events (empty: all)" }),
    headers: Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), Type.String(), {
      default: {},
      description: "extra request headers (e.g. the receiver's own Authorization)",
    }),
    timeoutSeconds: Type.Number({ minimum: 1, maximum: 300, default: 10, description: 'per delivery attempt' }),
    retryMinSeconds: Type.Number({
      minimum: 0.01,
      maximum: 3600,
      default: 1,
      description: 'first retry delay; doubles per attempt',
    }),
    retryMaxSeconds: Type.Number({ minimum: 1, maximum: 86400, default: 600, description: 'longest retry delay' }),
    maxAgeHours: Type.Number({
      minimum: 0.01,
      default: 72,
      description: 'a delivery not taken by then is dropped (counted)',
    }),
    maxPending: Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      default: 10_000,
      description: 'outbox bound: beyond it the oldest delivery is dropped (counted)',
    }),
  },
  { additionalProperties: false },
);

export type SinkConfig = Static<typeof SinkSchema>;

export function checkSinks(sinks: readonly SinkConfig[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  sinks.forEach((s, i) => {
    if (names.has(s.name)) problems.push(`sinks.${i}.name: "${s.name}" is used twice`);
    names.add(s.name);
    if (s.secret === undefined && s.secretFile === undefined) {
      problems.push(`sinks.${i}.secret: required (or secretFile): deliveries are signed`);
    } else if (s.secret !== undefined && s.secret.length < 16) {
      problems.push(`sinks.${i}.secret: must be at least 16 characters`);
    }
    if (s.retryMaxSeconds < s.retryMinSeconds)
      problems.push(`sinks.${i}.retryMaxSeconds: smaller than retryMinSeconds`);
  });
  return problems;
}
