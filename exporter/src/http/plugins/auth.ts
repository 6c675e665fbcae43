import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config/schema';
import { problem, sendProblem } from '../problem';

export type Scope = 'read' | 'control';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the token scope a route needs; `read` when not given */
    scope?: Scope;
  }
  interface FastifyRequest {
    /** the name of the token the request came with, once accepted (for the control log) */
    tokenName?: string;
    /** a per-person token's extensions: its control scope covers only these; undefined = every extension */
    tokenExtensions?: readonly string[];
  }
}

// hashing first gives equal-length buffers, so the comparison time says nothing about length or content
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const same = (a: Buffer, b: Buffer): boolean => timingSafeEqual(a, b);

interface Holder {
  name: string;
  digest: Buffer;
  scopes: Scope[];
  extensions?: string[];
}

function bearer(req: FastifyRequest): string | undefined {
  const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/**
 * API bearer tokens from config (`tokenFile` is already read into `token` by the loader). Every configured token is
 * compared, whatever matched, so timing does not reveal which one did. No tokens configured: the API is open.
 */
export class ApiAuth {
  private readonly holders: Holder[];

  constructor(tokens: Config['auth']['tokens']) {
    this.holders = tokens
      .filter((t) => t.token !== undefined)
      .map((t) => ({ name: t.name, digest: digest(t.token!), scopes: t.scopes as Scope[], extensions: t.extensions }));
  }

  get enabled(): boolean {
    return this.holders.length > 0;
  }

  /** A fastify onRequest hook requiring `scope`. */
  require(scope: Scope) {
    return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      // an open API is for reading: acting on calls always needs a token that says so
      if (!this.enabled && scope === 'control') {
        await sendProblem(reply, problem(403, 'call control needs an API token with the "control" scope (auth.tokens); none is configured'));
        return reply;
      }
      if (!this.enabled) return;
      const token = bearer(req);
      if (token === undefined) {
        reply.header('WWW-Authenticate', 'Bearer realm="switchboard"');
        await sendProblem(reply, problem(401, 'a bearer token is required (Authorization: Bearer <token>)'));
        return reply;
      }
      const d = digest(token);
      let match: Holder | undefined;
      for (const h of this.holders) if (same(h.digest, d) && !match) match = h;
      if (!match) {
        reply.header('WWW-Authenticate', 'Bearer realm="switchboard", error="invalid_token"');
        await sendProblem(reply, problem(401, 'the bearer token is not valid'));
        return reply;
      }
      if (!match.scopes.includes(scope)) {
        await sendProblem(reply, problem(403, `the token "${match.name}" lacks the "${scope}" scope`));
        return reply;
      }
      req.tokenName = match.name;
      req.tokenExtensions = match.extensions;
    };
  }
}

/** `/metrics` protection: a bearer token, basic auth, either, or none (open) as configured. */
export class MetricsAuth {
  private readonly token?: Buffer;
  private readonly basic?: Buffer;

  constructor(cfg: Config['auth']['metrics']) {
    if (cfg.bearerToken) this.token = digest(cfg.bearerToken);
    if (cfg.username !== undefined && cfg.password !== undefined)
      this.basic = digest(`${cfg.username}:${cfg.password}`);
  }

  get enabled(): boolean {
    return this.token !== undefined || this.basic !== undefined;
  }

  hook() {
    return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (!this.enabled) return;
      const header = req.headers.authorization ?? '';
      let ok = false;
      const t = bearer(req);
      if (t !== undefined && this.token) ok = same(this.token, digest(t));
      const b = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
      if (b && this.basic) ok = same(this.basic, digest(Buffer.from(b[1], 'base64').toString('utf8'))) || ok;
      if (ok) return;
      reply.header(
        'WWW-Authenticate',
        this.basic ? 'Basic realm="switchboard metrics"' : 'Bearer realm="switchboard metrics"',
      );
      await sendProblem(reply, problem(401, 'credentials for /metrics are required or not valid'));
      return reply;
    };
  }
}

/**
 * Bearer tokens for every route of the scope it is registered in (the API): each route needs the scope its
 * `config.scope` names, `read` by default.
 */
export const apiAuth = fp<{ tokens: Config['auth']['tokens'] }>(
  async (api, opts) => {
    const auth = new ApiAuth(opts.tokens);
    api.decorateRequest('tokenName', undefined);
    api.decorateRequest('tokenExtensions', undefined);
    const hooks = { read: auth.require('read'), control: auth.require('control') };
    api.addHook('onRequest', (req, reply) => hooks[req.routeOptions.config.scope ?? 'read'](req, reply));
  },
  { name: 'api-auth' },
);
