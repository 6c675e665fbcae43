import { Type } from '@sinclair/typebox';
import { USER_STATUSES, type UserStatus } from '../../domain';
import { controlRoute, mayActFor, note } from '../control-audit';
import { ERRORS, type RouteFamily } from '../context';
import { iso, Name, parseRange, TimeParam } from '../params';
import { badParameter } from '../problem';
import { Closed, Nullable, StringEnum } from '../typebox';
import { Extension, sourceOf } from './control';

const ExtParams = Type.Object({ ext: Extension('the extension') });

const StatusBody = Type.Object(
  {
    pbx: Type.Optional(Name('the source the extension belongs to; may be left out when only one source has it')),
    status: StringEnum(USER_STATUSES),
    message: Type.Optional(
      Type.String({ maxLength: 140, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'shown with the status (`back at 14:00`); no control characters' }),
    ),
  },
  Closed,
);

const UserStatusModel = Type.Object({
  pbx: Type.String(),
  extension: Type.String(),
  status: StringEnum(USER_STATUSES),
  message: Nullable(Type.String()),
  since: Type.String({ format: 'date-time' }),
  setBy: Nullable(Type.String({ description: 'the name of the token that set it' })),
});

const HistoryQuery = Type.Object(
  {
    pbx: Type.Optional(Name('source name; may be left out when only one source has the extension')),
    from: Type.Optional(TimeParam('changes at or after')),
    to: Type.Optional(TimeParam('changes before')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
  },
  Closed,
);

const render = (u: UserStatus) => ({
  pbx: u.pbx,
  extension: u.extension,
  status: u.status,
  message: u.message ?? null,
  since: iso(u.since)!,
  setBy: u.setBy ?? null,
});

/**
 * User status (issue #14): what a person says about their availability, with a message, beside what the phone shows.
 * Set with a control token (or a per-person token for its own extensions); every change is kept.
 */
export const userStatusRoutes: RouteFamily = async (api, ctx) => {
  api.put(
    '/extensions/:ext/status',
    {
      config: controlRoute('status', ctx),
      schema: {
        summary: 'Set the status and message of an extension\'s user',
        description:
          'Needs a token with the `control` scope; a token with `extensions` sets only those. Shown in ' +
          '`/api/v1/extensions` (`userStatus`, `userStatusMessage`, `userStatusSince`) and as an `extension` delta on ' +
          'the stream; every change is kept (`…/status/history`).',
        tags: ['control'],
        params: ExtParams,
        body: StatusBody,
        response: { 200: UserStatusModel, ...ERRORS },
      },
    },
    async (req) => {
      const { ext } = req.params;
      note(req, { extension: ext });
      mayActFor(req, [ext]);
      const source = sourceOf(ctx, req.body.pbx, ext);
      if (!source) throw badParameter('pbx', 'no source is configured');
      note(req, { pbx: source.pbx });
      const u: UserStatus = {
        pbx: source.pbx,
        extension: ext,
        status: req.body.status,
        ...(req.body.message ? { message: req.body.message } : {}),
        since: ctx.now(),
        ...(req.tokenName !== undefined ? { setBy: req.tokenName } : {}),
      };
      ctx.userStatusSet(u);
      return render(u);
    },
  );

  api.get(
    '/extensions/:ext/status/history',
    {
      schema: {
        summary: 'Every status its user set for an extension, oldest first',
        tags: ['history'],
        params: ExtParams,
        querystring: HistoryQuery,
        response: { 200: Type.Object({ items: Type.Array(UserStatusModel) }), ...ERRORS },
      },
    },
    async (req) => {
      const source = sourceOf(ctx, req.query.pbx, req.params.ext);
      if (!source) return { items: [] };
      const range = parseRange(req.query);
      const from = range.from ?? 0;
      const to = range.to ?? Number.MAX_SAFE_INTEGER;
      // the schema's default (1000) fills a missing limit in: the server's ajv runs with useDefaults
      return { items: ctx.store.userStatuses.history(source.pbx, req.params.ext, from, to, req.query.limit!).map(render) };
    },
  );
};
