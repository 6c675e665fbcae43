import { Type } from '@sinclair/typebox';
import { ERRORS, type Api, type ApiContext } from '../context';
import { badParameter } from '../problem';
import * as render from '../render';
import { Items, PbxQuery, StreamQuery } from '../schemas';
import { TOPICS, type Topic } from '../sse';

const byName =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b), 'en', { numeric: true });

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

/** Snapshots of the current state, straight from LiveState, and the live stream. */
export function liveRoutes(api: Api, ctx: ApiContext): void {
  const pbxFilter =
    <T extends { pbx: string }>(pbx: string | undefined) =>
    (t: T) =>
      pbx === undefined || t.pbx === pbx;

  api.get(
    '/extensions',
    {
      schema: {
        summary: 'Current state of every extension',
        tags: ['live'],
        querystring: PbxQuery,
        response: { 200: Items(Type.Ref('Extension')), ...ERRORS },
      },
    },
    async (req) => ({
      items: [...ctx.live.extensions.values()]
        .filter(pbxFilter(req.query.pbx))
        .sort(byName((e) => `${e.pbx}\u0000${e.extension}`))
        .map(render.extension),
    }),
  );

  api.get(
    '/queues',
    {
      schema: {
        summary: 'Current state of every queue: callers, longest wait, members',
        tags: ['live'],
        querystring: PbxQuery,
        response: { 200: Items(Type.Ref('Queue')), ...ERRORS },
      },
    },
    async (req) => {
      const now = ctx.now();
      return {
        items: [...ctx.live.queues.values()]
          .filter(pbxFilter(req.query.pbx))
          .sort(byName((q) => `${q.pbx}\u0000${q.queue}`))
          .map((q) => render.queue(q, now)),
      };
    },
  );

  api.get(
    '/trunks',
    {
      schema: {
        summary: 'Current state of every trunk',
        tags: ['live'],
        querystring: PbxQuery,
        response: { 200: Items(Type.Ref('Trunk')), ...ERRORS },
      },
    },
    async (req) => ({
      items: [...ctx.live.trunks.values()]
        .filter(pbxFilter(req.query.pbx))
        .sort(byName((t) => `${t.pbx}\u0000${t.trunk}`))
        .map(render.trunk),
    }),
  );

  api.get(
    '/stream',
    {
      schema: {
        summary: 'Server-sent events: a snapshot, then live changes',
        description:
          'The first message is `event: snapshot` with `{extensions, queues, trunks, calls, sources}`; then deltas ' +
          '`extension`, `call`, `callEnded`, `queue`, `trunk`, `source`, each with a numeric `id`. Reconnect with ' +
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
      ctx.stream.attach(reply, topics, parseLastEventId(req.headers['last-event-id']));
    },
  );
}
