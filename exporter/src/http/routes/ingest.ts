import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { PushReceiver } from '../../sources/runtime/kind';
import { IngestBody } from '../../wire/call-events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../wire/signature';
import { problem, sendProblem } from '../problem';

export interface IngestOptions {
  /** the source of that name if its PBX pushes to us (a webhook source) */
  target(source: string): PushReceiver | undefined;
  /** fastify stops reading a body beyond this (413); each source refuses what is over its own `maxBodyBytes` */
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
const PROBLEM = { $ref: 'Problem#' } as const;

const refuse = (reply: FastifyReply, status: number, detail: string, parameter?: string): FastifyReply =>
  sendProblem(reply, problem(status, detail, parameter));

/**
 * `POST /api/v1/ingest/{source}`: canonical call events pushed by a PBX, voice bot or CRM, signed with the source's
 * secret instead of an API token (this plugin sits outside the API's bearer-token scope). The body is read raw —
 * the signature covers its exact bytes — and parsed only once the signature holds, so the plugin keeps its own
 * content parser and fastify does not validate the body: the schema below documents it in the OpenAPI document and
 * the source's receiver enforces it after the signature check.
 */
export const ingestRoutes: FastifyPluginAsync<IngestOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/ingest/:source',
    {
      bodyLimit: opts.bodyLimit,
      validatorCompiler: () => () => true,
      schema: {
        summary: 'Push call events (webhook ingest)',
        description:
          `Canonical call events from a PBX, voice bot or CRM, for a source of \`kind: webhook\`. Sign the exact body: ` +
          `\`${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the source's secret>\` and ` +
          `\`${TIMESTAMP_HEADER}: <unix seconds>\` (at most 5 minutes off). An \`Idempotency-Key\` makes a retry return ` +
          'the first answer with nothing applied twice; the same signed request sent again without one is a replay (409). ' +
          'Up to 1000 events per request, applied in order.',
        tags: ['ingest'],
        security: [],
        params: Params,
        headers: Type.Object({
          [SIGNATURE_HEADER]: Type.String({
            description: 'v1=<64 hex digits>; several, comma-separated, while rotating',
          }),
          [TIMESTAMP_HEADER]: Type.String({ description: 'unix seconds, signed with the body' }),
          'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })),
        }),
        body: IngestBody,
        response: {
          202: Applied,
          400: PROBLEM,
          401: PROBLEM,
          404: PROBLEM,
          409: PROBLEM,
          413: PROBLEM,
          415: PROBLEM,
          422: PROBLEM,
          429: PROBLEM,
        },
      },
    },
    async (req, reply) => {
      const { source } = req.params as { source: string };
      const target = /^[A-Za-z0-9_.-]{1,128}$/.test(source) ? opts.target(source) : undefined;
      if (!target) return refuse(reply, 404, `no webhook source "${source.slice(0, 128)}"`);
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (type !== 'application/json')
        return refuse(reply, 415, 'Content-Type must be application/json', 'Content-Type');
      const answer = target.receive({
        headers: req.headers,
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      });
      if (answer.status !== 202) return refuse(reply, answer.status, answer.detail, answer.parameter);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(202).send(answer.body);
    },
  );
};
