import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { problem, ProblemError, sendProblem, type Problem } from '../problem';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns the first schema violation into "<parameter>: <what is wrong>". */
function fromValidation(errors: AjvError[], context: string | undefined): Problem {
  const e = errors[0];
  let parameter = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  let detail = e.message ?? 'is not valid';
  if (e.keyword === 'additionalProperties') {
    parameter = String(e.params.additionalProperty);
    detail = 'unknown parameter';
  } else if (e.keyword === 'required') {
    parameter = String(e.params.missingProperty);
    detail = 'is required';
  } else if (e.keyword === 'enum') {
    detail = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  }
  if (!parameter) parameter = context ?? 'request';
  return problem(400, `${parameter}: ${detail}`, parameter);
}

/** Every error leaves as a problem object; nothing reaches the client as a bare 500 with a stack. */
export const errors = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError & { validation?: AjvError[] }, req, reply) => {
      if (err instanceof ProblemError) return sendProblem(reply, problem(err.status, err.message, err.parameter));
      if (err.validation) return sendProblem(reply, fromValidation(err.validation, err.validationContext));
      const status = err.statusCode ?? 500;
      if (status === 429) return sendProblem(reply, problem(429, err.message || 'rate limit exceeded'));
      if (status >= 400 && status < 500) return sendProblem(reply, problem(status, err.message));
      req.log.error({ err, url: req.url }, 'request failed');
      return sendProblem(reply, problem(500, 'internal error; see the exporter log'));
    });
    app.setNotFoundHandler((req, reply) =>
      sendProblem(reply, problem(404, `no route ${req.method} ${req.url.split('?')[0]}`)),
    );
  },
  { name: 'errors' },
);
