import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PushReceiver } from '../../sources/runtime/kind';
import { IngestBody } from '../../wire/call-events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../wire/signature';
import { PROBLEM_CONTENT_TYPE, problem } from '../problem';

export interface IngestRouteOptions {
  /** the source of that name if its PBX pushes to us (a webhook source) */
  target(source: string): PushReceiver | undefined;
  /** the largest `maxBodyBytes` of all webhook sources: fastify stops reading beyond it */
  bodyLimit: number;
}

const Params = Type.Object({
  source: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', maxLength: 128, description: "the webhook source's name" }),
});
const Applied = Type.Object({
  accepted: Type.Integer({ description: 'events applied' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String(), detail: Type.String() }), {
    description: 'valid events that could not be applied (an answer for a call never rung …): counted, not stored',
  }),
});
const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  parameter: Type.Optional(Type.String()),
});

const sendProblem = (reply: FastifyReply, status: number, detail: string, parameter?: string): FastifyReply =>
  reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem(status, detail, parameter));

/**
 * `POST /ingest/{source}`: canonical call events from a system that pushes them, signed with the source's secret.
 * The body is read raw (the signature covers its exact bytes) and only parsed once the signature holds, so this
 * plugin keeps its own content parser; the JSON schema is here for the OpenAPI document and is enforced by the
 * receiver after the signature check.
 */
export async function ingestRoutes(app: FastifyInstance, opts: IngestRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/ingest/:source',
    {
      bodyLimit: opts.bodyLimit,
      // the body is validated after the signature, by the receiver: fastify must not parse or judge it first
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? () => true : (v: unknown) => typeof v === 'object'),
      schema: {
        summary: 'Push call events (webhook ingest)',
        description:
          `Canonical call events from a PBX, voice bot or CRM. Sign the exact body: \`${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">\` ` +
          `with \`${TIMESTAMP_HEADER}: <unix seconds>\` (at most 5 minutes off). An \`Idempotency-Key\` makes a retry return the first answer ` +
          'without applying anything twice; a signed request sent again without one is a replay (409).',
        tags: ['ingest'],
        params: Params,
        headers: Type.Object({
          [SIGNATURE_HEADER]: Type.String({ description: 'v1=<hex HMAC-SHA256>' }),
          [TIMESTAMP_HEADER]: Type.String({ description: 'unix seconds' }),
          'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })),
        }),
        body: IngestBody,
        response: {
          202: Applied,
          400: Problem,
          401: Problem,
          404: Problem,
          409: Problem,
          413: Problem,
          415: Problem,
          422: Problem,
        },
      },
    },
    async (req, reply) => {
      const { source } = req.params as { source: string };
      if (!/^[A-Za-z0-9_.-]{1,128}$/.test(source))
        return sendProblem(reply, 404, `no webhook source "${source.slice(0, 128)}"`);
      const target = opts.target(source);
      if (!target) return sendProblem(reply, 404, `no webhook source "${source}"`);
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (type !== 'application/json')
        return sendProblem(reply, 415, 'Content-Type must be application/json', 'Content-Type');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = target.receive({ headers: req.headers, body });
      if (answer.status !== 202) return sendProblem(reply, answer.status, answer.detail, answer.parameter);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).send(answer.body);
    },
  );
}
