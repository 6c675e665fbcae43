import type { SourceKindDef } from '../runtime/kind';
import { checkThreeCxConfig, ThreeCxConfigSchema } from './config';
import { ThreeCxDriver } from './driver';

export const threeCx: SourceKindDef<typeof ThreeCxConfigSchema> = {
  kind: '3cx',
  title: '3CX through its CDR output (active / passive socket, file) or its v20 call-history database',
  schema: ThreeCxConfigSchema,
  // 3CX writes a call's data after it ended: no live state, no calls in progress
  capabilities: { live: false, control: [] },
  check: checkThreeCxConfig,
  create: (config, ctx) => new ThreeCxDriver(config, ctx),
};
