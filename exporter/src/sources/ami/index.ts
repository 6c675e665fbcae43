import type { SourceKindDef } from '../runtime/kind';
import { AmiConfigSchema } from './config';
import { AmiDriver } from './driver';

export const ami: SourceKindDef<typeof AmiConfigSchema> = {
  kind: 'ami',
  title: 'Asterisk / FreePBX over the Asterisk Manager Interface (AMI)',
  schema: AmiConfigSchema,
  capabilities: { live: true, control: ['dial', 'hangup', 'transfer', 'attendedTransfer'] },
  create: (config, ctx) => new AmiDriver(config, ctx),
};
