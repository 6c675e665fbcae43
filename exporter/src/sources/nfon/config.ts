import { Type, type Static } from '@sinclair/typebox';
import { secretKeys, sourceSchema } from '../runtime/config';
import { OpenCallTimeoutSeconds } from '../runtime/silent-calls';

export const NFON_API_URL = 'https://providersupportdata.cloud-cfg.com/v1';

export const NfonConfigSchema = sourceSchema('nfon', {
  url: Type.String({ pattern: '^https?://', default: NFON_API_URL, description: 'CTI API base URL, version included' }),
  account: Type.String({
    pattern: '^K[A-Za-z0-9]+$',
    description: 'the tenant\'s K-Account (`K1234`): in the User-Agent NFON asks for, and the context of internal numbers',
  }),
  username: Type.String({ minLength: 1, description: 'CTI API user NFON issued for the K-Account' }),
  ...secretKeys('password', 'CTI API password'),
  headlineNumbers: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.String(), {
    default: {},
    description: 'the tenant\'s numbers (E.164 without `+`) and their names, e.g. `4930555789: Berlin`: the `to` of inbound calls',
  }),
  agentCodes: Type.Object(
    {
      login: Type.Array(Type.String({ minLength: 1 }), { default: ['*87'], description: 'dialled to log in to queues (a queue number may follow)' }),
      logout: Type.Array(Type.String({ minLength: 1 }), { default: ['**87'], description: 'dialled to log out of queues' }),
    },
    { additionalProperties: false, default: {}, description: 'special codes: agent state, never counted as calls' },
  ),
  agentQueue: Type.String({ minLength: 1, default: 'agents', description: 'the queue a bare login / logout code applies to' }),
  refreshSeconds: Type.Number({ minimum: 1, maximum: 290, default: 240, description: 'refresh the access token this often (it lives 5 minutes)' }),
  extensionsRefreshSeconds: Type.Number({ minimum: 10, maximum: 86400, default: 900, description: 'how often extension names are read again' }),
  requestTimeoutSeconds: Type.Number({ minimum: 1, maximum: 120, default: 15, description: 'per HTTP request (login, refresh, extension list)' }),
  reconnectMaxSeconds: Type.Number({ minimum: 1, maximum: 3600, default: 60, description: 'backoff ceiling' }),
  openCallTimeoutSeconds: OpenCallTimeoutSeconds('NFON'),
});

export type NfonConfig = Static<typeof NfonConfigSchema>;
