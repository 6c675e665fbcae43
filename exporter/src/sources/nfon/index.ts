import type { SourceKindDef } from '../runtime/kind';
import { NfonConfigSchema } from './config';
import { NfonDriver } from './driver';

export const nfon: SourceKindDef<typeof NfonConfigSchema> = {
  kind: 'nfon',
  title: "NFON cloud PBX over its CTI API (call and state event streams)",
  schema: NfonConfigSchema,
  capabilities: { live: true, control: ['dial', 'hangup'] },
  create: (config, ctx) => new NfonDriver(config, ctx),
};
