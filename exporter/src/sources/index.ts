import type { AmiSourceConfig } from '../config/schema';
import { AmiSource } from './ami/source';
import type { Source, SourceContext } from './source';

/** One PBX connection per configured source. Only AMI exists today; NFON and 3CX will get their own folders. */
export function createSource(config: AmiSourceConfig, ctx: SourceContext): Source {
  return new AmiSource(config, ctx);
}
