import { Type } from '@sinclair/typebox';
import type { Call, ControlAction } from '../../domain';
import { ControlError, type CallControl } from '../../sources/runtime/control';
import type { SourceInfo } from '../../sources/runtime/kind';
import { controlRoute, mayActFor, note } from '../control-audit';
import { ERRORS, type ApiContext, type RouteFamily } from '../context';
import { CallIdParams, Name } from '../params';
import { badParameter, ProblemError } from '../problem';
import { Closed, StringEnum } from '../typebox';

/** An extension as dialplans name them; nothing that could end an AMI header or leave a dial string. */
export const Extension = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$', description });
/** What a phone can dial: digits, `*`, `#`, an optional leading `+`. */
const DialTarget = (description: string) => Type.String({ pattern: '^\\+?[0-9*#]{1,32}$', description });

const DialBody = Type.Object(
  {
    pbx: Type.Optional(Name('the source to dial through; may be left out when only one source can')),
    extension: Extension('the extension whose phone rings first'),
    target: DialTarget('the number the extension then calls, once it answers'),
  },
  Closed,
);

const TransferBody = Type.Object(
  {
    target: DialTarget('the extension or number that takes the call over'),
    kind: StringEnum(['blind', 'attended'] as const, {
      default: 'blind',
      description: 'blind: handed over at once; attended: the transferring extension talks to the target first',
    }),
    extension: Type.Optional(Extension('the extension handing the call over; default: the one that answered it')),
  },
  Closed,
);

const Accepted = Type.Object({
  callId: Type.String({ description: 'the id of the call record (`/api/v1/calls/{id}`)' }),
  pbx: Type.String(),
  action: Type.String(),
});

const CONTROL_ERRORS = {
  ...ERRORS,
  404: { $ref: 'Problem#' },
  409: { $ref: 'Problem#' },
  501: { $ref: 'Problem#' },
  502: { $ref: 'Problem#' },
  503: { $ref: 'Problem#' },
} as const;

const STATUS_OF: Record<ControlError['reason'], number> = { unavailable: 503, conflict: 409, refused: 502 };

/** The source's control for `action`, or a 501 naming the action it lacks. */
function controlOf(source: SourceInfo, action: ControlAction): CallControl {
  if (!source.control || !source.capabilities.control.includes(action)) {
    throw new ProblemError(501, `the source "${source.pbx}" (${source.kind}) does not support the "${action}" action`);
  }
  return source.control;
}

/**
 * The source an extension belongs to: the one named, the only one, or the only one whose live state has the
 * extension; undefined when no source is configured.
 */
export function sourceOf(ctx: ApiContext, pbx: string | undefined, extension: string): SourceInfo | undefined {
  if (pbx !== undefined) {
    const s = ctx.sources.find((x) => x.pbx === pbx);
    if (!s) throw badParameter('pbx', `no source is named "${pbx}"`);
    return s;
  }
  if (ctx.sources.length <= 1) return ctx.sources[0];
  const knowing = ctx.sources.filter((s) => ctx.live.extension(s.pbx, extension));
  if (knowing.length === 1) return knowing[0];
  throw badParameter('pbx', `is required: ${ctx.sources.length} sources are configured`);
}

/** An open call and its source; an ended call is a 409, an unknown one a 404. */
function openCall(ctx: ApiContext, id: string): { call: Call; source: SourceInfo } {
  const call = ctx.live.activeCalls.get(id);
  if (!call) {
    if (ctx.store.queries.calls.byId(id)) throw new ProblemError(409, `call "${id}" has already ended`, 'id');
    throw new ProblemError(404, `no call with id "${id}" is in progress`, 'id');
  }
  const source = ctx.sources.find((s) => s.pbx === call.pbx);
  if (!source) throw new ProblemError(501, `call "${id}" belongs to "${call.pbx}", which no configured source serves`);
  return { call, source };
}

/** The extensions with a leg in the call: a per-person token may act on calls of its own extensions. */
const partiesOf = (call: Call): string[] => call.legs.filter((l) => l.role === 'extension').map((l) => l.party.number);

async function perform<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ControlError) throw new ProblemError(STATUS_OF[err.reason], err.message);
    throw err;
  }
}

/**
 * Call control (issue #14): click-to-dial, hang up, transfer. Each route needs a token with the `control` scope, has
 * its own tighter request budget, and ends in one log line naming the token and one count by action and result. The
 * routes know sources only by their control capability; what the PBX does is the source's business.
 */
export const controlRoutes: RouteFamily = async (api, ctx) => {
  api.post(
    '/calls',
    {
      config: controlRoute('dial', ctx),
      schema: {
        summary: 'Click-to-dial: ring an extension, then call a number from it',
        description:
          'Needs a token with the `control` scope. 202 once the PBX has accepted the request; the call record carries ' +
          '`callId` and shows in `/api/v1/calls/active` as soon as the phone rings.',
        tags: ['control'],
        body: DialBody,
        response: { 202: Accepted, ...CONTROL_ERRORS },
      },
    },
    async (req, reply) => {
      const { extension, target } = req.body;
      note(req, { extension });
      mayActFor(req, [extension]);
      const source = sourceOf(ctx, req.body.pbx, extension);
      if (!source) throw new ProblemError(501, 'no source is configured: nothing can "dial"');
      note(req, { pbx: source.pbx });
      const control = controlOf(source, 'dial');
      const { callId } = await perform(() => control.dial({ extension, target }));
      note(req, { call: callId });
      return reply
        .code(202)
        .header('location', `${req.url.split('?')[0]}/${encodeURIComponent(callId)}`)
        .send({ callId, pbx: source.pbx, action: 'dial' });
    },
  );

  api.delete(
    '/calls/:id',
    {
      config: controlRoute('hangup', ctx),
      schema: {
        summary: 'Hang up a call in progress (a ringing one is cancelled)',
        tags: ['control'],
        params: CallIdParams,
        response: { 202: Accepted, ...CONTROL_ERRORS },
      },
    },
    async (req, reply) => {
      const { call, source } = openCall(ctx, req.params.id);
      note(req, { pbx: source.pbx, call: call.id });
      mayActFor(req, partiesOf(call));
      const control = controlOf(source, 'hangup');
      await perform(() => control.hangup(call));
      return reply.code(202).send({ callId: call.id, pbx: source.pbx, action: 'hangup' });
    },
  );

  api.post(
    '/calls/:id/transfer',
    {
      config: controlRoute('transfer', ctx),
      schema: {
        summary: 'Transfer a call in progress, blind or attended',
        tags: ['control'],
        params: CallIdParams,
        body: TransferBody,
        response: { 202: Accepted, ...CONTROL_ERRORS },
      },
    },
    async (req, reply) => {
      const action: ControlAction = req.body.kind === 'attended' ? 'attendedTransfer' : 'transfer';
      note(req, { action });
      const { call, source } = openCall(ctx, req.params.id);
      note(req, { pbx: source.pbx, call: call.id });
      mayActFor(req, partiesOf(call));
      const control = controlOf(source, action);
      await perform(() => control.transfer(call, { target: req.body.target, kind: req.body.kind, extension: req.body.extension }));
      return reply.code(202).send({ callId: call.id, pbx: source.pbx, action });
    },
  );
};
