import { Type, type Static } from '@sinclair/typebox';
import { secretKeys, sourceSchema } from '../runtime/config';

/** Which channels are trunk legs; the defaults fit FreePBX and most hand-written dialplans. */
export const TrunkRulesSchema = Type.Object(
  {
    endpoints: Type.Array(Type.String(), {
      default: ['trunk*', '*trunk*'],
      description: 'endpoint name patterns (glob `*`) that are trunks, not extensions',
    }),
    contexts: Type.Array(Type.String(), {
      default: ['from-pstn', 'from-trunk', 'from-carrier'],
      description: 'dialplan contexts whose channels are inbound trunk legs',
    }),
  },
  { additionalProperties: false, default: {} },
);
export type TrunkRules = Static<typeof TrunkRulesSchema>;

/** Where click-to-dial and transfers enter the dialplan, and how an extension's phone is reached. */
export const AmiControlSchema = Type.Object(
  {
    context: Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9_.-]+$',
      default: 'from-internal',
      description: 'dialplan context the dialled number and transfer targets run in (FreePBX: from-internal)',
    }),
    channel: Type.String({
      pattern: '^[A-Za-z0-9_/.-]*\\{extension\\}[A-Za-z0-9_/.@-]*$',
      default: 'PJSIP/{extension}',
      description: 'the channel that rings the extension\'s phone first; `{extension}` is replaced',
    }),
    ringSeconds: Type.Integer({ minimum: 5, maximum: 120, default: 30, description: 'how long the phone rings before click-to-dial gives up' }),
  },
  { additionalProperties: false, default: {} },
);

export const AmiConfigSchema = sourceSchema('ami', {
  host: Type.String({ minLength: 1, description: 'AMI host' }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 5038, description: 'AMI port' }),
  username: Type.String({ minLength: 1, description: 'manager.conf user' }),
  ...secretKeys('secret', 'AMI secret'),
  pingIntervalSeconds: Type.Number({ minimum: 1, maximum: 300, default: 20, description: 'heartbeat Ping' }),
  actionTimeoutSeconds: Type.Number({ minimum: 1, maximum: 120, default: 10, description: 'per action, Ping included' }),
  reconnectMaxSeconds: Type.Number({ minimum: 1, maximum: 3600, default: 60, description: 'backoff ceiling' }),
  trunks: TrunkRulesSchema,
  control: AmiControlSchema,
});
export type AmiConfig = Static<typeof AmiConfigSchema>;
