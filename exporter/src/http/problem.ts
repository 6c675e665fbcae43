import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/** RFC 9457 problem details, plus the name of the offending parameter when there is one. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  parameter?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problem(status: number, detail: string, parameter?: string): Problem {
  const p: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
  if (parameter !== undefined) p.parameter = parameter;
  return p;
}

/** Thrown by handlers for input the schema cannot judge (a bad cursor, `from` after `to`, an unknown id). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly parameter?: string,
  ) {
    super(detail);
  }
}

export const badParameter = (parameter: string, detail: string): ProblemError =>
  new ProblemError(400, `${parameter}: ${detail}`, parameter);

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
}

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
export function installProblemHandlers(app: FastifyInstance): void {
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
}
