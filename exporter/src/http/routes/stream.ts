import { Type } from '@sinclair/typebox';
import { ERRORS, type RouteFamily } from '../context';
import { badParameter } from '../problem';
import { TOPICS, type Topic } from '../sse';
import { Closed } from '../typebox';

const StreamQuery = Type.Object(
  {
    topics: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'comma list of extension, call, queue, trunk, conference, parking, source; default all',
      }),
    ),
  },
  Closed,
);

function parseTopics(raw: string | undefined): Set<Topic> {
  if (raw === undefined) return new Set(TOPICS);
  const topics = new Set<Topic>();
  for (const t of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(TOPICS as readonly string[]).includes(t))
      throw badParameter('topics', `unknown topic "${t}"; known: ${TOPICS.join(', ')}`);
    topics.add(t as Topic);
  }
  if (!topics.size) throw badParameter('topics', `name at least one of ${TOPICS.join(', ')}`);
  return topics;
}

function parseLastEventId(raw: string | string[] | undefined): number | undefined {
  const v = Array.isArray(raw) ? raw[0] : raw;
  // anything but a plain id (an id from another server, garbage) earns a fresh snapshot, never an error
  return v !== undefined && /^\d{1,16}$/.test(v.trim()) ? Number(v.trim()) : undefined;
}

/** The live event stream (server-sent events). */
export const streamRoutes: RouteFamily = async (api, ctx) => {
  api.get(
    '/stream',
    {
      schema: {
        summary: 'Server-sent events: a snapshot, then live changes',
        description:
          'The first message is `event: snapshot` with `{extensions, queues, trunks, conferences, parking, calls, ' +
          'sources}`; then deltas `extension`, `call`, `callEnded`, `queue`, `trunk`, `conference` (a room with no ' +
          'participants has ended), `parking` (one PBX\'s parked calls), `source`, each with a numeric `id`. Reconnect with ' +
          '`Last-Event-ID` to receive only what was missed (a fresh snapshot when that is no longer buffered). ' +
          'A `: heartbeat` comment arrives every 15 s.',
        tags: ['live'],
        querystring: StreamQuery,
        produces: ['text/event-stream'],
        response: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...ERRORS,
        },
      },
    },
    async (req, reply) => {
      const topics = parseTopics(req.query.topics);
      // HEAD (fastify answers it with this handler) learns the headers only: no client, no open response
      if (req.method === 'HEAD') return reply.code(200).headers(ctx.stream.headers()).send();
      ctx.stream.attach(reply, topics, parseLastEventId(req.headers['last-event-id']));
    },
  );
};
