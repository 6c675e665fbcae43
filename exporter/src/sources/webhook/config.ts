import { Type, type Static } from '@sinclair/typebox';
import { secretKeys, sourceSchema } from '../runtime/config';
import { OpenCallTimeoutSeconds } from '../runtime/silent-calls';

export const WebhookConfigSchema = sourceSchema('webhook', {
  ...secretKeys('secret', 'shared HMAC-SHA256 secret the sender signs with'),
  ...secretKeys('previousSecret', 'secret being retired: accepted too while senders switch', { required: false }),
  maxBodyBytes: Type.Integer({
    minimum: 1024,
    maximum: 64 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'larger requests are refused with 413',
  }),
  toleranceSeconds: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 300,
    description: 'how far a signed timestamp may be from our clock',
  }),
  openCallTimeoutSeconds: OpenCallTimeoutSeconds('the sender'),
});

export type WebhookConfig = Static<typeof WebhookConfigSchema>;
