import type { SourceKindDef } from '../runtime/kind';
import { WebhookConfigSchema } from './config';
import { WebhookDriver } from './driver';

export const webhook: SourceKindDef<typeof WebhookConfigSchema> = {
  kind: 'webhook',
  title: 'Signed canonical call events pushed to POST /api/v1/ingest/{name} (cloud PBXs, voice bots, CRMs)',
  schema: WebhookConfigSchema,
  capabilities: { live: true, control: [] },
  create: (config, ctx) => new WebhookDriver(config, ctx),
};
