import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config/schema';
import type { ApiContext, RouteFamily } from './context';
import { auditControl } from './control-audit';
import { apiAuth } from './plugins/auth';
import { badParameter, problem, sendProblem } from './problem';
import { callRoutes } from './routes/calls';
import { controlRoutes } from './routes/control';
import { historyRoutes } from './routes/history';
import { liveRoutes } from './routes/live';
import { metaRoutes } from './routes/meta';
import { reportRoutes } from './routes/reports';
import { roomRoutes } from './routes/rooms';
import { statsRoutes } from './routes/stats';
import { streamRoutes } from './routes/stream';
import { userStatusRoutes } from './routes/user-status';

export const API_PREFIX = '/api/v1';

/** Filters for which `*` means no filter. */
const ANY_FILTERS = ['pbx', 'extension', 'direction', 'status', 'queue', 'q'] as const;

/** Every route family of the JSON API, in the order the OpenAPI document lists them. */
export const ROUTE_FAMILIES: readonly RouteFamily[] = [
  callRoutes,
  controlRoutes,
  liveRoutes,
  userStatusRoutes,
  roomRoutes,
  streamRoutes,
  historyRoutes,
  statsRoutes,
  reportRoutes,
  metaRoutes,
];

/** The JSON API scope: bearer tokens, finite numbers only, then the route families with their context. */
export const api: FastifyPluginAsyncTypebox<{ context: ApiContext; tokens: Config['auth']['tokens'] }> = async (
  scope,
  { context, tokens },
) => {
  await scope.register(apiAuth, { tokens });
  // a 404 of its own inside the scope runs the auth hook first: without a token nobody learns which paths exist
  scope.setNotFoundHandler((req, reply) =>
    sendProblem(reply, problem(404, `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
  // a URL template (Grafana's links, the call history's CSV link) sends every filter: `*` for All, and the search
  // box as it is, empty when nobody typed in it
  scope.addHook('preValidation', async (req) => {
    const query = req.query as Record<string, unknown> | undefined;
    if (!query) return;
    for (const k of ANY_FILTERS) if (query[k] === '*') delete query[k];
    if (query.q === '') delete query.q;
  });
  // ajv coerces "1e400" to Infinity and lets it through integer and maximum checks
  scope.addHook('preHandler', async (req) => {
    for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw badParameter(k, 'must be a finite number');
    }
  });
  // control routes live in more than one family; the hook lets every route without `config.control` straight through
  auditControl(scope, context);
  for (const routes of ROUTE_FAMILIES) await scope.register(routes, context);
};
