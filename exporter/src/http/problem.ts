import type { FastifyReply } from 'fastify';

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
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
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
