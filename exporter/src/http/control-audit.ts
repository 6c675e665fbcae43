import type { FastifyRequest } from 'fastify';
import type { ControlOutcome } from '../hub';
import type { Api, ApiContext } from './context';
import { ProblemError } from './problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a call-control or user-status route: counted and logged under this action */
    control?: ControlOutcome['action'];
  }
}

/** The result label of the control counter, by status: a fixed, small set. */
const RESULTS: Record<number, string> = {
  200: 'accepted',
  202: 'accepted',
  400: 'invalid',
  401: 'denied',
  403: 'denied',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  501: 'unsupported',
  502: 'refused',
  503: 'unavailable',
};

/** What a handler learnt, for the log line every control request ends with. */
export interface ControlNote {
  action?: ControlOutcome['action'];
  pbx?: string;
  call?: string;
  extension?: string;
}
const notes = new WeakMap<FastifyRequest, ControlNote>();

export function note(req: FastifyRequest, n: ControlNote): void {
  notes.set(req, { ...notes.get(req), ...n });
}

/**
 * Every request to a route with `config.control` ends in one log line naming the token, and one count by action and
 * result, whatever answered it (the auth hook, the rate limit, a handler). Added once, at the API scope: a second
 * call anywhere above a control route would count and log its requests twice.
 */
export function auditControl(api: Api, ctx: Pick<ApiContext, 'controlled'>): void {
  api.addHook('onResponse', async (req, reply) => {
    const routed = req.routeOptions.config.control;
    if (!routed) return;
    const n = notes.get(req) ?? {};
    const action = n.action ?? routed;
    const result = RESULTS[reply.statusCode] ?? (reply.statusCode >= 500 ? 'error' : 'invalid');
    ctx.controlled({ action, result });
    req.log.info(
      { action, result, status: reply.statusCode, token: req.tokenName ?? null, pbx: n.pbx, call: n.call, extension: n.extension },
      'call control',
    );
  });
}

/**
 * The config of a call-control or user-status route: the `control` token scope, audited under `action`, and the
 * stricter request budget (the rate limit keeps one for each route).
 */
export function controlRoute(action: ControlOutcome['action'], ctx: Pick<ApiContext, 'controlLimit'>) {
  return {
    scope: 'control' as const,
    control: action,
    rateLimit: { max: ctx.controlLimit.max, timeWindow: ctx.controlLimit.windowSeconds * 1000 },
  };
}

/** A per-person token acts for its own extensions only. */
export function mayActFor(req: FastifyRequest, extensions: readonly string[]): void {
  const own = req.tokenExtensions;
  if (!own || extensions.some((e) => own.includes(e))) return;
  throw new ProblemError(403, `the token "${req.tokenName}" may act only for extension${own.length > 1 ? 's' : ''} ${own.join(', ')}`);
}
