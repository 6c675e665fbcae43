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

export const AmiConfigSchema = sourceSchema('ami', {
  host: Type.String({ minLength: 1, description: 'AMI host' }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 5038, description: 'AMI port' }),
  username: Type.String({ minLength: 1, description: 'manager.conf user' }),
  ...secretKeys('secret', 'AMI secret'),
  pingIntervalSeconds: Type.Number({ minimum: 1, maximum: 300, default: 20, description: 'heartbeat Ping' }),
  actionTimeoutSeconds: Type.Number({ minimum: 1, maximum: 120, default: 10, description: 'per action, Ping included' }),
  reconnectMaxSeconds: Type.Number({ minimum: 1, maximum: 3600, default: 60, description: 'backoff ceiling' }),
  trunks: TrunkRulesSchema,
});
export type AmiConfig = Static<typeof AmiConfigSchema>;
